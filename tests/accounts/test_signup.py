"""Sign-up: the address alone; a French e-mail carries the link where its holder chooses her
name and password (tests/accounts/test_confirm.py). An address that already has an account is
never revealed to the person signing up, by the page or by its timing."""

import pytest
from django.core import mail
from django.urls import reverse

from sonar.accounts.models import User
from tests.accounts.conftest import link_in, text
from tests.factories import PASSWORD, UserFactory

URL = reverse("accounts:signup")


def form(**changes):
    # The fields of the earlier sign-up form too: a page kept open, or a forged post, still
    # sends them, and they must change nothing.
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


def test_the_sign_up_page_asks_only_for_the_address(client):
    page = client.get(URL).content.decode()
    assert 'name="email"' in page
    assert 'type="password"' not in page


def test_signing_up_sends_a_french_link_and_makes_no_account_yet(db, client):
    response = client.post(URL, form(), follow=True)

    assert response.redirect_chain == [(reverse("accounts:signup_done"), 302)]
    assert "Un courriel vient de partir vers anne.martin@ville.fr" in text(response)
    assert "choisir votre mot de passe" in text(response)
    assert not User.objects.exists()
    [message] = mail.outbox
    assert message.to == ["anne.martin@ville.fr"]
    assert message.subject == "Confirmez votre adresse sur Sonar"
    assert "vous y confirmerez votre adresse et choisirez votre mot de passe" in message.body
    assert link_in(message).startswith("/compte/confirmer/")


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


def test_signing_up_again_before_confirming_sends_a_new_link(db, client):
    client.post(URL, form())
    client.post(URL, form())
    assert [m.subject for m in mail.outbox] == ["Confirmez votre adresse sur Sonar"] * 2
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Saisissez votre adresse électronique."),
        ("pas-une-adresse", "Saisissez une adresse électronique valide"),
        ("a" * 300 + "@ville.fr", "Cette adresse est trop longue"),
    ],
    ids=["empty-email", "bad-email", "huge-email"],
)
def test_a_bad_address_gets_a_french_message(db, client, email, message):
    response = client.post(URL, form(email=email))

    assert response.status_code == 400
    assert message in text(response)
    assert "Il y a un problème" in text(response)
    assert 'href="#id_email"' in response.content.decode()
    assert mail.outbox == []


def test_a_logged_in_person_is_sent_to_their_account(db, client):
    client.force_login(UserFactory())
    assert client.get(URL).url == reverse("accounts:account")


def test_the_sign_up_page_exists_in_english(client):
    response = client.get("/en" + URL, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_a_huge_body_gets_a_french_413_and_sends_nothing(db, client):
    response = client.post(URL, form(name="x" * 400_000))
    assert response.status_code == 413
    assert "Ce que vous avez envoyé dépasse la taille permise" in text(response)
    assert mail.outbox == []


def test_a_known_address_and_an_unknown_one_cost_the_same_work(db, monkeypatch):
    """Timing told which addresses have an account (issue 12, finding 6): 15 ms for a known
    one, 330 ms (argon2) for a new one. Both now do the same work: no password hashed, the same
    queries, one e-mail. bench/signup.py measures the two with argon2."""
    from django.contrib.auth.hashers import MD5PasswordHasher
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    UserFactory(email="connue@ville.fr")
    hashing = []
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda *a, **k: hashing.append(a))
    monkeypatch.setattr(MD5PasswordHasher, "verify", lambda *a, **k: hashing.append(a))
    work = {}
    for email in ("connue@ville.fr", "inconnue@ville.fr"):
        mail.outbox.clear()
        with CaptureQueriesContext(connection) as queries:
            answer = Client().post(URL, form(email=email))
        work[email] = (answer.status_code, answer.url, len(queries), len(mail.outbox))

    assert hashing == []
    assert work["connue@ville.fr"] == work["inconnue@ville.fr"]
    assert work["inconnue@ville.fr"][3] == 1
