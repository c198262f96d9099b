"""Scoring the maturity diagnostic on its ladder: the lower median of the answers' stages."""

import statistics

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from sonar.core import content
from sonar.quiz import data
from sonar.quiz.content import check
from sonar.quiz.scoring import ladder, score, score_with

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent

STAGES = ("a-quai", "premieres-sorties", "equipage", "flottille", "fabrique-ouverte")


@pytest.fixture(scope="module")
def maturity():
    """The maturity questionnaire as its content file defines it (no database needed)."""
    documents = content.read(settings.SONAR_CONTENT_DIR)
    return next(doc for _kind, _path, doc in documents if getattr(doc, "key", None) == "maturity")


def independent_stage(ranks):
    """The rule as the content file's header states it, with the standard library."""
    return STAGES[statistics.median_low(ranks) - 1] if ranks else None


def answers_at(ranks):
    """One answer per question, each the choice typifying the stage of that rank."""
    return {f"q{i}": f"c{rank}" for i, rank in enumerate(ranks)}


CHOICE_STAGES = {f"c{rank}": STAGES[rank - 1] for rank in range(1, 6)}


def test_the_diagnostic_is_scored_on_a_ladder_of_five_ranked_stages(maturity):
    assert maturity.scoring == "ladder"
    assert [(o.key, o.symbol) for o in maturity.outcomes] == [
        (key, str(rank)) for rank, key in enumerate(STAGES, start=1)
    ]


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=15))
def test_the_stage_is_the_lower_median_like_an_independent_implementation(ranks):
    result = ladder(answers_at(ranks), CHOICE_STAGES, STAGES)
    expected = independent_stage(ranks)
    assert result.winners == ((expected,) if expected else ())
    assert sum(result.counts.values()) == len(ranks)


@pytest.mark.parametrize(
    ("ranks", "stage"),
    [
        ([1, 2], "a-quai"),
        ([2, 3], "premieres-sorties"),
        ([1, 1, 5, 5], "a-quai"),
        ([4, 5, 5, 5, 5, 5, 1, 1, 1, 1], "flottille"),
        ([3, 3, 3, 3, 3, 4, 4, 4, 4, 4], "equipage"),
    ],
)
def test_an_even_number_of_answers_gives_the_lower_of_the_two_middle_stages(ranks, stage):
    assert ladder(answers_at(ranks), CHOICE_STAGES, STAGES).winners == (stage,)


@pytest.mark.parametrize(
    ("ranks", "stage"),
    [([5], "fabrique-ouverte"), ([1, 5, 5], "fabrique-ouverte"), ([1, 1, 5], "a-quai")],
)
def test_an_odd_number_of_answers_gives_the_middle_stage(ranks, stage):
    assert ladder(answers_at(ranks), CHOICE_STAGES, STAGES).winners == (stage,)


def test_the_order_of_the_questions_does_not_change_the_stage():
    forward = ladder(answers_at([5, 1, 3, 2, 4, 4]), CHOICE_STAGES, STAGES)
    backward = ladder(answers_at([4, 4, 2, 3, 1, 5]), CHOICE_STAGES, STAGES)
    assert forward == backward


def test_counts_name_every_stage_even_those_with_no_answer():
    result = ladder(answers_at([2, 2, 4]), CHOICE_STAGES, STAGES)
    assert result.counts == {
        "a-quai": 0,
        "premieres-sorties": 2,
        "equipage": 0,
        "flottille": 1,
        "fabrique-ouverte": 0,
    }


def test_no_answer_gives_no_stage():
    assert ladder({}, CHOICE_STAGES, STAGES).winners == ()


def test_a_ladder_never_gives_a_mixed_result():
    # A majority would call two stages with as many answers a tie; the ladder picks one.
    assert score(answers_at([1, 1, 5, 5]), CHOICE_STAGES, STAGES).mixed
    assert not ladder(answers_at([1, 1, 5, 5]), CHOICE_STAGES, STAGES).mixed


