"""Workshop codes cannot be guessed through any URL, and a guesser cannot lock a room out.

Every URL of the URL conf that takes a workshop code is found from the URL conf itself: a
new one fails `test_every_url_that_takes_a_code_counts_wrong_codes` until its view goes
through the one lookup (sonar.workshops.access.lookup). The limits are made small here, so
the loops are short; bench/codes.py runs the same stories at full size (500 people).
"""

import pytest
from django.test import Client
from django.urls import reverse

from sonar.workshops import access
from tests.security.conftest import MEMBER, routes
from tests.security.test_authorisation_matrix import BY_PARAMETER, MATRIX, NEVER_GET, PARAMETERS

pytestmark = pytest.mark.django_db

NETWORK_LIMIT = 3
CLIENT_LIMIT = 2
GUESSER = "203.0.113.7"
ROOM = "198.51.100.20"
WRONG = ["ZZZZZ2", "ZZZZZ3", "ZZZZZ4", "ZZZZZ5", "ZZZZZ6"]


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(access, "WRONG_CODE_LIMIT", NETWORK_LIMIT)
    monkeypatch.setattr(access, "CLIENT_LIMIT", CLIENT_LIMIT)


def _method(name):
    """A method that reaches the view (not a 405 for everyone)."""
    return next(m for m, status in MATRIX[name].items() if status != NEVER_GET)


CONVERTERS = {name: converters for name, _route, _view, converters in routes()}
CODE_URLS = sorted((name, _method(name)) for name, c in CONVERTERS.items() if "code" in c)


def test_the_url_conf_has_code_urls_to_check():
    names = {name for name, _method in CODE_URLS}
    assert {"workshops:participant", "workshops:stream", "api-workshop-me"} <= names
    assert len(names) >= 15


def _send(name, method, code, world, address=GUESSER):
    kwargs = {
        parameter: world.values[PARAMETERS.get(name, {}).get(parameter) or BY_PARAMETER[parameter]]
        for parameter in CONVERTERS[name]
    }
    url = reverse(name, kwargs={**kwargs, "code": code})
    # A fresh client each time: no cookie, as a guesser that clears them.
    browser = Client(REMOTE_ADDR=address, raise_request_exception=False)
    return getattr(browser, method.lower())(url)


def _join(code, address, browser=None):
    browser = browser or Client(REMOTE_ADDR=address)
    return browser.post(reverse("workshops:join"), {"code": code})


@pytest.mark.parametrize(("name", "method"), CODE_URLS, ids=[n for n, _m in CODE_URLS])
def test_every_url_that_takes_a_code_counts_wrong_codes(world, small_limits, name, method):
    for code in WRONG[:NETWORK_LIMIT]:
        assert _send(name, method, code, world).status_code in (403, 404)

    # The network is past its limit: typing the right code on the join page is refused.
    assert _join(world.values["code"], GUESSER).status_code == 429
    assert _join(world.values["code"], ROOM).status_code == 302


def test_positioning_a_logbook_from_a_code_counts_wrong_codes(world, small_limits):
    url = reverse("logbook:positioning", args=[world.values["project"]])
    member = world.client(MEMBER, REMOTE_ADDR=GUESSER)
    for code in WRONG[:NETWORK_LIMIT]:
        assert member.post(url, {"source": "workshop", "code": code}).status_code == 400

    refused = member.post(url, {"source": "workshop", "code": world.values["code"]})
    assert refused.status_code == 429
    assert _join(world.values["code"], GUESSER).status_code == 429


def test_a_browser_that_mistypes_is_stopped_before_its_network_is(world, small_limits):
    colleague = Client(REMOTE_ADDR=ROOM)
    for code in WRONG[:CLIENT_LIMIT]:
        assert _join(code, ROOM, colleague).status_code == 404
    assert _join(WRONG[CLIENT_LIMIT], ROOM, colleague).status_code == 429
    assert _join(world.values["code"], ROOM, colleague).status_code == 429

    # Its refused tries did not count against the room's network: the others join.
    for _ in range(NETWORK_LIMIT * 2):
        assert _join(world.values["code"], ROOM).status_code == 302


def test_a_guesser_that_clears_its_cookies_cannot_stop_the_room_joining_by_the_room_link(
    world, small_limits
):
    code = world.values["code"]
    for wrong in WRONG[:NETWORK_LIMIT]:
        _join(wrong, ROOM)
    assert _join(code, ROOM).status_code == 429
    assert _join(WRONG[-1], ROOM).status_code == 429

    link = f"{reverse('workshops:participant', args=[code])}?cle={access.room_key(code)}"
    for _ in range(20):
        person = Client(REMOTE_ADDR=ROOM)
        assert person.get(link).status_code == 200
        joined = person.post(link, {"cle": access.room_key(code), "pseudonym": ""})
        assert joined.status_code == 302
        # Once in, the participant's own page answers, whatever the network's count.
        assert person.get(joined["Location"]).status_code == 200


def test_a_wrong_room_key_is_an_ordinary_try(world, small_limits):
    code = world.values["code"]
    participant = reverse("workshops:participant", args=[code])
    for wrong in WRONG[:NETWORK_LIMIT]:
        _join(wrong, GUESSER)

    forged = Client(REMOTE_ADDR=GUESSER).get(f"{participant}?cle={'0' * 16}")
    assert forged.status_code == 429
    other = reverse("workshops:participant", args=["ZZZZZ9"])
    stolen_key = Client(REMOTE_ADDR=GUESSER).get(f"{other}?cle={access.room_key(code)}")
    assert stolen_key.status_code == 429


def test_the_facilitator_link_and_the_api_give_the_room_link(world):
    code = world.values["code"]
    facilitator = world.client("facilitator")
    page = facilitator.get(reverse("workshops:facilitate", args=[code])).content.decode()
    assert f"?cle={access.room_key(code)}" in page
    projector = facilitator.get(reverse("workshops:projector", args=[code])).content.decode()
    assert f"?cle={access.room_key(code)}" not in projector.split('class="qr')[0]
