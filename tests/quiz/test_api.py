"""The quiz API: the questionnaire as JSON, the score endpoint, and every way to get it wrong."""

import io
import json

import pytest
from django.core.handlers.asgi import ASGIRequest
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

URL = "/api/v1/quiz/style"
SCORE_URL = "/api/v1/quiz/style/score"
TIED = {"q1": "q1a", "q2": "q2b", "q3": "q3c", "q4": "q4b", "q5": "q5a", "q6": "q6d"}

pytestmark = pytest.mark.usefixtures("reference_content")


def post_json(client, body, url=SCORE_URL, **extra):
    payload = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(url, payload, content_type="application/json", **extra)


def assert_error_shape(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "fields"}
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["fields"], dict)
    assert all(isinstance(v, str) and v for v in body["fields"].values())
    return body


def test_the_questionnaire_lists_six_questions_and_four_profiles(client):
    body = client.get(URL).json()
    assert [q["key"] for q in body["questions"]] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert [len(q["choices"]) for q in body["questions"]] == [4, 4, 3, 4, 3, 4]
    assert [(p["key"], p["symbol"]) for p in body["profiles"]] == [
        ("culture", "x"),
        ("technique", "§"),
        ("usages", "¿"),
        ("hybride", "#"),
    ]


def test_a_choice_names_the_profile_it_counts_for(client):
    first = client.get(URL).json()["questions"][0]["choices"][0]
    assert first == {
        "key": "q1a",
        "text": "La création d’un lab’ au sein d’une collectivité",
        "profile": "culture",
    }


def test_a_profile_carries_the_journal_texts(client):
    profile = client.get(URL).json()["profiles"][0]
    assert set(profile) == {"key", "symbol", "name", "description", "example", "attention"}
    assert profile["name"] == "Culture interne"
    assert "La bonne boîte" in profile["example"]


def test_lang_en_gives_the_english_texts(client):
    body = client.get(URL, {"lang": "en"}).json()
    assert body["questions"][0]["text"].startswith("Your inspiring model")
    assert body["profiles"][0]["name"] == "Internal culture"


def test_an_unknown_language_is_refused(client):
    body = assert_error_shape(client.get(URL, {"lang": "de"}), 400)
    assert "lang" in body["fields"]


def test_an_unknown_questionnaire_is_a_404_in_the_error_shape(client):
    body = assert_error_shape(client.get("/api/v1/quiz/nulle-part"), 404)
    assert "nulle-part" in body["error"]
    assert_error_shape(post_json(client, {"answers": TIED}, "/api/v1/quiz/nulle-part/score"), 404)


def test_tied_answers_score_as_a_mixed_profile(client):
    response = post_json(client, {"answers": TIED})
    assert response.status_code == 200
    assert response.json() == {
        "counts": {"culture": 2, "technique": 1, "usages": 2, "hybride": 1},
        "profiles": ["culture", "usages"],
        "mixed": True,
    }


def test_a_majority_scores_as_one_profile(client):
    answers = {"q1": "q1c", "q2": "q2d", "q3": "q3a", "q4": "q4a", "q5": "q5b", "q6": "q6d"}
    assert post_json(client, {"answers": answers}).json() == {
        "counts": {"culture": 0, "technique": 5, "usages": 1, "hybride": 0},
        "profiles": ["technique"],
        "mixed": False,
    }


def test_scoring_writes_nothing_and_needs_no_csrf_token(db, reference_content):
    from django.test import Client

    from sonar.quiz.models import Result

    response = post_json(Client(enforce_csrf_checks=True), {"answers": TIED})
    assert response.status_code == 200
    assert Result.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {**TIED, "q3": None}}, "answers.q3"),
        ({"answers": {k: v for k, v in TIED.items() if k != "q6"}}, "answers.q6"),
        ({"answers": {**TIED, "q7": "q7a"}}, "answers.q7"),
        ({"answers": {**TIED, "q1": "q2a"}}, "answers.q1"),
        ({"answers": {**TIED, "q1": 3}}, "answers.q1"),
        ({"answers": ["q1a"]}, "answers"),
        ({}, "answers"),
        ({"answers": TIED, "extra": 1}, "extra"),
        ([TIED], "body"),
        ("q1a", "body"),
        (None, "body"),
    ],
)
def test_bad_answers_get_a_400_naming_the_field(client, body, field):
    error = assert_error_shape(post_json(client, body), 400)
    assert field in error["fields"]


@pytest.mark.parametrize("raw", [b"{", b'{"answers": }', b"\xff\xfe", b"", b"[" * 10_000])
def test_malformed_json_gets_a_400(client, raw):
    assert_error_shape(post_json(client, raw), 400)


def test_a_form_body_instead_of_json_gets_a_400(client):
    body = assert_error_shape(client.post(SCORE_URL, {"answers": "q1a"}), 400)
    assert "content_type" in body["fields"]


def test_a_declared_body_over_64_kb_gets_a_413(client):
    big = json.dumps({"answers": TIED, "padding": "x" * 70_000})
    body = assert_error_shape(post_json(client, big), 413)
    assert "64 Ko" in body["error"]


def test_a_chunked_body_over_64_kb_gets_a_413_whatever_its_headers_say():
    # Under ASGI a chunked body arrives whole, with no Content-Length for the middleware to see.
    big = json.dumps({"answers": TIED, "padding": "x" * 70_000}).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": SCORE_URL,
        "query_string": b"",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
    }
    request = ASGIRequest(scope, io.BytesIO(big))
    match = resolve(SCORE_URL)
    response = match.func(request, **match.kwargs)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", SCORE_URL), ("put", SCORE_URL), ("post", URL), ("delete", URL)],
)
def test_a_wrong_method_gets_a_405_in_the_error_shape(client, method, url):
    response = getattr(client, method)(url)
    assert_error_shape(response, 405)
    assert response["Allow"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=20,
)
keys = st.sampled_from(["q1", "q2", "q3", "q4", "q5", "q6", "q7", "", "answers"]) | st.text(
    max_size=6
)
choices = (
    st.sampled_from(["q1a", "q1d", "q2b", "q3c", "q4d", "q5a", "q6d", "q3d", "", "Q1A"])
    | json_values
)
answer_sets = st.dictionaries(keys, choices, max_size=8)
bodies = (
    json_values
    | st.fixed_dictionaries({"answers": answer_sets})
    | st.fixed_dictionaries({"answers": json_values})
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_no_json_body_ever_gives_a_500(client, body):
    response = post_json(client, json.dumps(body))
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        result = response.json()
        assert sum(result["counts"].values()) == 6
        assert result["mixed"] == (len(result["profiles"]) > 1)
    else:
        assert_error_shape(response, 400)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=200))
def test_no_raw_body_ever_gives_a_500(client, raw):
    response = client.post(SCORE_URL, raw, content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response, 400)
