"""The account page ("Mon compte"); deleting the account is in test_account_deletion.py."""

from django.urls import reverse

from sonar.accounts import sections
from tests.accounts.conftest import text
from tests.factories import MembershipFactory, UserFactory

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
