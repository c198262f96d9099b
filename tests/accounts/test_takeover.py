"""Nobody can take over an address by signing up with it first (issue 12, finding 2).

Confirming proves that one holds the mailbox, so the password that holds is the one chosen by
whoever confirms: a sign-up made by someone else, before or after, never leaves its password on
the account, whichever link of the mailbox is opened."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sonar.accounts.models import User
from tests.accounts.conftest import link_in

pytestmark = pytest.mark.django_db

VICTIM = "claire@ville.fr"
ATTACKER_PASSWORD = "le mot de passe de l’intrus"
VICTIM_PASSWORD = "la phrase de passe de Claire"


def sign_up(password):
    Client().post(
        reverse("accounts:signup"),
        {"email": VICTIM, "name": "Claire", "password1": password, "password2": password},
    )
    return link_in(mail.outbox[-1])


def confirm(link, password):
    """The mailbox's owner opens the link, and confirms with the password she means to keep."""
    browser = Client()
    browser.get(link)
    browser.post(link, {"name": "Claire", "password1": password, "password2": password})
    return browser


def logs_in(password):
    answer = Client().post(reverse("accounts:login"), {"username": VICTIM, "password": password})
    return answer.status_code == 302


def test_an_address_signed_up_by_someone_else_first_takes_the_password_of_whoever_confirms():
    sign_up(ATTACKER_PASSWORD)
    her_link = sign_up(VICTIM_PASSWORD)

    confirm(her_link, VICTIM_PASSWORD)

    assert logs_in(VICTIM_PASSWORD)
    assert not logs_in(ATTACKER_PASSWORD)


def test_opening_the_link_of_someone_elses_sign_up_still_keeps_only_the_confirmers_password():
    attackers_link = sign_up(ATTACKER_PASSWORD)

    confirm(attackers_link, VICTIM_PASSWORD)

    assert logs_in(VICTIM_PASSWORD)
    assert not logs_in(ATTACKER_PASSWORD)


def test_a_sign_up_after_the_owners_own_keeps_her_password():
    her_link = sign_up(VICTIM_PASSWORD)
    sign_up(ATTACKER_PASSWORD)

    confirm(her_link, VICTIM_PASSWORD)

    assert logs_in(VICTIM_PASSWORD)
    assert not logs_in(ATTACKER_PASSWORD)


def test_an_unconfirmed_sign_up_keeps_no_password_at_all():
    sign_up(ATTACKER_PASSWORD)
    assert not User.objects.filter(email=VICTIM).exclude(password__startswith="!").exists()


def test_an_account_left_unconfirmed_by_an_earlier_version_takes_the_confirmers_password():
    # Sign-ups of the previous version created the account with its password at once.
    User.objects.create_user(VICTIM, ATTACKER_PASSWORD)
    link = sign_up(VICTIM_PASSWORD)

    confirm(link, VICTIM_PASSWORD)

    assert logs_in(VICTIM_PASSWORD)
    assert not logs_in(ATTACKER_PASSWORD)
    assert User.objects.filter(email=VICTIM).count() == 1


def test_a_confirmation_link_used_once_cannot_change_the_password_again():
    link = sign_up(VICTIM_PASSWORD)
    confirm(link, VICTIM_PASSWORD)

    confirm(link, ATTACKER_PASSWORD)

    assert logs_in(VICTIM_PASSWORD)
    assert not logs_in(ATTACKER_PASSWORD)
