"""Every write on accounts, organisations and their members, and every e-mail they send (sent
once the write commits: sonar/core/mail.py).

Writes on an organisation lock its row first, so that two admins acting at the same moment
cannot, say, both demote each other and leave the organisation without an admin.
"""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.accounts import departures, emails, limits
from sonar.accounts.models import Membership, Organisation, OrganisationInvitation, User
from sonar.core.collation import sort_french

# Sign-up --------------------------------------------------------------------------------------


def sign_up(email, next_url=""):
    """Send the sign-up e-mail for `email`: a link to confirm the address, or, when the address
    already has a confirmed account, a note to its owner. The page shown is the same either
    way, and both ways do the same work (one query, one e-mail, no password hashed), so neither
    the answer nor its timing tells who has an account.

    Nothing is written: the account is made, with the name and password of her choosing, by
    whoever opens the link and so proves she holds the mailbox (`confirm`). A sign-up made by
    someone else, before or after hers, leaves nothing on the account: there is no pending
    password to take over. At most limits.PER_ADDRESS of these e-mails leave for one address
    an hour; past it, the same page and no e-mail.
    """
    email = User.objects.normalize_email(email)
    owner = User.objects.filter(email=email).exclude(email_confirmed_at=None).first()
    if not limits.may_send(limits.SIGN_UP, email):
        return
    if owner is None:
        emails.send_confirmation(email, next_url)
    else:
        emails.send_already_registered(owner)


@transaction.atomic
def confirm(email, name, password):
    """Make the account of `email`, confirmed, with the name and password chosen by the person
    who opened the link (she holds the mailbox); None when the address has been confirmed
    already (the link was used, or an account exists): a link never changes the password of a
    confirmed account.

    An account left unconfirmed by the previous version of the sign-up (which stored the
    password typed at sign-up, by whoever typed it) takes the confirmer's name and password.
    """
    email = User.objects.normalize_email(email)
    user = User.objects.select_for_update().filter(email=email).first()
    if user is not None and (user.confirmed or not user.is_active):
        return None
    if user is None:
        user = User(email=email)
    user.name = name
    user.set_password(password)
    user.email_confirmed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same link confirmed at the same moment in another request
        return None
    return user


# Organisations --------------------------------------------------------------------------------


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
    """Issue an invitation and e-mail its link, unless the address is already a member or
    already has an open invitation (a double submit sends one e-mail, not two), or the sender
    or the address reached its limit (sonar/accounts/limits.py). Returns (invitation, sent): the
    new invitation and True, or the open one and False."""
    _locked(organisation)
    email = User.objects.normalize_email(email)
    if organisation.memberships.filter(user__email=email).exists():
        raise RuleBroken(_("Cette personne est déjà membre de l’organisation."))
    pending = organisation.invitations.filter(
        email=email, accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now()
    ).first()
    if pending:
        return pending, False
    if refusal := limits.invitation_refused(invited_by, email):
        raise RuleBroken(refusal)
    invitation, token = OrganisationInvitation.issue(
        organisation=organisation, email=email, role=role, invited_by=invited_by
    )
    emails.send_invitation(invitation, token)
    return invitation, True


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


# Deleting an account -----------------------------------------------------------------------


class _Organisations:
    """The account's organisations as a holder (sonar/accounts/departures.py): one where the
    person is the only admin and others remain must get another admin first; one where she
    is alone goes with her."""

    blocked_text = gettext_lazy(
        "Vous êtes le seul administrateur d’organisations qui ont d’autres membres. Nommez "
        "d’abord un autre administrateur dans :"
    )
    removed_text = gettext_lazy(
        "Ces organisations, dont vous êtes le seul membre, seront supprimées aussi :"
    )

    @staticmethod
    def lock(user):
        mine = Membership.objects.filter(user=user).values("organisation_id")
        list(Organisation.objects.select_for_update().filter(pk__in=mine).order_by("pk"))

    @staticmethod
    def blockers(user):
        blocked = []
        for membership in user.memberships.select_related("organisation"):
            organisation = membership.organisation
            others = organisation.memberships.exclude(user=user)
            if (
                membership.is_admin
                and others.exists()
                and not others.filter(role=Membership.Role.ADMIN).exists()
            ):
                blocked.append((organisation.name, organisation.get_absolute_url()))
        return blocked

    @staticmethod
    def _alone_in(user):
        return Organisation.objects.filter(memberships__user=user).exclude(
            memberships__in=Membership.objects.exclude(user=user)
        )

    @classmethod
    def removed(cls, user):
        return sort_french(organisation.name for organisation in cls._alone_in(user))

    @classmethod
    def remove(cls, user):
        cls._alone_in(user).delete()


ORGANISATIONS = _Organisations()


class Departure:
    """What deleting an account would do, holder by holder: what she must hand over first
    (the holder's blocked_text, then (name, url) pairs) and what goes with her (its
    removed_text, then names)."""

    def __init__(self, user):
        self.blockers = []
        self.removed = []
        for holder in _holders():
            if found := holder.blockers(user):
                self.blockers.append((holder.blocked_text, found))
            if found := holder.removed(user):
                self.removed.append((holder.removed_text, found))


def _holders():
    return [ORGANISATIONS, *departures.registered()]


def departure(user):
    """What deleting this account would do now (no lock, no write: for the page)."""
    return Departure(user)


@transaction.atomic
def delete_account(user):
    """Delete the account, its memberships, and what only she used; RuleBroken when something
    others use would be left without anyone to manage it.

    The rows the rules read are locked first, and the rules read again under the lock: two
    admins deleting their accounts at the same moment are checked one after the other, so the
    second sees that the first has gone.
    """
    for holder in _holders():
        holder.lock(user)
    if departure(user).blockers:
        raise RuleBroken(
            _(
                "Avant de supprimer votre compte, nommez un autre administrateur partout où "
                "vous êtes le seul."
            )
        )
    for holder in _holders():
        holder.remove(user)
    user.delete()
