"""Writes on organisations and their members. Each one locks the organisation's row first, so
that two admins acting at the same moment cannot, say, both demote each other and leave the
organisation without an admin."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sonar.accounts.models import Membership, Organisation, OrganisationInvitation, User


class RuleBroken(Exception):
    """A rule of the organisation would be broken; the message says which, in French."""


def _locked(organisation):
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def unique_slug(name):
    base = slugify(name)[:60].strip("-") or "organisation"
    slug = base
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(2)}"
    return slug


@transaction.atomic
def create_organisation(user, name, kind):
    """Create an organisation whose first admin is its creator.

    A double submit does not create a second one: the same person creating an organisation of
    the same name within ten minutes gets the first one back. Returns (organisation, created).
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    recent = Organisation.objects.filter(
        name__iexact=name,
        memberships__user=user,
        memberships__role=Membership.Role.ADMIN,
        created_at__gte=timezone.now() - timezone.timedelta(minutes=10),
    ).first()
    if recent:
        return recent, False
    organisation = Organisation.objects.create(name=name, slug=unique_slug(name), kind=kind)
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation, True


def _keeps_an_admin(organisation, membership):
    """True when the organisation still has an admin once `membership` stops being one."""
    if not membership.is_admin:
        return True
    return (
        organisation.memberships.filter(role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(organisation, membership, role):
    _locked(organisation)
    membership.refresh_from_db()
    if role != Membership.Role.ADMIN and not _keeps_an_admin(organisation, membership):
        raise RuleBroken(
            _(
                "Une organisation garde toujours au moins un administrateur : nommez-en un "
                "autre avant de changer ce rôle."
            )
        )
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_member(organisation, membership):
    """Remove someone (or oneself: leaving), unless they are the last admin."""
    _locked(organisation)
    membership.refresh_from_db()
    if not _keeps_an_admin(organisation, membership):
        raise RuleBroken(
            _(
                "Une organisation garde toujours au moins un administrateur : nommez-en un "
                "autre avant de partir ou de retirer celui-ci."
            )
        )
    membership.delete()


@transaction.atomic
def invite(organisation, email, role, invited_by):
    """Issue an invitation, unless the address is already a member or already has an open
    invitation (a double submit sends one e-mail, not two). Returns (invitation, token) or
    (existing invitation, None)."""
    _locked(organisation)
    email = User.objects.normalize_email(email)
    if organisation.memberships.filter(user__email=email).exists():
        raise RuleBroken(_("Cette personne est déjà membre de l’organisation."))
    pending = organisation.invitations.filter(
        email=email, accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now()
    ).first()
    if pending:
        return pending, None
    return OrganisationInvitation.issue(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )


@transaction.atomic
def withdraw(invitation):
    OrganisationInvitation.objects.filter(
        pk=invitation.pk, accepted_at=None, withdrawn_at=None
    ).update(withdrawn_at=timezone.now())


@transaction.atomic
def accept(invitation, user):
    """Use the invitation for `user`; the membership gets the invited role (someone already a
    member keeps the role they have). False when the invitation was no longer open."""
    if not invitation.mark_accepted(user):
        return False
    Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    return True


def deletion_blockers(user):
    """The organisations that would be left without an admin if this account went away while
    other people remain in them: the person must name another admin first."""
    blockers = []
    for membership in user.memberships.select_related("organisation"):
        organisation = membership.organisation
        others = organisation.memberships.exclude(user=user)
        if (
            membership.is_admin
            and others.exists()
            and not others.filter(role=Membership.Role.ADMIN).exists()
        ):
            blockers.append(organisation)
    return blockers


@transaction.atomic
def delete_account(user):
    """Delete the account, its memberships, and the organisations where it was alone."""
    for membership in user.memberships.select_related("organisation"):
        organisation = membership.organisation
        if not organisation.memberships.exclude(user=user).exists():
            organisation.delete()
    user.delete()
