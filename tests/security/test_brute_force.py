"""Guessing goes nowhere: join codes and log-ins are rate-limited, and the limit holds.

With the real limits (100 wrong codes per address in 10 minutes, 5 wrong passwords per account
and address), the full stories are in tests/workshops/test_pages.py
(`test_too_many_wrong_codes_pause_joining_from_that_address`), tests/workshops/test_api.py and
tests/accounts/test_lockout.py. Here the limits are made small, so the loops are short, and the
attacker keeps going past the limit: every further try, right or wrong, is refused.
"""

import pytest
from django.test import Client
from django.urls import reverse

from sonar.workshops import access
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
ATTACKER = "203.0.113.7"
ROOM = "198.51.100.20"


@pytest.fixture
def small_code_limit(monkeypatch):
    monkeypatch.setattr(access, "WRONG_CODE_LIMIT", LIMIT)


def _join_page(code, address):
    return Client(REMOTE_ADDR=address).post(reverse("workshops:join"), {"code": code})


def _join_api(code, address):
    return Client(REMOTE_ADDR=address).post(reverse("api-workshop-participants", args=[code]))


@pytest.mark.parametrize("join", [_join_page, _join_api], ids=["page", "api"])
def test_guessing_join_codes_is_paused_and_stays_paused(world, small_code_limit, join):
    for _ in range(LIMIT):
        assert join("ZZZZZZ", ATTACKER).status_code in (200, 400, 404)

    # Past the limit, even the right code is refused: a guess that hits cannot be told apart.
    for code in ["ZZZZZY", world.values["code"], "ZZZZZX", world.values["code"]]:
        assert join(code, ATTACKER).status_code == 429


def test_a_room_behind_another_address_still_joins(world, small_code_limit):
    for _ in range(LIMIT + 2):
        _join_page("ZZZZZZ", ATTACKER)

    assert _join_page(world.values["code"], ROOM).status_code == 302


def test_right_codes_never_count_towards_the_limit(world, small_code_limit):
    for _ in range(LIMIT * 2):
        assert _join_page(world.values["code"], ROOM).status_code == 302

    assert _join_page("ZZZZZZ", ROOM).status_code != 429


def _log_in(email, password, address=ATTACKER):
    return Client(REMOTE_ADDR=address).post(
        reverse("accounts:login"), {"username": email, "password": password}
    )


def test_guessing_a_password_locks_the_account_and_the_lock_holds(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    victim = UserFactory()
    for n in range(LIMIT - 1):
        assert _log_in(victim.email, f"essai {n}").status_code == 400

    # The failure that reaches the limit is the first refused; then every try, right or wrong.
    for password in ["essai final", PASSWORD, "et un autre", PASSWORD]:
        response = _log_in(victim.email, password)
        assert response.status_code == 429
        assert "_auth_user_id" not in response.client.session
    assert "Connexion momentanément bloquée" in response.content.decode()


def test_the_lock_does_not_shut_out_a_colleague_on_the_same_network(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT
    victim, colleague = UserFactory(), UserFactory()
    for n in range(LIMIT + 2):
        _log_in(victim.email, f"essai {n}")

    assert _log_in(colleague.email, PASSWORD).status_code == 302
