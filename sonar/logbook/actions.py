"""Every write to a logbook goes through here: revisions, idempotent creation, team rules."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from sonar.accounts import limits
from sonar.accounts.emails import sender_label
from sonar.core import mail
from sonar.core.actions import save_revision
from sonar.core.links import absolute
from sonar.core.models import Revision
from sonar.logbook.models import (
    Experiment,
    Positioning,
    Project,
    ProjectInvitation,
    ProjectMember,
    ProjectMilestone,
    new_share_token,
)

EDIT = Revision.Origin.EDIT


class TeamError(Exception):
    """A change to the team that its rules refuse; `message` says why, in French."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


# A form sent again after Back may carry a fresh key (the form page is never stored, so the
# browser asks for it again): the same thing from the same person this soon is the same one.
TWIN_WINDOW = timezone.timedelta(minutes=10)


def _recent_twin(queryset, user, **same):
    return queryset.filter(
        created_by=user, created_at__gte=timezone.now() - TWIN_WINDOW, **same
    ).first()


def create_project(user, creation_key, **fields):
    """Create a project with `user` as its admin, once per form (`creation_key`).

    Returns (project, created): a second submission of the same form gives back the project
    the first one made; so does the same title from the same person within ten minutes
    (Back, then the form sent again).
    """
    existing = Project.objects.filter(creation_key=creation_key).first() or _recent_twin(
        Project.objects.filter(members__user=user), user, title=fields.get("title")
    )
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            project = Project(creation_key=creation_key, created_by=user, **fields)
            save_revision(project, EDIT, author=user)
            ProjectMember.objects.create(project=project, user=user, role=ProjectMember.Role.ADMIN)
    except IntegrityError:
        return Project.objects.get(creation_key=creation_key), False
    return project, True


def edit(obj, user, based_on, **fields):
    """Change a project, milestone or experiment; RevisionConflict if someone saved since.

    `based_on` is the revision the form was opened on; without one, the change is refused as
    a conflict rather than risk overwriting someone else's text.
    """
    based_on = -1 if based_on is None else based_on
    for name, value in fields.items():
        setattr(obj, name, value)
    return save_revision(obj, EDIT, author=user, based_on=based_on)


def add_experiment(project, user, creation_key, **fields):
    """Log an experiment once per form (`creation_key`), and once for the same hypothesis by
    the same person within ten minutes; returns (experiment, created)."""
    existing = Experiment.objects.filter(creation_key=creation_key).first() or _recent_twin(
        project.experiments.all(), user, hypothesis=fields.get("hypothesis")
    )
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            experiment = Experiment(
                project=project, created_by=user, creation_key=creation_key, **fields
            )
            save_revision(experiment, EDIT, author=user)
    except IntegrityError:
        return Experiment.objects.get(creation_key=creation_key), False
    return experiment, True


# Trajectory ---------------------------------------------------------------------------------


def _next_position(project):
    return (project.milestones.aggregate(top=Max("position"))["top"] or 0) + 1


def adopt_trajectory(project, user, trajectory):
    """Copy the trajectory's milestones into the project, after those it already has.

    A milestone already adopted (the same reference milestone) is not copied twice.
    Returns the number of milestones added.
    """
    added = 0
    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        have = set(project.milestones.exclude(milestone=None).values_list("milestone", flat=True))
        position = _next_position(project)
        for reference in trajectory.milestones:
            if reference.pk in have:
                continue
            copy = ProjectMilestone(
                project=project,
                milestone=reference,
                position=position,
                title=reference.title[: ProjectMilestone._meta.get_field("title").max_length],
                description=reference.description,
            )
            save_revision(copy, EDIT, author=user)
            position += 1
            added += 1
    return added


def add_milestone(project, user, creation_key, title, description=""):
    """The team's own milestone, at the end of its trajectory; once per form, and never twice
    the same title among the team's own milestones still to reach."""
    existing = (
        ProjectMilestone.objects.filter(creation_key=creation_key).first()
        or project.milestones.filter(milestone=None, done_at=None, title=title).first()
    )
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            Project.objects.select_for_update().filter(pk=project.pk).first()
            milestone = ProjectMilestone(
                project=project,
                position=_next_position(project),
                title=title,
                description=description,
                creation_key=creation_key,
            )
            save_revision(milestone, EDIT, author=user)
    except IntegrityError:
        return ProjectMilestone.objects.get(creation_key=creation_key), False
    return milestone, True


