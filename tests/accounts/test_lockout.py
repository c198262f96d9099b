"""Log-in rate limiting (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account
from one address, even the right password is refused with a French 429 page until the cool-off
has passed; other accounts behind the same address are not locked out."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from tests.accounts.conftest import text
from tests.factories import PASSWORD, UserFactory

URL = reverse("accounts:login")


@pytest.fixture
def anne(db):
    return UserFactory(email="anne@ville.fr")


def attempt(client, email, password, ip="203.0.113.7"):
    return client.post(URL, {"username": email, "password": password}, REMOTE_ADDR=ip)


def guess(client, email="anne@ville.fr", ip="203.0.113.7"):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, email, f"essai {n}", ip)


def test_wrong_passwords_lock_the_account_even_for_the_right_password(client, anne):
    guess(client)
    response = attempt(client, "anne@ville.fr", PASSWORD)
    assert response.status_code == 429
    assert "Connexion momentanément bloquée" in text(response)
    assert "pendant 15 minutes" in text(response)
    assert "_auth_user_id" not in client.session


def test_one_try_fewer_than_the_limit_still_logs_in(client, anne):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "anne@ville.fr", f"essai {n}")
    assert attempt(client, "anne@ville.fr", PASSWORD).status_code == 302


def test_the_count_ignores_the_case_of_the_address(client, anne):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "ANNE@ville.fr" if n % 2 else "anne@ville.fr", f"essai {n}")
    assert attempt(client, "anne@ville.fr", PASSWORD).status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, anne):
    guess(client)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    response = attempt(client, "anne@ville.fr", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("accounts:account")


def test_a_colleague_behind_the_same_address_can_still_log_in(client, anne):
    UserFactory(email="bruno@ville.fr")
    guess(client)
    assert attempt(client, "bruno@ville.fr", PASSWORD).status_code == 302


def test_the_owner_can_still_log_in_from_another_address(client, anne):
    guess(client, ip="203.0.113.7")
    assert attempt(client, "anne@ville.fr", PASSWORD, ip="198.51.100.2").status_code == 302


def test_a_fresh_address_of_the_same_ipv6_network_does_not_give_fresh_tries(client, anne):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "anne@ville.fr", f"essai {n}", ip=f"2001:db8:5:6::{n + 1:x}")
    response = attempt(client, "anne@ville.fr", PASSWORD, ip="2001:db8:5:6:abcd::99")
    assert response.status_code == 429
    assert "Connexion momentanément bloquée" in text(response)


def test_the_next_ipv6_network_is_another_client(client, anne):
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "anne@ville.fr", f"essai {n}", ip=f"2001:db8:5:6::{n + 1:x}")
    assert attempt(client, "anne@ville.fr", PASSWORD, ip="2001:db8:5:7::1").status_code == 302
