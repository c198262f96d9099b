"""Every authorisation rule of organisations, tried by everyone who should not pass: anonymous
visitors, non-members, members, editors, another organisation's admin, and forged ids."""

import pytest
from django.urls import reverse

from sonar.accounts.models import Membership, OrganisationInvitation
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def org(db):
    """An organisation with an admin, an editor, two members and a pending invitation."""
    admin = MembershipFactory(admin=True)
    organisation = admin.organisation
    invitation, _token = OrganisationInvitation.issue(
        organisation=organisation, email="zoe@ville.fr", role="member", invited_by=admin.user
    )
    return {
        "organisation": organisation,
        "admin": admin,
        "editor": MembershipFactory(organisation=organisation, editor=True),
        "member": MembershipFactory(organisation=organisation),
        # The one whose role and membership the actions below try to change.
        "target": MembershipFactory(organisation=organisation),
        "invitation": invitation,
    }


def visitor(client, org, who):
    if who == "anonymous":
        return
    if who == "outsider":
        user = UserFactory()
    elif who == "other-admin":
        user = MembershipFactory(admin=True).user
    else:
        user = org[who].user
    client.force_login(user)


def admin_actions(org):
    slug = org["organisation"].slug
    member = org["target"]
    return {
        "invite": (
            reverse("accounts:organisation_invite", args=[slug]),
            {"email": "new@ville.fr", "role": "admin"},
        ),
        "role": (reverse("accounts:member_role", args=[slug, member.pk]), {"role": "admin"}),
        "remove": (reverse("accounts:member_remove", args=[slug, member.pk]), {}),
        "withdraw": (
            reverse("accounts:invitation_withdraw", args=[slug, org["invitation"].pk]),
            {},
        ),
    }


def nothing_changed(org):
    target = Membership.objects.filter(pk=org["target"].pk).first()
    org["invitation"].refresh_from_db()
    return (
        target is not None
        and target.role == "member"
        and org["invitation"].withdrawn_at is None
        and not OrganisationInvitation.objects.filter(email="new@ville.fr").exists()
    )


@pytest.mark.parametrize("who", ["outsider", "other-admin"])
def test_a_non_member_gets_a_404_for_the_page(client, org, who):
    visitor(client, org, who)
    assert client.get(org["organisation"].get_absolute_url()).status_code == 404


def test_an_anonymous_visitor_is_asked_to_log_in(client, org):
    response = client.get(org["organisation"].get_absolute_url())
    assert response.url.startswith(reverse("accounts:login"))


def test_an_unknown_organisation_is_a_404(client, org):
    visitor(client, org, "admin")
    assert client.get(reverse("accounts:organisation", args=["nope"])).status_code == 404


@pytest.mark.parametrize("action", ["invite", "role", "remove", "withdraw"])
@pytest.mark.parametrize(
    ("who", "status"),
    [("outsider", 404), ("other-admin", 404), ("member", 403), ("editor", 403)],
)
def test_only_an_admin_manages_members(client, org, action, who, status):
    visitor(client, org, who)
    url, data = admin_actions(org)[action]
    assert client.post(url, data).status_code == status
    assert nothing_changed(org)


@pytest.mark.parametrize("action", ["invite", "role", "remove", "withdraw"])
def test_an_anonymous_visitor_changes_nothing(client, org, action):
    url, data = admin_actions(org)[action]
    assert client.post(url, data).status_code == 302
    assert nothing_changed(org)


@pytest.mark.parametrize("action", ["invite", "role", "remove", "withdraw"])
def test_the_admin_can(client, org, action):
    visitor(client, org, "admin")
    url, data = admin_actions(org)[action]
    assert client.post(url, data).status_code == 302
    assert not nothing_changed(org)


@pytest.mark.parametrize("action", ["role", "remove", "withdraw"])
def test_an_admin_cannot_reach_another_organisations_members_through_a_forged_id(
    client, org, action
):
    other = MembershipFactory(admin=True)
    client.force_login(other.user)
    slug = other.organisation.slug
    urls = {
        "role": reverse("accounts:member_role", args=[slug, org["target"].pk]),
        "remove": reverse("accounts:member_remove", args=[slug, org["target"].pk]),
        "withdraw": reverse("accounts:invitation_withdraw", args=[slug, org["invitation"].pk]),
    }
    assert client.post(urls[action], {"role": "admin"}).status_code == 404
    assert nothing_changed(org)


def test_a_member_cannot_remove_another_member(client, org):
    visitor(client, org, "member")
    url = reverse("accounts:member_remove", args=[org["organisation"].slug, org["editor"].pk])
    assert client.post(url).status_code == 403
    assert Membership.objects.filter(pk=org["editor"].pk).exists()


def test_a_member_cannot_promote_themself(client, org):
    visitor(client, org, "member")
    url = reverse("accounts:member_role", args=[org["organisation"].slug, org["member"].pk])
    assert client.post(url, {"role": "admin"}).status_code == 403
    org["member"].refresh_from_db()
    assert org["member"].role == "member"


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_actions_only_accept_a_post(client, org, method):
    visitor(client, org, "admin")
    url, _data = admin_actions(org)["remove"]
    assert getattr(client, method)(url).status_code == 405
    assert nothing_changed(org)
