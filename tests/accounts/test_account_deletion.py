"""Deleting one's account (RGPD): the password first; what only the person used goes with the
account; what others still use must keep someone to manage it (an organisation its admin, a
project its admin), checked under lock so that two people leaving at once cannot both go."""

import contextlib
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from sonar.accounts import actions
from sonar.accounts.models import Membership, Organisation, User
from sonar.logbook import actions as logbook_actions
from sonar.logbook.models import Project, ProjectMember
from tests.accounts.conftest import text
from tests.factories import PASSWORD, MembershipFactory, UserFactory

DELETE = reverse("accounts:delete")


def project_of(*people, admins=1):
    """A project whose first `admins` people are admins, the others members."""
    project, _ = logbook_actions.create_project(
        people[0], f"cle-{people[0].pk}-{len(people)}", title="Accueil des habitants",
        kind="service", about="…", organisation=None,
    )  # fmt: skip
    for rank, person in enumerate(people[1:], start=1):
        role = ProjectMember.Role.ADMIN if rank < admins else ProjectMember.Role.MEMBER
        ProjectMember.objects.create(project=project, user=person, role=role)
    return project


def test_deleting_ones_account_asks_for_the_password_first(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(DELETE)
    assert "Supprimer définitivement mon compte" in text(response)
    assert User.objects.filter(pk=user.pk).exists()


@pytest.mark.parametrize("data", [{}, {"password": "faux"}, {"password": "p" * 10000}])
def test_a_wrong_or_missing_password_deletes_nothing(client, db, data):
    user = UserFactory()
    client.force_login(user)
    response = client.post(DELETE, data)
    assert response.status_code == 400
    assert "Il y a un problème" in text(response)
    assert User.objects.filter(pk=user.pk).exists()


def test_deleting_ones_account_erases_it_and_logs_out(client, db):
    membership = MembershipFactory()
    other_admin = MembershipFactory(organisation=membership.organisation, admin=True)
    client.force_login(membership.user)
    response = client.post(DELETE, {"password": PASSWORD}, follow=True)
    assert "Votre compte a été supprimé" in text(response)
    assert not User.objects.filter(pk=membership.user.pk).exists()
    assert "_auth_user_id" not in client.session
    assert Organisation.objects.filter(pk=other_admin.organisation.pk).exists()


def test_an_organisation_where_one_was_alone_goes_with_the_account(client, db):
    membership = MembershipFactory(admin=True)
    client.force_login(membership.user)
    assert membership.organisation.name in text(client.get(DELETE))
    client.post(DELETE, {"password": PASSWORD})
    assert not Organisation.objects.exists()


def test_the_last_admin_of_an_organisation_with_members_must_name_another_first(client, db):
    admin = MembershipFactory(admin=True)
    MembershipFactory(organisation=admin.organisation)
    client.force_login(admin.user)
    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 400
    assert "Nommez d’abord un autre administrateur" in text(response)
    assert User.objects.filter(pk=admin.user.pk).exists()
    assert Membership.objects.count() == 2


def test_deleting_needs_a_post(client, db):
    client.force_login(UserFactory())
    assert client.put(DELETE).status_code == 405


def test_the_rule_is_checked_by_the_deletion_itself(db):
    # Two admins open the deletion page together: neither is the last admin yet. One deletes
    # her account; the other's deletion, already past its page, must still be refused.
    first = MembershipFactory(admin=True)
    second = MembershipFactory(organisation=first.organisation, admin=True)
    MembershipFactory(organisation=first.organisation)

    actions.delete_account(first.user)

    with pytest.raises(actions.RuleBroken):
        actions.delete_account(second.user)
    assert first.organisation.memberships.filter(role=Membership.Role.ADMIN).exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writing transaction at a time (IMMEDIATE): no two deletions overlap",
)
@pytest.mark.django_db(transaction=True)
def test_two_admins_deleting_their_accounts_at_once_leave_the_organisation_an_admin(monkeypatch):
    first = MembershipFactory(admin=True)
    second = MembershipFactory(organisation=first.organisation, admin=True)
    MembershipFactory(organisation=first.organisation)
    both_checked = threading.Barrier(2, timeout=2)
    check = actions.departure

    def check_then_wait(user):
        # Each deletion waits, once it has checked the rule, for the other to have checked it
        # too (or for two seconds, when the other waits for a lock): the overlap of a race.
        found = check(user)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait()
        return found

    monkeypatch.setattr(actions, "departure", check_then_wait)
    answers = {}

    def leave(membership):
        browser = Client()
        browser.force_login(membership.user)
        answers[membership.pk] = browser.post(DELETE, {"password": PASSWORD}).status_code
        connection.close()

    threads = [threading.Thread(target=leave, args=(m,)) for m in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers.values()) == [302, 400]
    assert first.organisation.memberships.filter(role=Membership.Role.ADMIN).count() == 1
    assert User.objects.filter(pk__in=[first.user.pk, second.user.pk]).count() == 1


def test_the_only_admin_of_a_project_with_a_team_must_hand_it_over_first(client, db):
    anne, marc = UserFactory(), UserFactory()
    project = project_of(anne, marc)
    client.force_login(anne)

    page = client.get(DELETE)
    assert "Vous êtes le seul administrateur de projets qui ont une équipe" in text(page)
    assert reverse("logbook:team", args=[project.pk]) in page.content.decode()
    assert "Supprimer définitivement mon compte" not in text(page)

    response = client.post(DELETE, {"password": PASSWORD})
    assert response.status_code == 400
    assert User.objects.filter(pk=anne.pk).exists()
    assert project.admins().get().user == anne


def test_once_another_admin_is_named_the_account_can_go_and_the_project_stays(client, db):
    anne, marc = UserFactory(), UserFactory()
    project = project_of(anne, marc, admins=2)
    client.force_login(anne)

    response = client.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert Project.objects.filter(pk=project.pk).exists()
    assert list(project.admins().values_list("user", flat=True)) == [marc.pk]


def test_a_project_where_one_was_alone_goes_with_the_account(client, db):
    anne = UserFactory()
    project = project_of(anne)
    client.force_login(anne)

    page = client.get(DELETE)
    assert "Ces projets, dont vous êtes le seul membre, seront supprimés aussi" in text(page)
    assert project.title in text(page)

    client.post(DELETE, {"password": PASSWORD})
    assert not Project.objects.filter(pk=project.pk).exists()
    assert not Organisation.objects.exists()
