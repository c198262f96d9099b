"""Forgotten and changed passwords: Django's views, our pages, French e-mails with links on the
public address."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.conftest import link_in, text
from tests.factories import PASSWORD, UserFactory

NEW = "une toute nouvelle phrase"


def test_a_forgotten_password_is_replaced_through_a_french_e_mail(client, db):
    user = UserFactory(email="anne@ville.fr")
    response = client.post(reverse("accounts:password_reset"), {"email": "Anne@Ville.fr"})
    assert response.url == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    assert message.subject == "Choisir un nouveau mot de passe Sonar"
    assert "ignorez ce message" in message.body
    assert "http://127.0.0.1:8000/compte/mot-de-passe/nouveau/" in message.body

    form_page = client.get(link_in(message), follow=True)
    assert "Choisir un nouveau mot de passe" in text(form_page)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert "Votre nouveau mot de passe est enregistré" in text(response)
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_a_reset_also_confirms_an_unconfirmed_address(client, db):
    user = UserFactory(email="anne@ville.fr", unconfirmed=True)
    client.post(reverse("accounts:password_reset"), {"email": "anne@ville.fr"})
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    user.refresh_from_db()
    assert user.confirmed


def test_an_unknown_address_gets_the_same_answer_and_no_e_mail(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "zoe@ville.fr"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_says_it_no_longer_works(client, db):
    UserFactory(email="anne@ville.fr")
    client.post(reverse("accounts:password_reset"), {"email": "anne@ville.fr"})
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    response = client.get(link, follow=True)
    assert "Ce lien ne fonctionne plus" in text(response)


def test_mismatched_new_passwords_get_a_french_message(client, db):
    UserFactory(email="anne@ville.fr")
    client.post(reverse("accounts:password_reset"), {"email": "anne@ville.fr"})
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW + "x"}
    )
    assert "Les deux mots de passe ne sont pas identiques." in text(response)


def test_an_empty_reset_form_gets_a_message(client, db):
    response = client.post(reverse("accounts:password_reset"), {})
    assert response.status_code == 400
    assert "Saisissez votre adresse électronique." in text(response)


def test_changing_ones_password_keeps_one_logged_in(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert "Votre mot de passe a été changé." in text(response)
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"old_password": "faux", "new_password1": NEW, "new_password2": NEW},
            "actuel est incorrect",
        ),
        ({"old_password": PASSWORD, "new_password1": NEW, "new_password2": "x"}, "pas identiques"),
        ({}, "Il y a un problème"),
    ],
    ids=["wrong-current", "mismatch", "empty"],
)
def test_a_wrong_password_change_is_refused_with_a_message(client, db, data, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:password_change"), data)
    assert response.status_code == 400
    assert message in text(response)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_changing_a_password_needs_an_account(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.url.startswith(reverse("accounts:login") + "?next=")
