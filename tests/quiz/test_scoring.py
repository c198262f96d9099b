"""Scoring the style quiz: every possible answer set, the named cases, and answer validation."""

import itertools
from collections import Counter

import pytest
from django.conf import settings

from sonar.core import content
from sonar.core.actions import save_revision
from sonar.core.models import Revision
from sonar.quiz import data
from sonar.quiz.models import Choice
from sonar.quiz.scoring import score, validate_answers

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent

ORDER = ("culture", "technique", "usages", "hybride")


@pytest.fixture(scope="module")
def style():
    """The style questionnaire as its content file defines it (no database needed)."""
    documents = content.read(settings.SONAR_CONTENT_DIR)
    return next(doc for _kind, _path, doc in documents if getattr(doc, "key", None) == "style")


@pytest.fixture(scope="module")
def choice_outcomes(style):
    return {c.key: c.outcome for q in style.questions for c in q.choices}


@pytest.fixture(scope="module")
def choice_keys(style):
    return {q.key: [c.key for c in q.choices] for q in style.questions}


def test_the_profiles_come_in_the_journal_order(style):
    assert [(o.key, o.symbol) for o in style.outcomes] == [
        ("culture", "x"),
        ("technique", "§"),
        ("usages", "¿"),
        ("hybride", "#"),
    ]


def test_every_one_of_the_2304_answer_sets_scores_like_an_independent_count(
    choice_outcomes, choice_keys
):
    answer_sets = list(itertools.product(*choice_keys.values()))
    assert len(answer_sets) == 2304
    for choices in answer_sets:
        answers = dict(zip(choice_keys, choices, strict=True))
        tally = Counter(choice_outcomes[c] for c in choices)
        best = max(tally.values())
        expected = [key for key in ORDER if tally[key] == best]

        result = score(answers, choice_outcomes, ORDER)

        assert result.counts == {key: tally[key] for key in ORDER}, answers
        assert list(result.winners) == expected, answers
        assert result.mixed == (len(expected) > 1), answers


ISSUE_READING = {
    "q1a": "culture", "q1b": "hybride", "q1c": "technique", "q1d": "usages",
    "q2a": "hybride", "q2b": "culture", "q2c": "usages", "q2d": "technique",
    "q3a": "technique", "q3b": "culture", "q3c": "usages",
    "q4a": "technique", "q4b": "usages", "q4c": "culture", "q4d": "hybride",
    "q5a": "hybride", "q5b": "usages", "q5c": "culture",
    "q6a": "hybride", "q6b": "culture", "q6c": "usages", "q6d": "technique",
}  # fmt: skip


@pytest.mark.parametrize(("choice", "profile"), ISSUE_READING.items())
def test_each_choice_counts_for_the_profile_of_our_reading(choice_outcomes, choice, profile):
    assert choice_outcomes[choice] == profile


def answers_for(*choices):
    return {choice[:2]: choice for choice in choices}


@pytest.mark.parametrize(
    ("choices", "profiles"),
    [
        (("q1a", "q2b", "q3b", "q4c", "q5c", "q6b"), ["culture"]),
        (("q1c", "q2d", "q3a", "q4a", "q5b", "q6d"), ["technique"]),
        (("q1d", "q2c", "q3c", "q4b", "q5a", "q6a"), ["usages"]),
    ],
)
def test_a_majority_gives_one_profile(choice_outcomes, choices, profiles):
    result = score(answers_for(*choices), choice_outcomes, ORDER)
    assert list(result.winners) == profiles
    assert not result.mixed


def test_tied_answers_give_a_mixed_profile(choice_outcomes):
    # Three for culture interne, three for usages.
    answers = answers_for("q1a", "q2b", "q3b", "q4b", "q5b", "q6c")
    result = score(answers, choice_outcomes, ORDER)
    assert result.counts["culture"] == 3
    assert result.counts["usages"] == 3
    assert list(result.winners) == ["culture", "usages"]
    assert result.mixed


def test_a_mixed_profile_lists_its_profiles_in_the_journal_order(choice_outcomes):
    # Answers given hybride first, then usages, then culture: the order is still x, ¿, #.
    answers = answers_for("q1b", "q2a", "q3c", "q4b", "q5c", "q6b")
    result = score(answers, choice_outcomes, ORDER)
    assert list(result.winners) == ["culture", "usages", "hybride"]


