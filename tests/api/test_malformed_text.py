"""Malformed text in every text field of every JSON endpoint: a 400 in the French error shape,
never a 500, on SQLite and on PostgreSQL (where a NUL in a query is an error of the driver).

The fields come from the generated document (sonar/core/api): every string property of every
request body, and every query parameter. A new endpoint with a body fails
`test_every_body_has_a_valid_example_here` until it gets a valid body below, so that its text
fields are fuzzed too. The classes of issue 12's finding 7: a lone surrogate, a NUL, CR/LF,
10,000 characters; then hypothesis mixes them into random text.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sonar.urls import API
from sonar.workshops import actions
from sonar.workshops.models import Workshop

pytestmark = pytest.mark.usefixtures("reference_content")

DOCUMENT = API.get_openapi_schema()
SCHEMAS = DOCUMENT["components"]["schemas"]
BAD = {
    "surrogate": "Ada \ud800 Lovelace",
    "nul": "Ada\x00Lovelace",
    "crlf": "Ada\r\nBcc: someone@example.org",
    "long": "é" * 10_000,
}
# A valid body for each operation that takes one ({code} and {key} filled in by `_url`).
VALID = {
    "quiz-score": {"answers": {f"q{n}": f"q{n}a" for n in range(1, 7)}},
    "workshop-create": {"questionnaire": "style", "title": "Atelier", "mode": "paced"},
    "workshop-join": {"pseudonym": "Ada"},
    "workshop-answer": {"choice": "q1a"},
    "workshop-facilitator-add": {"email": "collegue@ville.fr"},
    "workshop-step-answer": {"choice": "c1"},
    "workshop-control": {"action": "reveal", "step": "question-1"},
}
# The operations that take the facilitator's token rather than a participant's.
FACILITATED = {"workshop-control", "workshop-facilitator-add"}


def _resolve(schema):
    """The object schema behind a $ref, or behind the non-null side of an optional body."""
    while "$ref" in schema or "anyOf" in schema:
        if "anyOf" in schema:
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        else:
            schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _body_operations():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody")
            if body:
                schema = _resolve(body["content"]["application/json"]["schema"])
                yield operation["operationId"], method, path, schema


BODIES = list(_body_operations())


def _text_fields(schema):
    for name, prop in schema.get("properties", {}).items():
        options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
        if any(o.get("type") == "string" for o in options):
            yield name


TEXT_FIELDS = [
    (operation, method, path, field)
    for operation, method, path, schema in BODIES
    for field in _text_fields(schema)
]


def test_every_body_has_a_valid_example_here():
    assert {operation for operation, *_ in BODIES} == set(VALID)


def test_the_bodies_have_text_fields_to_fuzz():
    assert {field for *_, field in TEXT_FIELDS} >= {"title", "pseudonym", "choice"}


@pytest.fixture
def workshop(db, reference_content, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "m"}
    }
    from sonar.quiz import data

    steps = actions.build_steps(
        [{"kind": "style"}, {"kind": "choice", "prompt": "Et ensuite ?", "choices": ["A", "B"]}]
    )
    made, facilitator = actions.create_workshop(data.get("style"), "Atelier", "self-paced", steps)
    _person, token = actions.join(made, "Ada")
    return made.code, token, facilitator


def _url(path, code):
    names = {
        "code": code,
        "key": "style",
        "question_key": "q1",
        "step_key": "question-1",
        "slug": "x",
    }
    for name, value in names.items():
        path = path.replace("{" + name + "}", value)
    return path


def _send(client, method, path, body, workshop, operation=None):
    code, token, facilitator = workshop
    if operation in FACILITATED or path.endswith("/facilitators"):
        token = facilitator
    return getattr(client, method)(
        _url(path, code),
        json.dumps(body),  # ensure_ascii: a lone surrogate travels as \\ud800, as JSON allows
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def assert_french_400(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"error", "fields"} and body["error"] and body["fields"]


def test_a_valid_body_is_accepted(client, workshop):
    for operation, method, path, _schema in BODIES:
        response = _send(client, method, path, VALID[operation], workshop, operation)
        assert response.status_code in (200, 201), (operation, response.content)


@pytest.mark.parametrize("kind", BAD)
@pytest.mark.parametrize(
    ("operation", "method", "path", "field"),
    TEXT_FIELDS,
    ids=[f"{o}-{f}" for o, _m, _p, f in TEXT_FIELDS],
)
def test_malformed_text_in_a_body_field_is_a_french_400(
    client, workshop, operation, method, path, field, kind
):
    body = {**VALID[operation], field: BAD[kind]}
    response = _send(client, method, path, body, workshop, operation)
    assert_french_400(response)
    assert field in response.json()["fields"]


@pytest.mark.parametrize("kind", BAD)
@pytest.mark.parametrize("where", ["key", "value"])
def test_malformed_text_in_the_answers_is_a_french_400(client, workshop, kind, where):
    answers = dict(VALID["quiz-score"]["answers"])
    if where == "key":
        answers[BAD[kind]] = "q1a"
    else:
        answers["q1"] = BAD[kind]
    response = _send(client, "post", "/api/v1/quiz/{key}/score", {"answers": answers}, workshop)
    assert_french_400(response)


QUERY = [
    (path, parameter["name"])
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    if method == "get"
    for parameter in operation["parameters"]
    if parameter["in"] == "query"
]


@pytest.mark.parametrize("kind", BAD)
@pytest.mark.parametrize(("path", "parameter"), QUERY, ids=[f"{p}?{n}" for p, n in QUERY])
def test_malformed_text_in_a_query_parameter_never_gives_a_500(
    client, workshop, path, parameter, kind
):
    code, token, _facilitator = workshop
    # A surrogate cannot be UTF-8: it arrives as the bytes a careless client would send.
    raw = quote(BAD[kind].encode("utf-8", "surrogatepass"))
    response = client.get(
        f"{_url(path, code)}?{parameter}={raw}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400, (path, parameter, response.content)
    assert set(response.json()) == {"error", "fields"}


nasty = st.lists(
    st.sampled_from(["\x00", "\r", "\n", "\ud800", "\udfff", "\x7f", "\u2028", "\x85"])
    | st.text(max_size=20),
    min_size=1,
    max_size=6,
).map("".join)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(choice=st.sampled_from(TEXT_FIELDS), text=nasty)
def test_no_text_in_any_body_field_ever_gives_a_500(client, workshop, choice, text):
    operation, method, path, field = choice
    # A fresh participant each time: a stored answer or pseudonym must not change the next run.
    code, _token, facilitator = workshop
    _person, token = actions.join(Workshop.objects.get(code=code), "Ada")
    body = {**VALID[operation], field: text}
    response = _send(client, method, path, body, (code, token, facilitator), operation)
    # A step key that is well formed but names no step is a 404, as an unknown code is.
    allowed = (200, 201, 400, 404) if field == "step" else (200, 201, 400)
    assert response.status_code in allowed, response.content
    if response.status_code == 400:
        assert set(response.json()) == {"error", "fields"}
