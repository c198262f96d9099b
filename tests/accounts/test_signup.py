"""Sign-up: an account is created unconfirmed and a French e-mail carries the confirmation link;
an address that already has an account is never revealed to the person signing up."""

import pytest
from django.core import mail
from django.urls import reverse

from sonar.accounts.models import User
from tests.accounts.conftest import link_in, text
from tests.factories import PASSWORD, UserFactory

URL = reverse("accounts:signup")


def form(**changes):
    data = {
        "email": "Anne.Martin@Ville.fr",
        "name": "Anne Martin",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(changes)
    return data


def test_the_sign_up_page_explains_that_an_account_is_optional(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Le diagnostic, la carte et les ateliers restent ouverts sans compte" in text(response)


def test_signing_up_creates_an_unconfirmed_account_hashed_with_argon2_and_sends_a_french_link(
    db, client
):
    response = client.post(URL, form(), follow=True)

    assert response.redirect_chain == [(reverse("accounts:signup_done"), 302)]
    assert "Un courriel vient de partir vers anne.martin@ville.fr" in text(response)
    user = User.objects.get()
    assert (user.email, user.name, user.confirmed) == ("anne.martin@ville.fr", "Anne Martin", False)
    assert user.password.startswith("argon2")
    [message] = mail.outbox
    assert message.to == ["anne.martin@ville.fr"]
    assert message.subject == "Confirmez votre adresse sur Sonar"
    assert link_in(message).startswith("/compte/confirmer/")


def test_a_name_is_optional(db, client):
    client.post(URL, form(name=""))
    assert User.objects.get().name == ""


def test_signing_up_with_a_known_address_tells_its_owner_not_the_visitor(db, client):
    owner = UserFactory(email="anne.martin@ville.fr")
    response = client.post(
        URL, form(password1="autre phrase secrète", password2="autre phrase secrète"), follow=True
    )

    assert "Un courriel vient de partir vers anne.martin@ville.fr" in text(response)
    assert "déjà" not in text(response)
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    [message] = mail.outbox
    assert message.subject == "Votre compte Sonar existe déjà"
    assert "aucun nouveau compte n’a été créé" in message.body


def test_signing_up_again_before_confirming_sends_a_new_confirmation_link(db, client):
    UserFactory(email="anne.martin@ville.fr", unconfirmed=True)
    client.post(URL, form())
    assert User.objects.count() == 1
    [message] = mail.outbox
    assert message.subject == "Confirmez votre adresse sur Sonar"


def test_a_double_submit_creates_one_account(db, client):
    client.post(URL, form())
    client.post(URL, form())
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Saisissez votre adresse électronique."),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse électronique valide"),
        ({"email": "a" * 300 + "@ville.fr"}, "email", "Cette adresse est trop longue"),
        ({"password1": "", "password2": ""}, "password1", "Choisissez un mot de passe."),
        (
            {"password2": "une autre phrase"},
            "password2",
            "Les deux mots de passe ne sont pas identiques.",
        ),
        ({"password1": "court", "password2": "court"}, "password1", "trop court"),
        (
            {"password1": "1234567890123", "password2": "1234567890123"},
            "password1",
            "entièrement numérique",
        ),
        ({"password1": "motdepasse", "password2": "motdepasse"}, "password1", "trop courant"),
        ({"name": "x" * 151}, "name", "Ce nom est trop long"),
    ],
    ids=[
        "empty-email",
        "bad-email",
        "huge-email",
        "empty-password",
        "mismatch",
        "short",
        "numeric",
        "common",
        "huge-name",
    ],
)
def test_bad_input_gets_a_french_message_and_keeps_what_was_typed(
    db, client, changes, field, message
):
    data = form(**changes)
    response = client.post(URL, data)

    assert response.status_code == 400
    assert message in text(response)
    assert "Il y a un problème" in text(response)
    assert f'href="#id_{field}"' in response.content.decode()
    if field != "email":
        assert 'value="Anne.Martin@Ville.fr"' in response.content.decode()
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_an_empty_form_lists_every_missing_field(db, client):
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Saisissez votre adresse électronique." in text(response)
    assert "Choisissez un mot de passe." in text(response)


def test_a_logged_in_person_is_sent_to_their_account(db, client):
    client.force_login(UserFactory())
    assert client.get(URL).url == reverse("accounts:account")


def test_the_sign_up_page_exists_in_english(client):
    response = client.get("/en" + URL)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_a_huge_body_gets_a_french_413_and_creates_nothing(db, client):
    response = client.post(URL, form(name="x" * 400_000))
    assert response.status_code == 413
    assert "Ce que vous avez envoyé dépasse la taille permise" in text(response)
    assert not User.objects.exists()