def test_counts_name_every_profile_even_those_with_no_answer(choice_outcomes):
    result = score(answers_for("q1a", "q2b", "q3b", "q4c", "q5c", "q6b"), choice_outcomes, ORDER)
    assert result.counts == {"culture": 6, "technique": 0, "usages": 0, "hybride": 0}


def test_no_answer_gives_no_profile(choice_outcomes):
    result = score({}, choice_outcomes, ORDER)
    assert result.winners == ()
    assert not result.mixed


def test_the_score_has_the_api_shape(choice_outcomes):
    result = score(answers_for("q1a", "q2b", "q3b", "q4b", "q5b", "q6c"), choice_outcomes, ORDER)
    assert result.as_dict() == {
        "counts": {"culture": 3, "technique": 0, "usages": 3, "hybride": 0},
        "profiles": ["culture", "usages"],
        "mixed": True,
    }


COMPLETE = {"q1": "q1a", "q2": "q2b", "q3": "q3c", "q4": "q4b", "q5": "q5a", "q6": "q6c"}


def test_a_complete_set_of_answers_is_valid(choice_keys):
    assert validate_answers(COMPLETE, choice_keys) == {}


@pytest.mark.parametrize(
    ("answers", "field", "words"),
    [
        ({k: v for k, v in COMPLETE.items() if k != "q3"}, "answers.q3", "Réponse manquante"),
        ({**COMPLETE, "q9": "q9a"}, "answers.q9", "Question inconnue"),
        ({**COMPLETE, "q1": "q2a"}, "answers.q1", "est une réponse à la question q2"),
        ({**COMPLETE, "q1": "q1z"}, "answers.q1", "Réponse inconnue"),
        ({**COMPLETE, "q1": 1}, "answers.q1", "clé d’un choix"),
        ({**COMPLETE, "q1": None}, "answers.q1", "clé d’un choix"),
        ({**COMPLETE, "q1": ["q1a"]}, "answers.q1", "clé d’un choix"),
        (["q1a"], "answers", "Un objet est attendu"),
        ("q1a", "answers", "Un objet est attendu"),
        (None, "answers", "Un objet est attendu"),
    ],
)
def test_invalid_answers_get_a_french_message_on_their_field(choice_keys, answers, field, words):
    errors = validate_answers(answers, choice_keys)
    assert words in errors[field]


def test_every_missing_answer_is_named(choice_keys):
    errors = validate_answers({"q1": "q1a"}, choice_keys)
    assert sorted(errors) == ["answers.q2", "answers.q3", "answers.q4", "answers.q5", "answers.q6"]


# The read model ------------------------------------------------------------------------------


def test_the_read_model_is_built_once_then_checked_with_one_query(
    reference_content, django_assert_num_queries
):
    data.forget()
    first = data.get("style")
    with django_assert_num_queries(1):
        again = data.get("style")
    assert again is first
    assert [q.key for q in first.questions] == ["q1", "q2", "q3", "q4", "q5", "q6"]


def test_an_edited_choice_shows_at_once_in_the_read_model(reference_content):
    data.get("style")
    choice = Choice.objects.get(key="q1a")
    choice.text_fr = "Un lab’ au sein de la collectivité"
    save_revision(choice, Revision.Origin.EDIT)
    assert data.get("style").questions[0].choices[0].text_fr == "Un lab’ au sein de la collectivité"


def test_an_edit_made_elsewhere_is_seen_through_the_revision_stamp(reference_content):
    data.get("style")
    # As another process would: update the row without this process's signals firing.
    Choice.objects.filter(key="q1a").update(text_fr="Texte changé ailleurs", revision=99)
    assert data.get("style").questions[0].choices[0].text_fr == "Texte changé ailleurs"


def test_an_unknown_questionnaire_has_no_read_model(db):
    assert data.get("nulle-part") is None


def test_addresses_that_name_no_questionnaire_keep_nothing(db):
    """The stamp's compiled SQL is kept per questionnaire; keys people type that match none
    must not grow that memory."""
    for number in range(50):
        assert data.get(f"inconnu-{number}") is None
    assert not any(key and key.startswith("inconnu") for key, _pk, _vendor in data._stamp_sql)