@pytest.mark.parametrize(
    ("scoring", "winners"), [("majority", STAGES[::4]), ("ladder", STAGES[:1])]
)
def test_one_entry_point_scores_by_the_questionnaires_own_rule(scoring, winners):
    assert score_with(scoring, answers_at([1, 1, 5, 5]), CHOICE_STAGES, STAGES).winners == winners


def test_every_question_of_the_diagnostic_offers_its_stages_in_rank_order(maturity):
    for question in maturity.questions:
        ranks = [STAGES.index(choice.outcome) for choice in question.choices]
        assert ranks == sorted(set(ranks))


def test_the_read_model_scores_the_diagnostic_on_its_ladder(reference_content):
    quiz = data.get("maturity")
    answers = {q.key: q.choices[-1].key for q in quiz.questions}
    answers |= {q.key: q.choices[0].key for q in quiz.questions[:5]}
    assert quiz.ladder
    assert quiz.score(answers).winners == ("a-quai",)
    assert quiz.rank("equipage") == 3


# The ladder's content rules -------------------------------------------------------------------


def broken(maturity, change):
    doc = maturity.model_copy(deep=True)
    change(doc)
    return [(".".join(map(str, loc)), message) for loc, message in check(doc)]


def test_the_diagnostic_as_written_follows_the_ladders_rules(maturity):
    assert check(maturity) == []


def test_a_stage_whose_symbol_is_not_its_rank_is_refused(maturity):
    def swap(doc):
        doc.outcomes[0].symbol = "2"

    assert ("outcomes.0.symbol", "l’étape n° 1 doit avoir le rang « 1 » (symbol)") in broken(
        maturity, swap
    )


def test_choices_going_down_the_ladder_are_refused(maturity):
    def reverse(doc):
        doc.questions[2].choices.reverse()

    assert (
        "questions.2.choices.1.outcome",
        "les choix doivent aller de l’étape la plus basse à la plus haute",
    ) in broken(maturity, reverse)


def test_a_stage_no_choice_leads_to_is_refused(maturity):
    def drop_top(doc):
        for question in doc.questions:
            question.choices = question.choices[:-1]

    assert ("outcomes.4.key", "aucun choix ne mène à « fabrique-ouverte »") in broken(
        maturity, drop_top
    )


def test_a_stage_without_a_summary_is_refused(maturity):
    def no_summary(doc):
        doc.outcomes[1].summary = None

    assert ("outcomes.1.summary", "une étape a besoin d’un résumé") in broken(maturity, no_summary)


def test_a_ladder_question_without_its_practice_name_is_refused(maturity):
    def unnamed(doc):
        doc.questions[3].practice = None

    assert ("questions.3.practice", "une question d’échelle nomme sa pratique") in broken(
        maturity, unnamed
    )


def test_a_majority_questionnaire_has_no_ladder_rules(maturity):
    def majority(doc):
        doc.scoring = "majority"
        doc.questions[2].choices.reverse()

    assert broken(maturity, majority) == []


def test_a_broken_ladder_is_reported_with_its_file_line_and_field(tmp_path):
    text = (settings.SONAR_CONTENT_DIR / "quiz" / "maturity.yaml").read_text(encoding="utf-8")
    # The first question's second choice now typifies the lowest stage again.
    broken = text.replace('outcome: "premieres-sorties"', 'outcome: "a-quai"', 1)
    (tmp_path / "content" / "quiz").mkdir(parents=True)
    (tmp_path / "content" / "quiz" / "maturity.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(content.ContentInvalid) as raised:
        content.read(tmp_path / "content")
    [error] = raised.value.errors
    assert str(error.path) == "content/quiz/maturity.yaml"
    assert error.field == "questions.0.choices.1.outcome"
    changed = next(
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if 'outcome: "premieres-sorties"' in line
    )
    assert error.line == changed
    assert "de l’étape la plus basse à la plus haute" in error.message
