"""A small base for the workshop tests: the style quiz, workshops in each mode, participants."""

import json

import pytest

from sonar.quiz import data
from sonar.workshops import access, actions, live
from sonar.workshops.models import Workshop


@pytest.fixture(autouse=True)
def _fresh_read_model(settings, monkeypatch):
    data.forget()
    # Every commit publishes at once: no trailing snapshot from a timer thread after a test.
    monkeypatch.setattr(live, "PUBLISH_INTERVAL_SECONDS", 0)
    # Each test counts wrong codes from zero.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}
    }
    from django.core.cache import cache

    cache.clear()
    yield
    data.forget()


@pytest.fixture
def quiz(reference_content):
    return data.get("style")


def choice_for(quiz, question_key, outcome):
    """The key of the choice of `question_key` that counts for `outcome`."""
    question = next(q for q in quiz.questions if q.key == question_key)
    return next(c.key for c in question.choices if c.outcome == outcome)


@pytest.fixture
def make_workshop(quiz):
    def make(mode=Workshop.Mode.SELF_PACED, title="Atelier d’essai"):
        workshop, token = actions.create_workshop(quiz, title, mode)
        workshop.token = token
        return workshop

    return make


@pytest.fixture
def workshop(make_workshop):
    return make_workshop()


@pytest.fixture
def paced(make_workshop):
    return make_workshop(Workshop.Mode.PACED)


def join(workshop, pseudonym=""):
    participant, token = actions.join(workshop, pseudonym)
    participant.token = token
    return participant


def as_participant(client, workshop, token):
    client.cookies[access.PARTICIPANT_COOKIE.format(code=workshop.code)] = token
    return client


def as_facilitator(client, workshop):
    client.cookies[access.FACILITATOR_COOKIE.format(code=workshop.code)] = workshop.token
    return client


def put_answer(client, workshop, question, choice, token):
    return client.put(
        f"/api/v1/workshops/{workshop.code}/answers/{question}",
        json.dumps({"choice": choice}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def assert_error_shape(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error", "fields"}
    assert body["error"]
    return body
