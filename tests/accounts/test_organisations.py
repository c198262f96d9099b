"""Creating an organisation, its page, members and roles; at least one admin always remains."""

import pytest
from django.urls import reverse

from sonar.accounts.models import Membership, Organisation
from tests.accounts.conftest import text
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

CREATE = reverse("accounts:organisation_create")


def role_url(membership):
    return reverse("accounts:member_role", args=[membership.organisation.slug, membership.pk])


def remove_url(membership):
    return reverse("accounts:member_remove", args=[membership.organisation.slug, membership.pk])


def test_creating_an_organisation_makes_its_creator_an_admin(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(CREATE, {"name": "Métropole de Lyon", "kind": "metropole"}, follow=True)
    organisation = Organisation.objects.get()
    assert response.redirect_chain == [(organisation.get_absolute_url(), 302)]
    assert organisation.slug == "metropole-de-lyon"
    assert Membership.objects.get().role == Membership.Role.ADMIN
    assert "Vous en êtes administrateur." in text(response)


def test_a_double_submit_creates_one_organisation(client, db):
    client.force_login(UserFactory())
    first = client.post(CREATE, {"name": "Lab 42", "kind": "lab"})
    second = client.post(CREATE, {"name": "Lab 42", "kind": "lab"})
    assert Organisation.objects.count() == 1
    assert first.url == second.url


def test_two_organisations_with_one_name_get_different_addresses(client, db):
    OrganisationFactory(name="Lab 42", slug="lab-42")
    client.force_login(UserFactory())
    client.post(CREATE, {"name": "Lab 42", "kind": "lab"})
    assert Organisation.objects.filter(name="Lab 42").values("slug").distinct().count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Donnez un nom à l’organisation."),
        ({"name": "  ", "kind": "lab"}, "Donnez un nom à l’organisation."),
        ({"name": "x" * 201, "kind": "lab"}, "Ce nom est trop long"),
        ({"name": "Lab"}, "Choisissez le type d’organisation."),
        ({"name": "Lab", "kind": "empire"}, "Choisissez un type dans la liste."),
    ],
    ids=["empty", "blank", "huge", "no-kind", "unknown-kind"],
)
def test_bad_input_gets_a_message_and_creates_nothing(client, db, data, message):
    client.force_login(UserFactory())
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert message in text(response)
    assert not Organisation.objects.exists()


def test_creating_an_organisation_needs_an_account(client, db):
    assert client.get(CREATE).url.startswith(reverse("accounts:login"))


def test_members_see_the_members_and_their_roles(client, db):
    admin = MembershipFactory(admin=True, user__name="Anne")
    member = MembershipFactory(organisation=admin.organisation, user__name="Bruno")
    client.force_login(member.user)
    page = text(client.get(admin.organisation.get_absolute_url()))
    assert "Anne" in page
    assert "administrateur" in page
    assert "Bruno" in page
    assert "Inviter quelqu’un" not in page


def test_an_admin_changes_a_role(client, db):
    admin = MembershipFactory(admin=True)
    member = MembershipFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    response = client.post(role_url(member), {"role": "editor"}, follow=True)
    member.refresh_from_db()
    assert member.role == "editor"
    assert "est maintenant éditeur" in text(response)


def test_an_unknown_role_is_refused(client, db):
    admin = MembershipFactory(admin=True)
    member = MembershipFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    response = client.post(role_url(member), {"role": "owner"})
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.role == "member"


def test_an_admin_removes_a_member(client, db):
    admin = MembershipFactory(admin=True)
    member = MembershipFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    client.post(remove_url(member))
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_a_member_can_leave(client, db):
    admin = MembershipFactory(admin=True)
    member = MembershipFactory(organisation=admin.organisation)
    client.force_login(member.user)
    response = client.post(remove_url(member), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:account")
    assert "Vous avez quitté" in text(response)
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_the_last_admin_cannot_leave(client, db):
    admin = MembershipFactory(admin=True)
    MembershipFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    response = client.post(remove_url(admin), follow=True)
    assert "garde toujours au moins un administrateur" in text(response)
    assert Membership.objects.filter(pk=admin.pk).exists()


def test_the_last_admin_cannot_demote_themself(client, db):
    admin = MembershipFactory(admin=True)
    client.force_login(admin.user)
    response = client.post(role_url(admin), {"role": "member"}, follow=True)
    assert "garde toujours au moins un administrateur" in text(response)
    admin.refresh_from_db()
    assert admin.role == "admin"


def test_an_admin_can_step_down_once_another_admin_exists(client, db):
    admin = MembershipFactory(admin=True)
    MembershipFactory(organisation=admin.organisation, admin=True)
    client.force_login(admin.user)
    client.post(role_url(admin), {"role": "editor"})
    admin.refresh_from_db()
    assert admin.role == "editor"
    client.post(remove_url(admin))
    assert not Membership.objects.filter(pk=admin.pk).exists()


def test_of_two_admins_removing_each_other_one_remains(client, db):
    first = MembershipFactory(admin=True)
    second = MembershipFactory(organisation=first.organisation, admin=True)
    client.force_login(first.user)
    client.post(remove_url(second))
    client.force_login(first.user)
    client.post(remove_url(first))
    assert list(Membership.objects.values_list("role", flat=True)) == ["admin"]
