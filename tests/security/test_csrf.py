"""Every form that changes something refuses a POST without its CSRF token.

The URLs come from the authorisation matrix: every URL someone may POST to (not 405 for all) is
posted without a token by a visitor who may use it, in a browser that enforces CSRF checks,
and must get the French 403 page that says the form expired.

CSRF-exempt on purpose (EXEMPT): the JSON API endpoints that programs call without an account.
They read only `Content-Type: application/json` bodies, which a page of another site cannot
send without a CORS preflight (Sonar answers none), and they act with a Bearer token, never a
cookie (the answer API ignores the participant's cookie): a forged cross-site request can
neither reach them as JSON nor act as anyone.
"""

import json

import pytest
from django.urls import reverse

from sonar.core.views import _allowed_methods
from sonar.workshops.models import Participant, Workshop
from tests.security.conftest import (
    ACTORS,
    ADMIN,
    FACILITATOR,
    MEMBER,
    PARTICIPANT,
    isolated,
    routes,
)
from tests.security.test_authorisation_matrix import MATRIX, expected, path_for

pytestmark = pytest.mark.django_db

EXEMPT = {
    "api-quiz-score": "scores answers sent as JSON; writes nothing",
    "api-workshops": "creates a workshop for a program; answers its facilitator token",
    # Its body is optional, so a cross-site form can make a new anonymous participant: no more
    # than anyone with the code can do directly, and the token it answers is unreadable there.
    "api-workshop-participants": "joins a workshop for a program; answers a participant token",
    "api-workshop-answer": "stores an answer (PUT) with the participant's Bearer token",
    # It accepts the facilitator's cookie too, but reads only a JSON body: a cross-site form
    # cannot send one, and gets the 400 of a missing body (checked below).
    "api-workshop-facilitators": "adds a co-facilitator from a JSON body",
    "api-workshop-step-answer": "stores a step's answer (PUT) with the participant's Bearer token",
    # As for the co-facilitators: the facilitator's cookie is accepted, but only a JSON body is
    # read, which a cross-site form cannot send.
    "api-workshop-control": "drives the workshop from a JSON body",
}
PREFERENCE = (ADMIN, MEMBER, FACILITATOR, PARTICIPANT, *ACTORS)


def _posted_by(name):
    """A visitor whose POST reaches the view (not refused for who they are)."""
    statuses = expected(name, "POST")
    return next(a for a in PREFERENCE if statuses[a] not in (403, 404, 405))


def _accepts_post(name):
    callback = next(view for n, _route, view, _c in routes() if n == name)
    methods = _allowed_methods(callback)
    if methods is None:  # a class-based or hand-written view: the matrix says
        return set(expected(name, "POST").values()) != {405}
    return "POST" in methods


FORMS = sorted(name for name in MATRIX if name not in EXEMPT and _accepts_post(name))


def test_every_exempt_endpoint_is_one_that_accepts_a_post():
    assert set(EXEMPT) <= {n for n in MATRIX if {"POST", "PUT"} & set(MATRIX[n])}


@pytest.mark.parametrize("name", FORMS)
def test_a_post_without_its_csrf_token_is_refused_with_the_french_page(world, name):
    browser = world.client(_posted_by(name), enforce_csrf_checks=True)
    path = path_for(name, world)

    response = isolated(lambda: browser.post(path, {"x": "1"}))

    assert response.status_code == 403, path
    text = response.content.decode()
    assert '<html lang="fr">' in text
    assert "Le formulaire a expiré" in text


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "status", "new_participants"),
    [
        ("api-quiz-score", {"key": "style"}, "post", 400, 0),
        ("api-workshops", {}, "post", 400, 0),
        ("api-workshop-participants", {"code": None}, "post", 201, 1),
        ("api-workshop-answer", {"code": None, "question_key": None}, "put", 403, 0),
        ("api-workshop-facilitators", {"code": None}, "post", 400, 0),
        ("api-workshop-control", {"code": None}, "post", 400, 0),
    ],
)
@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data"]
)
def test_a_cross_site_form_cannot_act_as_anyone_through_an_exempt_endpoint(
    world, name, kwargs, method, content_type, status, new_participants
):
    # What a page of another site can send without a preflight: a simple form, with cookies.
    values = {"code": world.values["code"], "question_key": world.values["question_key"]}
    path = reverse(name, kwargs={k: v or values[k] for k, v in kwargs.items()})
    browser = world.client(PARTICIPANT)
    for actor in (FACILITATOR, ADMIN):
        for cookie, value in world.cookies[actor].items():
            browser.cookies[cookie] = value
    body = json.dumps({"title": "Piège", "mode": "self-paced", "choice": "q1a"})

    def send():
        before = (Workshop.objects.count(), Participant.objects.count())
        response = getattr(browser, method)(
            path, body, content_type=content_type, headers={"Origin": "https://evil.example"}
        )
        response.before = before
        response.after = (Workshop.objects.count(), Participant.objects.count())
        return response

    response = isolated(send)
    before = response.before

    assert response.status_code == status, response.content
    assert "Access-Control-Allow-Origin" not in response
    assert response.after == (before[0], before[1] + new_participants)
    assert world.cookies[PARTICIPANT] and all(
        token not in response.content.decode() for token in world.bearer.values()
    )


@pytest.mark.parametrize(
    ("name", "method", "kwargs"),
    [
        ("api-workshop-me", "get", ("code",)),
        ("api-workshop-answer", "put", ("code", "question_key")),
    ],
)
def test_the_participant_api_does_not_accept_the_participant_s_cookie(world, name, method, kwargs):
    # The cookie is what a cross-site request would carry: only the Bearer token counts.
    path = reverse(name, kwargs={k: world.values[k] for k in kwargs})
    browser = world.client(PARTICIPANT)
    body = {"data": json.dumps({"choice": "q1a"}), "content_type": "application/json"}

    response = isolated(lambda: getattr(browser, method)(path, **(body if method == "put" else {})))

    assert response.status_code == 403
    assert "Bearer" in response.json()["error"]
