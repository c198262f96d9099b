"""schemathesis against /api/v1/openapi.json, through the WSGI app (no server).

Every operation of the document gets generated requests, valid and invalid (schemathesis's
positive and negative modes), sent to Django's WSGI handler with the reference content loaded
and two workshops made (one paced, one self-paced, each with a participant). Path values are
real keys, slugs and codes half the time, so the 200 answers are checked too, not only the 404s.
The checks: no 5xx, status codes, content types and bodies that conform to the document, and
every 4xx in the French error shape {"error": "<phrase>", "fields": {...}}.
"""

import hashlib

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sonar.atlas.models import Case, Resource, Term
from sonar.core import content
from sonar.quiz import data as quiz_data
from sonar.urls import API
from sonar.workshops import actions, live
from sonar.workshops.models import Workshop

# The mark makes pytest-django create the test database even when this file runs alone (the
# module fixture below needs it before any test does).
pytestmark = pytest.mark.django_db

APP = get_wsgi_application()

schema = schemathesis.openapi.from_dict(API.get_openapi_schema())
# Every request, the checks' own included, goes through Django's WSGI handler in this process.
schema.app = APP
# The explicit examples and the random ones; the coverage phase's hundreds of boundary cases per
# operation would take minutes (CI's time budget), and max_examples does not bound it.
schema.config.phases.update(phases=["examples", "fuzzing"])


def _english_messages():
    """Every English translation of the catalogue: a French error is none of them."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("en")._catalog
    return {
        value
        for key, value in catalog.items()
        if isinstance(value, str) and value != (key[0] if isinstance(key, tuple) else key)
    }


ENGLISH = _english_messages()


@schemathesis.check
def french_error_shape(ctx, response, case):
    """Every 4xx has the site's one error shape, in French unless the case asked for English."""
    if not 400 <= response.status_code < 500:
        return
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"error", "fields"}, body
    assert isinstance(body["error"], str) and body["error"].strip(), body
    assert isinstance(body["fields"], dict), body
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in body["fields"].items()), body
    if (case.query or {}).get("lang") != "en":
        for text in (body["error"], *body["fields"].values()):
            assert text not in ENGLISH, f"en anglais : {text!r}"


@pytest.fixture(scope="module")
def real(django_db_setup, django_db_blocker, reference_documents):
    """The reference content and two workshops, loaded once, rolled back at the end."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock(), transaction.atomic():
        content.load(documents=reference_documents)
        quiz_data.forget()
        quiz = quiz_data.get("style")
        workshops = {}
        for mode in Workshop.Mode.values:
            workshop, facilitator = actions.create_workshop(quiz, "Atelier de contrat", mode)
            _participant, token = actions.join(workshop, "Ada")
            workshops[mode] = (workshop.code, token, facilitator)
        yield {
            "slug": {
                "/api/v1/resources/{slug}": list(Resource.objects.values_list("slug", flat=True)),
                "/api/v1/glossary/{slug}": list(Term.objects.values_list("slug", flat=True)),
                "/api/v1/cases/{slug}": list(Case.objects.values_list("slug", flat=True)),
            },
            "key": {
                "/api/v1/quiz/{key}": ["style", "maturity"],
                "/api/v1/quiz/{key}/score": ["style", "maturity"],
                "/api/v1/trajectories/{key}": ["a-quai", "premieres-sorties"],
            },
            "question_key": [f"q{n}" for n in range(1, 7)],
            "workshops": list(workshops.values()),
        }
        transaction.set_rollback(True)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _pick(values, generated):
    """A real value for half the generated ones (which half is fixed by the value itself)."""
    digest = hashlib.sha256(repr(generated).encode()).digest()
    if digest[0] % 2:
        return generated
    return values[digest[1] % len(values)]


def _realistic(case, real):
    """Put real keys, slugs and codes in the path, and the matching token in Authorization."""
    parameters = case.path_parameters or {}
    headers = {}
    for name, generated in list(parameters.items()):
        if name in ("slug", "key"):
            parameters[name] = _pick(real[name][case.path], generated)
        elif name == "question_key":
            parameters[name] = _pick(real["question_key"], generated)
        elif name == "code":
            picked = _pick(real["workshops"], generated)
            if isinstance(picked, tuple):
                code, participant, facilitator = picked
                parameters[name] = code
                facilitators_only = case.path.endswith("/results") or "/facilitators" in case.path
                token = facilitator if facilitators_only else participant
                headers["Authorization"] = f"Bearer {token}"
    return headers


@pytest.fixture
def quiet_workshops(settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["*"]
    monkeypatch.setattr(live, "PUBLISH_INTERVAL_SECONDS", 0)
    # A locmem cache: the wrong-code counter of one run never blocks the next.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "c"}
    }
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, real, quiet_workshops):
    headers = _realistic(case, real)
    with transaction.atomic():
        response = case.call(headers=headers)
        transaction.set_rollback(True)
    case.validate_response(
        response,
        headers=headers,
        additional_checks=[french_error_shape],
        # A body can fit the schema and still be refused on its meaning: every question needs an
        # answer, a page past the end is a 400, a questionnaire key must exist. Those are
        # documented 400s, not contract breaks.
        excluded_checks=[positive_data_acceptance],
    )
