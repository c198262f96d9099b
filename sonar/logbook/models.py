"""Project logbooks (carnets de bord): the open policy factory in practice.

A team keeps the logbook of one project (a policy or a service): its stage and style, the
trajectory it adopted and ticks, and its experiments with people before, during and after.
Only the project's members see it, unless an admin shares a read-only link. Everything a
person writes is a RevisionedModel saved through sonar.core.actions.save_revision (in
logbook.actions), so nothing written is ever lost and a concurrent edit is refused.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sonar.accounts.models import Invitation
from sonar.core.models import RevisionedModel

TITLE_MAX = 200
TEXT_MAX = 5000
HYPOTHESIS_MAX = 1000


def new_share_token():
    """192 bits of randomness: a share link cannot be guessed."""
    return secrets.token_urlsafe(24)


class ProjectQuerySet(models.QuerySet):
    def of(self, user):
        """The projects `user` is a member of (none for an anonymous visitor)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user)


class Project(RevisionedModel):
    """A policy or a service a team works on, and the logbook it keeps.

    The person who creates it is its first admin. `creation_key` is the token of the form
    that created it: submitting that form twice finds the project already made.
    """

    class Kind(models.TextChoices):
        POLICY = "policy", _("une politique publique")
        SERVICE = "service", _("un service")

    title = models.CharField(_("titre"), max_length=TITLE_MAX)
    kind = models.CharField(_("nature"), max_length=8, choices=Kind.choices)
    about = models.TextField(_("de quoi s’agit-il ?"), max_length=TEXT_MAX)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    creation_key = models.CharField(max_length=64, unique=True, editable=False)
    # The read-only link: empty when sharing is off.
    share_token = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    content_fields = ("title", "kind", "about", "organisation")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("logbook:project", args=[self.pk])

    def member(self, user):
        """The membership of `user` in this project, or None."""
        if not user.is_authenticated:
            return None
        return self.members.filter(user=user).first()

    def admins(self):
        return self.members.filter(role=ProjectMember.Role.ADMIN)

    def current(self, aspect):
        """The latest positioning of this aspect (stage or style), or None."""
        return self.positionings.filter(aspect=aspect).order_by("-recorded_at", "-pk").first()


class ProjectMember(models.Model):
    """A person's place in a project's team.

    A member reads and writes the logbook; an admin also invites and removes members, changes
    roles and manages the share link. A project always keeps at least one admin.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("membre")
        ADMIN = "admin", _("administrateur")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_project_member_each")
        ]

    def __str__(self):
        return f"{self.user} — {self.project} ({self.role})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


class ProjectInvitation(Invitation):
    """An invitation to join a project's team with a role, sent by e-mail."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        max_length=8, choices=ProjectMember.Role.choices, default=ProjectMember.Role.MEMBER
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} → {self.project}"


class Positioning(models.Model):
    """The project's stage or style as recorded at one moment, and where it came from.

    Append-only: a new positioning supersedes the previous one, which stays in the timeline.
    `keys` holds one stage key, or one or more style profile keys (several: a mixed profile).
    `reference` names the source: a result's share token, a workshop's code.
    """

    class Aspect(models.TextChoices):
        STAGE = "stage", _("étape")
        STYLE = "style", _("style")

    class Source(models.TextChoices):
        DIAGNOSTIC = "diagnostic", _("un résultat de diagnostic")
        WORKSHOP = "workshop", _("un atelier")
        HAND = "hand", _("choisi à la main")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="positionings")
    aspect = models.CharField(max_length=8, choices=Aspect.choices)
    keys = models.JSONField()
    source = models.CharField(max_length=16, choices=Source.choices)
    reference = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self):
        return f"{self.project} {self.aspect}={self.keys}"


class ProjectMilestone(RevisionedModel):
    """A milestone of the project's own trajectory.

    Adopted milestones point to the journeys.Milestone they came from, but their text is
    copied: later edits of the reference content never change a project's history. A team may
    also add its own milestones (no `milestone`).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    milestone = models.ForeignKey(
        "journeys.Milestone", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("balise"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=TEXT_MAX, blank=True)
    done_at = models.DateTimeField(_("franchie le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("franchie par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    creation_key = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001

    content_fields = ("title", "description", "position", "done_at", "done_by")

    class Meta:
        ordering = ["project", "position", "pk"]

    def __str__(self):
        return self.title

    def snapshot(self):
        data = super().snapshot()
        if data["done_at"]:
            data["done_at"] = data["done_at"].isoformat()
        return data


class Experiment(RevisionedModel):
    """A test with people: what was assumed, with whom, when, how, what came of it."""

    class Audience(models.TextChoices):
        USERS = "usagers", _("usagers")
        NON_USERS = "non-usagers", _("non-usagers")
        AGENTS = "agents", _("agents")
        PARTNERS = "partenaires", _("partenaires")
        ELECTED = "elus", _("élus")

    class Moment(models.TextChoices):
        BEFORE = "avant", _("avant")
        DURING = "pendant", _("pendant")
        AFTER = "apres", _("après")

    class Decision(models.TextChoices):
        CONTINUE = "poursuivre", _("poursuivre")
        ADJUST = "ajuster", _("ajuster")
        STOP = "arreter", _("arrêter")
        SCALE = "generaliser", _("généraliser")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="experiments")
    hypothesis = models.TextField(_("hypothèse"), max_length=HYPOTHESIS_MAX)
    audiences = models.JSONField(_("avec qui"), default=list)
    moments = models.JSONField(_("quand"), default=list)
    resource = models.ForeignKey(
        "atlas.Resource",
        verbose_name=_("méthode"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    happened = models.TextField(_("ce qui s’est passé"), max_length=TEXT_MAX, blank=True)
    learnt = models.TextField(_("ce que nous avons appris"), max_length=TEXT_MAX, blank=True)
    decision = models.CharField(_("décision"), max_length=16, choices=Decision.choices, blank=True)
    started_on = models.DateField(_("début"), null=True, blank=True)
    ended_on = models.DateField(_("fin"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    creation_key = models.CharField(max_length=64, unique=True, editable=False)

    content_fields = (
        "hypothesis", "audiences", "moments", "resource", "happened", "learnt", "decision",
        "started_on", "ended_on",
    )  # fmt: skip

    class Meta:
        ordering = ["project", "-created_at", "-pk"]

    def __str__(self):
        return self.hypothesis[:60]

    def get_absolute_url(self):
        return reverse("logbook:experiment", args=[self.project_id, self.pk])

    def snapshot(self):
        data = super().snapshot()
        for name in ("started_on", "ended_on"):
            if data[name]:
                data[name] = data[name].isoformat()
        return data

    def audience_labels(self):
        labels = dict(self.Audience.choices)
        return [str(labels[k]) for k in self.audiences if k in labels]

    def moment_labels(self):
        labels = dict(self.Moment.choices)
        return [str(labels[k]) for k in self.moments if k in labels]

    @property
    def when(self):
        """The date the experiment sits at in the timeline."""
        if self.started_on:
            return self.started_on
        return timezone.localdate(self.created_at)
