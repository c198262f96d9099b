"""The maturity diagnostic through the quiz API: stages instead of profiles, the same errors."""

import json
import statistics

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.quiz.test_api import assert_error_shape, json_values, post_json

URL = "/api/v1/quiz/maturity"
SCORE_URL = "/api/v1/quiz/maturity/score"
QUESTIONS = (
    "equipe", "budget", "erreur", "usagers", "agents", "suites", "commande", "traces",
    "partenaires", "partage",
)  # fmt: skip
STAGES = ("a-quai", "premieres-sorties", "equipage", "flottille", "fabrique-ouverte")

pytestmark = pytest.mark.usefixtures("reference_content")


def answers_at(*ranks):
    """One answer per question: the choice of rank `ranks[i]` (1-based) in question i."""
    return {key: f"{key}-{rank}" for key, rank in zip(QUESTIONS, ranks, strict=True)}


def test_the_diagnostic_lists_ten_questions_and_five_ranked_stages(client):
    body = client.get(URL).json()
    assert [q["key"] for q in body["questions"]] == list(QUESTIONS)
    assert [(s["key"], s["rank"]) for s in body["stages"]] == [
        (key, rank) for rank, key in enumerate(STAGES, start=1)
    ]
    assert "profiles" not in body


def test_a_choice_names_the_stage_it_typifies_not_a_profile(client):
    first = client.get(URL).json()["questions"][0]["choices"][0]
    assert set(first) == {"key", "text", "stage"}
    assert (first["key"], first["stage"]) == ("equipe-1", "a-quai")
    assert first["text"].startswith("Personne en particulier")


def test_a_stage_carries_its_name_summary_and_description(client):
    stage = client.get(URL).json()["stages"][2]
    assert set(stage) == {"key", "rank", "name", "summary", "description"}
    assert stage["name"] == "Équipage formé"


def test_lang_en_gives_the_english_texts(client):
    body = client.get(URL, {"lang": "en"}).json()
    assert body["stages"][0]["name"] == "Moored"
    scored = post_json(client, {"answers": answers_at(*[1] * 10)}, url=SCORE_URL + "?lang=en")
    assert scored.json()["stage"]["name"] == "Moored"


@pytest.mark.parametrize(
    ("ranks", "stage", "rank"),
    [
        ((1,) * 10, "a-quai", 1),
        ((5,) * 10, "fabrique-ouverte", 5),
        ((3, 3, 3, 3, 3, 4, 4, 4, 4, 4), "equipage", 3),
        ((1, 5, 2, 4, 3, 3, 4, 2, 5, 1), "equipage", 3),
    ],
)
def test_the_score_gives_the_stage_with_its_rank_and_name(client, ranks, stage, rank):
    body = post_json(client, {"answers": answers_at(*ranks)}, url=SCORE_URL).json()
    assert body["stage"]["key"] == stage
    assert body["stage"]["rank"] == rank
    assert body["stage"]["name"]
    assert sum(body["counts"].values()) == 10
    assert list(body["counts"]) == list(STAGES)


def test_scoring_the_diagnostic_writes_nothing(client):
    from sonar.quiz.models import Result

    post_json(client, {"answers": answers_at(*[2] * 10)}, url=SCORE_URL)
    assert Result.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"answers": {**answers_at(*[1] * 10), "budget": None}}, "answers.budget"),
        ({"answers": {k: v for k, v in answers_at(*[1] * 10).items() if k != "partage"}},
         "answers.partage"),
        ({"answers": {**answers_at(*[1] * 10), "q1": "q1a"}}, "answers.q1"),
        ({"answers": {**answers_at(*[1] * 10), "equipe": "budget-1"}}, "answers.equipe"),
        ({"answers": ["equipe-1"]}, "answers"),
        ({}, "answers"),
        ([1], "body"),
    ],
)  # fmt: skip
def test_bad_answers_get_a_400_in_french_naming_the_field(client, body, field):
    error = assert_error_shape(post_json(client, body, url=SCORE_URL), 400)
    assert field in error["fields"]
    if field != "body":
        assert error["error"] == "Les réponses envoyées ne permettent pas de calculer une étape."


keys = st.sampled_from([*QUESTIONS, "q1", "", "answers"]) | st.text(max_size=6)
choices = st.sampled_from([f"{q}-{r}" for q in QUESTIONS[:3] for r in (1, 3, 5)]) | json_values
bodies = (
    json_values
    | st.fixed_dictionaries({"answers": st.dictionaries(keys, choices, max_size=12)})
    | st.fixed_dictionaries({"answers": json_values})
    | st.lists(st.integers(min_value=1, max_value=5), min_size=10, max_size=10).map(
        lambda ranks: {"answers": answers_at(*ranks)}
    )
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies)
def test_no_json_body_ever_gives_a_500_and_every_score_is_the_lower_median(client, body):
    response = post_json(client, json.dumps(body), url=SCORE_URL)
    assert response.status_code in {200, 400}
    if response.status_code == 200:
        result = response.json()
        ranks = [int(choice.rsplit("-", 1)[1]) for choice in body["answers"].values()]
        assert result["stage"]["rank"] == statistics.median_low(ranks)
    else:
        assert_error_shape(response, 400)