def move_milestone(milestone, user, direction):
    """Swap a milestone with its neighbour above ("up") or below ("down"); False at an end."""
    with transaction.atomic():
        siblings = list(
            ProjectMilestone.objects.select_for_update()
            .filter(project_id=milestone.project_id)
            .order_by("position", "pk")
        )
        index = next(i for i, m in enumerate(siblings) if m.pk == milestone.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(siblings):
            return False
        siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, item in enumerate(siblings, start=1):
            if item.position != position:
                item.position = position
                save_revision(item, EDIT, author=user)
    return True


def tick_milestone(milestone, user, done):
    """Tick (who, when) or untick a milestone; a revision keeps each change."""
    with transaction.atomic():
        fresh = ProjectMilestone.objects.select_for_update().get(pk=milestone.pk)
        if bool(fresh.done_at) == done:
            return fresh
        fresh.done_at = timezone.now() if done else None
        fresh.done_by = user if done else None
        return save_revision(fresh, EDIT, author=user)


# Stage and style ----------------------------------------------------------------------------


def position(project, user, aspect, keys, source, reference=""):
    """Record the project's stage or style; the previous one stays in the timeline."""
    return Positioning.objects.create(
        project=project,
        aspect=aspect,
        keys=list(keys),
        source=source,
        reference=reference[:64],
        recorded_by=user,
    )


# Team ---------------------------------------------------------------------------------------


def invite(project, inviter, email, role):
    """Invite `email` to the team with `role`, and e-mail the link once the invitation is
    committed (in French: the invited person has no language yet).

    Refused (TeamError) when the address is already in the team, or when the inviter or the
    address reached its invitation limit (sonar/accounts/limits.py). Earlier open invitations
    of the same address are withdrawn, so only the latest link works. The e-mail's subject names
    nothing the inviter chose; its body quotes the project's title and the inviter's name on one
    short line with no working link (sonar/core/mail.py), and names her by her address too.
    """
    email = email.strip().lower()
    if project.members.filter(user__email=email).exists():
        raise TeamError(_("Cette personne fait déjà partie de l’équipe."))
    if refusal := limits.invitation_refused(inviter, email):
        raise TeamError(refusal)
    with transaction.atomic():
        project.invitations.filter(
            email=email, accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now()
        ).update(withdrawn_at=timezone.now())
        invitation, token = ProjectInvitation.issue(
            project=project, email=email, role=role, invited_by=inviter
        )
        with override("fr"):
            context = {
                "inviter": sender_label(inviter),
                "title": mail.quoted(project.title),
                "url": absolute(reverse("logbook:accept", args=[token])),
                "expires_at": invitation.expires_at,
                "role": invitation.get_role_display(),
            }
            subject = _("Invitation à rejoindre l’équipe d’un carnet de bord sur Sonar")
            body = render_to_string("logbook/email/invitation.txt", context)
        mail.send_on_commit(subject, body, email)
    return invitation


def withdraw(invitation):
    if invitation.state == "open":
        invitation.withdrawn_at = timezone.now()
        invitation.save(update_fields=["withdrawn_at"])


def check_invitation(invitation, user):
    """Raise TeamError with the reason when `user` cannot accept this invitation; no write."""
    state = invitation.state
    if state == "accepted":
        raise TeamError(
            _("Cette invitation a déjà été utilisée. Demandez-en une nouvelle si besoin.")
        )
    if state == "withdrawn":
        raise TeamError(_("Cette invitation a été retirée par un administrateur du projet."))
    if state == "expired":
        raise TeamError(
            _(
                "Cette invitation a expiré. Demandez à un administrateur du projet de vous "
                "en envoyer une nouvelle."
            )
        )
    if user.email.lower() != invitation.email.lower():
        raise TeamError(
            _(
                "Cette invitation a été envoyée à une autre adresse. Connectez-vous avec "
                "l’adresse qui l’a reçue."
            )
        )


def accept(invitation, user):
    """Join the team with the invitation's role; the invitation is used up.

    Raises TeamError with the reason when the invitation no longer works or is not addressed
    to this account.
    """
    check_invitation(invitation, user)
    with transaction.atomic():
        if not invitation.mark_accepted(user):
            raise TeamError(
                _("Cette invitation a déjà été utilisée. Demandez-en une nouvelle si besoin.")
            )
        member, _created = ProjectMember.objects.get_or_create(
            project=invitation.project, user=user, defaults={"role": invitation.role}
        )
    return member


def _keeps_an_admin(project, leaving):
    return project.admins().exclude(pk=leaving.pk).exists()


def change_role(member, role):
    """Change a member's role; the last admin cannot become a plain member."""
    with transaction.atomic():
        list(ProjectMember.objects.select_for_update().filter(project_id=member.project_id))
        if (
            member.is_admin
            and role != ProjectMember.Role.ADMIN
            and not _keeps_an_admin(member.project, member)
        ):
            raise TeamError(
                _("Le projet doit garder au moins un administrateur : nommez-en un autre d’abord.")
            )
        member.role = role
        member.save(update_fields=["role"])
    return member


def remove_member(member):
    """Take someone out of the team; the last admin stays."""
    with transaction.atomic():
        list(ProjectMember.objects.select_for_update().filter(project_id=member.project_id))
        if member.is_admin and not _keeps_an_admin(member.project, member):
            raise TeamError(
                _("Le projet doit garder au moins un administrateur : nommez-en un autre d’abord.")
            )
        member.delete()


# Sharing ------------------------------------------------------------------------------------


def share(project, action):
    """Turn the read-only link on ("create"), off ("disable") or change it ("regenerate")."""
    if action == "disable":
        project.share_token = ""
    elif action == "create" and project.share_token:
        return project
    else:
        project.share_token = new_share_token()
    Project.objects.filter(pk=project.pk).update(share_token=project.share_token)
    return project
