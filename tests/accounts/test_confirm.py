"""Confirming an address: the e-mailed link opens a page where its holder chooses her name and
password (GET never writes: a mail scanner opening the link confirms nothing); the form makes
the account and signs her in. Expired, forged or used links say what to do next."""

import pytest
from django.core import mail
from django.urls import reverse

from sonar.accounts import emails
from sonar.accounts.models import User
from tests.accounts.conftest import link_in, text
from tests.factories import PASSWORD, UserFactory

EMAIL = "anne@ville.fr"


def confirm_url(email=EMAIL, next_url=""):
    return reverse("accounts:confirm", args=[emails.confirmation_token(email, next_url)])


def choose(**changes):
    data = {"name": "Anne Martin", "password1": PASSWORD, "password2": PASSWORD}
    data.update(changes)
    return data


def test_opening_the_link_asks_for_a_password_and_makes_nothing_yet(client, db):
    response = client.get(confirm_url())
    assert response.status_code == 200
    assert "Vous confirmez que l’adresse anne@ville.fr est bien la vôtre." in text(response)
    assert 'name="password1"' in response.content.decode()
    assert not User.objects.exists()


def test_the_form_makes_the_account_hashed_with_argon2_and_signs_in(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = client.post(confirm_url(), choose(), follow=True)

    assert response.redirect_chain == [(reverse("accounts:account"), 302)]
    assert "Votre adresse est confirmée : bienvenue sur Sonar." in text(response)
    assert "Mon compte" in text(response)
    user = User.objects.get()
    assert (user.email, user.name, user.confirmed) == (EMAIL, "Anne Martin", True)
    assert user.password.startswith("argon2")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_a_name_is_optional(client, db):
    client.post(confirm_url(), choose(name=""))
    assert User.objects.get().name == ""


def test_the_link_from_the_sign_up_e_mail_works(db, client):
    client.post(reverse("accounts:signup"), {"email": "b@ville.fr"})
    client.post(link_in(mail.outbox[0]), choose())
    assert User.objects.get(email="b@ville.fr").confirmed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password1": "", "password2": ""}, "password1", "Choisissez un mot de passe."),
        ({"password2": "une autre phrase"}, "password2", "Les deux mots de passe ne sont pas"),
        ({"password1": "court", "password2": "court"}, "password1", "trop court"),
        ({"password1": "1234567890123", "password2": "1234567890123"}, "password1", "numérique"),
        ({"password1": "motdepasse", "password2": "motdepasse"}, "password1", "trop courant"),
        ({"password1": "anne@ville.fr", "password2": "anne@ville.fr"}, "password1", "trop"),
        ({"name": "x" * 151}, "name", "Ce nom est trop long"),
    ],
    ids=["empty", "mismatch", "short", "numeric", "common", "like-the-address", "huge-name"],
)
def test_a_bad_choice_gets_a_french_message_and_keeps_the_name(client, db, changes, field, message):
    response = client.post(confirm_url(), choose(**changes))

    assert response.status_code == 400
    assert message in text(response)
    assert "Il y a un problème" in text(response)
    assert f'href="#id_{field}"' in response.content.decode()
    if field != "name":
        assert 'value="Anne Martin"' in response.content.decode()
    assert not User.objects.exists()


def test_a_double_submit_makes_one_account(client, db):
    url = confirm_url()
    client.post(url, choose())
    client.post(url, choose())
    assert User.objects.count() == 1


def test_a_used_link_leads_to_the_log_in_page(client, db):
    url = confirm_url()
    client.post(url, choose())
    client.post(reverse("accounts:logout"))

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(reverse("accounts:login"), 302)]
    assert "Votre adresse est déjà confirmée" in text(response)


def test_the_invitation_page_it_came_from_comes_next(client, db):
    response = client.post(confirm_url(next_url="/compte/invitations/abc/"), choose())
    assert response.url == "/compte/invitations/abc/"


def test_an_address_confirmed_meanwhile_sends_to_the_log_in_page_with_its_next_page(client, db):
    UserFactory(email=EMAIL)
    response = client.post(confirm_url(next_url="/compte/invitations/abc/"), choose())
    assert response.url == reverse("accounts:login") + "?next=%2Fcompte%2Finvitations%2Fabc%2F"


def test_an_expired_link_says_so_and_offers_a_new_one(client, db, settings):
    settings.ACCOUNT_CONFIRMATION_MAX_AGE = -1
    response = client.post(confirm_url(), choose())
    assert response.status_code == 400
    assert "Ce lien de confirmation a expiré." in text(response)
    assert reverse("accounts:resend") in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize("token", ["abc", "x" * 500, "eyJ1IjoxfQ:1abc:forged"])
def test_a_forged_link_is_refused(client, db, token):
    response = client.post(reverse("accounts:confirm", args=[token]), choose())
    assert response.status_code == 400
    assert "Ce lien de confirmation n’est pas valable." in text(response)
    assert not User.objects.exists()


def test_asking_for_a_new_link_does_not_reveal_whether_an_account_exists(client, db):
    UserFactory(email=EMAIL)
    known = client.post(reverse("accounts:resend"), {"email": EMAIL}, follow=True)
    unknown = client.post(reverse("accounts:resend"), {"email": "zoe@ville.fr"}, follow=True)
    assert text(known).replace(EMAIL, "X") == text(unknown).replace("zoe@ville.fr", "X")
    assert [m.to for m in mail.outbox] == [[EMAIL], ["zoe@ville.fr"]]


def test_asking_for_a_new_link_with_an_empty_form_gets_a_message(client, db):
    response = client.post(reverse("accounts:resend"), {})
    assert response.status_code == 400
    assert "Saisissez votre adresse électronique." in text(response)
