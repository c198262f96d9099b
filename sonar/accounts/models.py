"""People and the organisations they belong to.

An account is an e-mail address and a password; nothing else in Sonar needs one. An
organisation (a metropole, an agglomeration, a lab, an association) has members, each with one
role.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def normalize_email(self, email):
        """Addresses are compared without case: Anne@Ville.fr and anne@ville.fr are one person."""
        return (email or "").strip().lower()

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, email_confirmed_at=timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account, known by their e-mail address.

    The address must be confirmed (`email_confirmed_at`) before the account can log in.
    """

    email = models.EmailField(_("adresse électronique"), unique=True)
    name = models.CharField(_("nom"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("compte")

    def __str__(self):
        return self.name or self.email

    @property
    def confirmed(self):
        return self.email_confirmed_at is not None


class Organisation(models.Model):
    class Kind(models.TextChoices):
        METROPOLE = "metropole", _("métropole")
        AGGLOMERATION = "agglomeration", _("agglomération")
        COMMUNE = "commune", _("commune")
        DEPARTEMENT = "departement", _("département")
        REGION = "region", _("région")
        LAB = "lab", _("laboratoire d’innovation")
        ASSOCIATION = "association", _("association")
        OTHER = "other", _("autre")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's place in an organisation.

    A member sees the organisation and its members; an editor may also edit what the
    organisation publishes; an admin may also invite and remove members and change roles. An
    organisation always keeps at least one admin.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("membre")
        EDITOR = "editor", _("éditeur")
        ADMIN = "admin", _("administrateur")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_each")
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.role})"
