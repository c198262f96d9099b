"""Confirming an address: the e-mailed link opens a page with a button (GET never writes), the
button confirms; expired, forged or stale links say what to do next."""

import pytest
from django.core import mail
from django.urls import reverse

from sonar.accounts import emails
from sonar.accounts.models import User
from tests.accounts.conftest import link_in, text
from tests.factories import UserFactory


@pytest.fixture
def new_user(db):
    return UserFactory(email="anne@ville.fr", unconfirmed=True)


def confirm_url(user, next_url=""):
    return reverse("accounts:confirm", args=[emails.confirmation_token(user, next_url)])


def test_opening_the_link_asks_for_a_click_and_confirms_nothing_yet(client, new_user):
    response = client.get(confirm_url(new_user))
    assert response.status_code == 200
    assert "Vous confirmez que l’adresse anne@ville.fr est bien la vôtre." in text(response)
    new_user.refresh_from_db()
    assert not new_user.confirmed


def test_the_button_confirms_the_address_and_leads_to_the_log_in_page(client, new_user):
    response = client.post(confirm_url(new_user), follow=True)
    assert response.redirect_chain == [(reverse("accounts:login"), 302)]
    assert "Votre adresse est confirmée. Vous pouvez vous connecter." in text(response)
    new_user.refresh_from_db()
    assert new_user.confirmed


def test_the_link_from_the_sign_up_e_mail_works(db, client):
    client.post(
        reverse("accounts:signup"),
        {"email": "b@ville.fr", "password1": "une longue phrase", "password2": "une longue phrase"},
    )
    client.post(link_in(mail.outbox[0]))
    assert User.objects.get(email="b@ville.fr").confirmed


def test_a_second_click_says_the_address_is_already_confirmed(client, new_user):
    url = confirm_url(new_user)
    client.post(url)
    response = client.post(url, follow=True)
    assert "Votre adresse est déjà confirmée" in text(response)


def test_the_invitation_page_it_came_from_comes_back_after_log_in(client, new_user):
    response = client.post(confirm_url(new_user, "/compte/invitations/abc/"))
    assert response.url == reverse("accounts:login") + "?next=%2Fcompte%2Finvitations%2Fabc%2F"


def test_an_expired_link_says_so_and_offers_a_new_one(client, new_user, settings):
    settings.ACCOUNT_CONFIRMATION_MAX_AGE = -1
    response = client.post(confirm_url(new_user))
    assert response.status_code == 400
    assert "Ce lien de confirmation a expiré." in text(response)
    assert reverse("accounts:resend") in response.content.decode()
    new_user.refresh_from_db()
    assert not new_user.confirmed


@pytest.mark.parametrize("token", ["abc", "x" * 500, "eyJ1IjoxfQ:1abc:forged"])
def test_a_forged_link_is_refused(client, new_user, token):
    response = client.post(reverse("accounts:confirm", args=[token]))
    assert response.status_code == 400
    assert "Ce lien de confirmation n’est pas valable." in text(response)
    new_user.refresh_from_db()
    assert not new_user.confirmed


def test_a_link_for_an_address_that_changed_no_longer_works(client, new_user):
    url = confirm_url(new_user)
    User.objects.filter(pk=new_user.pk).update(email="autre@ville.fr")
    response = client.post(url)
    assert response.status_code == 400
    assert not User.objects.get(pk=new_user.pk).confirmed


def test_asking_for_a_new_link_does_not_reveal_whether_an_account_exists(client, new_user):
    known = client.post(reverse("accounts:resend"), {"email": "anne@ville.fr"}, follow=True)
    unknown = client.post(reverse("accounts:resend"), {"email": "zoe@ville.fr"}, follow=True)
    assert text(known).replace("anne@ville.fr", "X") == text(unknown).replace("zoe@ville.fr", "X")
    assert [m.to for m in mail.outbox] == [["anne@ville.fr"]]


def test_asking_for_a_new_link_with_an_empty_form_gets_a_message(client, db):
    response = client.post(reverse("accounts:resend"), {})
    assert response.status_code == 400
    assert "Saisissez votre adresse électronique." in text(response)
