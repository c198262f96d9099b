"""Log-in and log-out: only confirmed accounts log in, `next` never leaves the site, log-out is
a POST."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import text
from tests.factories import PASSWORD, UserFactory

URL = reverse("accounts:login")


def test_a_confirmed_account_logs_in_and_lands_on_its_account_page(client, db):
    UserFactory(email="anne@ville.fr")
    response = client.post(URL, {"username": "Anne@Ville.fr", "password": PASSWORD})
    assert response.url == reverse("accounts:account")


def test_a_wrong_password_gets_a_message_that_keeps_the_address(client, db):
    UserFactory(email="anne@ville.fr")
    response = client.post(URL, {"username": "anne@ville.fr", "password": "faux"})
    assert response.status_code == 400
    assert "Adresse électronique ou mot de passe incorrect." in text(response)
    assert 'value="anne@ville.fr"' in response.content.decode()


def test_an_unknown_address_gets_the_same_message_as_a_wrong_password(client, db):
    response = client.post(URL, {"username": "zoe@ville.fr", "password": PASSWORD})
    assert "Adresse électronique ou mot de passe incorrect." in text(response)


def test_an_unconfirmed_account_cannot_log_in_and_is_offered_a_new_link(client, db):
    UserFactory(email="anne@ville.fr", unconfirmed=True)
    response = client.post(URL, {"username": "anne@ville.fr", "password": PASSWORD})
    assert response.status_code == 400
    assert "Votre adresse n’est pas encore confirmée" in text(response)
    assert reverse("accounts:resend") in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "data", [{}, {"username": "", "password": ""}, {"username": "a" * 5000, "password": "b"}]
)
def test_empty_or_oversized_forms_get_messages(client, db, data):
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Il y a un problème" in text(response)


def test_a_safe_next_is_followed(client, db):
    UserFactory(email="anne@ville.fr")
    response = client.post(
        URL + "?next=/carnets/", {"username": "anne@ville.fr", "password": PASSWORD}
    )
    assert response.url == "/carnets/"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_a_next_leading_off_the_site_is_ignored(client, db, next_url):
    UserFactory(email="anne@ville.fr")
    response = client.post(
        URL, {"username": "anne@ville.fr", "password": PASSWORD, "next": next_url}
    )
    assert response.url == reverse("accounts:account")


def test_log_out_is_a_post(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("core:home")
    assert "_auth_user_id" not in client.session


def test_the_header_offers_to_log_in_to_an_anonymous_visitor(client, db):
    response = client.get(reverse("core:home"))
    assert "Se connecter" in text(response)
    assert "Se déconnecter" not in text(response)


def test_the_header_offers_the_account_and_a_log_out_button_once_logged_in(client, db):
    client.force_login(UserFactory())
    html = client.get(reverse("core:home")).content.decode()
    assert "Mon compte" in html
    assert f'action="{reverse("accounts:logout")}"' in html
