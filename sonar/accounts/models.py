"""People and the organisations they belong to.

An account is an e-mail address and a password; nothing else in Sonar needs one. An
organisation (a metropole, an agglomeration, a lab, an association) has members, each with one
role.
"""

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
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

    def get_absolute_url(self):
        return reverse("accounts:organisation", args=[self.slug])

    def membership_of(self, user):
        """The user's membership here, or None (anonymous visitors have none)."""
        if not user.is_authenticated:
            return None
        return self.memberships.filter(user=user).first()

    def admin_count(self):
        return self.memberships.filter(role=Membership.Role.ADMIN).count()


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

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


class Invitation(models.Model):
    """An invitation sent by e-mail to join something (an organisation, a project's team).

    The link carries a random token; only its SHA-256 digest is stored, so a copy of the
    database gives nobody a working link. An invitation is used once: after it has been
    accepted, or once `expires_at` has passed, or once it has been withdrawn, its link only
    explains why it no longer works. Concrete invitations add what they invite to.
    """

    VALID_FOR = timezone.timedelta(days=14)

    email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def digest(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, **fields):
        """Create an invitation; return it with the raw token, which is never stored."""
        token = secrets.token_urlsafe(24)
        fields.setdefault("expires_at", timezone.now() + cls.VALID_FOR)
        fields["email"] = UserManager().normalize_email(fields["email"])
        return cls.objects.create(token_digest=cls.digest(token), **fields), token

    @classmethod
    def find(cls, token):
        """The invitation this raw token belongs to, or None."""
        if not isinstance(token, str) or not 16 <= len(token) <= 64:
            return None
        return cls.objects.filter(token_digest=cls.digest(token)).first()

    @property
    def state(self):
        """One of accepted, withdrawn, expired or open: only an open invitation is accepted."""
        if self.accepted_at:
            return "accepted"
        if self.withdrawn_at:
            return "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    def mark_accepted(self, user):
        """Use the invitation once; False if it was not open (already used, withdrawn, expired).

        The update is conditional, so two accepts racing each other cannot both succeed.
        """
        now = timezone.now()
        won = (
            type(self)
            .objects.filter(pk=self.pk, accepted_at=None, withdrawn_at=None, expires_at__gt=now)
            .update(accepted_at=now, accepted_by=user)
        )
        if won:
            self.accepted_at, self.accepted_by = now, user
        return bool(won)


class OrganisationInvitation(Invitation):
    """An invitation to join an organisation with a given role, sent by one of its admins."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        _("rôle"), max_length=8, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"
