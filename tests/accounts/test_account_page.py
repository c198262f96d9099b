"""The account page ("Mon compte") and deleting one's account."""

import pytest
from django.urls import reverse

from sonar.accounts import sections
from sonar.accounts.models import Membership, Organisation, User
from tests.accounts.conftest import text
from tests.factories import PASSWORD, MembershipFactory, UserFactory

URL = reverse("accounts:account")
DELETE = reverse("accounts:delete")


def test_the_account_page_needs_a_log_in(client, db):
    response = client.get(URL)
    assert response.url == reverse("accounts:login") + "?next=" + URL


def test_the_account_page_shows_name_address_and_organisations(client, db):
    membership = MembershipFactory(
        user__name="Anne Martin",
        user__email="anne@ville.fr",
        organisation__name="Lab 42",
        admin=True,
    )
    client.force_login(membership.user)
    page = text(client.get(URL))
    assert "anne@ville.fr" in page
    assert "Lab 42 — administrateur" in page


def test_changing_ones_name(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"name": "  Anne M.  "}, follow=True)
    assert "Votre nom a été enregistré." in text(response)
    user.refresh_from_db()
    assert user.name == "Anne M."


def test_a_huge_name_is_refused_and_kept(client, db):
    client.force_login(UserFactory())
    response = client.post(URL, {"name": "n" * 400})
    assert response.status_code == 400
    assert "Ce nom est trop long" in text(response)
    assert "n" * 400 in response.content.decode()


def test_other_apps_can_add_a_section(client, db, monkeypatch, tmp_path, settings):
    (tmp_path / "section.html").write_text("<h2>Mes carnets</h2><p>{{ user.email }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    monkeypatch.setattr(sections, "_templates", [])
    sections.register("section.html")
    user = UserFactory(email="anne@ville.fr")
    client.force_login(user)
    assert "Mes carnets anne@ville.fr" in text(client.get(URL))


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
