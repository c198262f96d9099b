"""Questionnaires as reference content: one YAML file per questionnaire under content/quiz/.

Two kinds of scoring (see sonar.quiz.scoring): `majority` (the style quiz: outcomes are
profiles) and `ladder` (the maturity diagnostic: outcomes are stages ranked "1" to "N").
"""

from typing import Literal

from pydantic import Field

from sonar.core.content import ContentKind, I18n, Schema, i18n_values
from sonar.core.opendata import Dataset, i18n_columns
from sonar.quiz.models import Choice, Outcome, Question, Questionnaire

SLUG = r"^[a-z0-9][a-z0-9_-]*$"


class ChoiceFile(Schema):
    key: str = Field(pattern=SLUG)
    text: I18n
    outcome: str
    rationale: I18n


class QuestionFile(Schema):
    key: str = Field(pattern=SLUG)
    text: I18n
    # On a ladder, each question reads one practice (team, budget…): its short name.
    practice: I18n | None = None
    choices: list[ChoiceFile] = Field(min_length=2, max_length=8)


class OutcomeFile(Schema):
    key: str = Field(pattern=SLUG)
    symbol: str = Field(default="", max_length=4)
    name: I18n
    summary: I18n | None = None
    description: I18n
    example: I18n | None = None
    attention: I18n | None = None


class QuestionnaireFile(Schema):
    key: str = Field(pattern=SLUG)
    scoring: Literal["majority", "ladder"] = "majority"
    source: str
    title: I18n
    intro: I18n | None = None
    outcomes: list[OutcomeFile] = Field(min_length=2)
    questions: list[QuestionFile] = Field(min_length=1, max_length=40)


def check(doc):
    """Keys are unique, every choice counts for an outcome the file defines, and a ladder
    questionnaire follows the ladder's rules (`check_ladder`)."""
    problems = []
    outcome_keys = [o.key for o in doc.outcomes]
    for i, key in enumerate(outcome_keys):
        if key in outcome_keys[:i]:
            problems.append((("outcomes", i, "key"), f"clé « {key} » déjà utilisée"))
    seen = set()
    for qi, question in enumerate(doc.questions):
        if question.key in seen:
            problems.append((("questions", qi, "key"), f"clé « {question.key} » déjà utilisée"))
        seen.add(question.key)
        for ci, choice in enumerate(question.choices):
            if choice.key in seen:
                problems.append(
                    (("questions", qi, "choices", ci, "key"), f"clé « {choice.key} » déjà utilisée")
                )
            seen.add(choice.key)
            if choice.outcome not in outcome_keys:
                problems.append(
                    (
                        ("questions", qi, "choices", ci, "outcome"),
                        f"« {choice.outcome} » n’est pas un des résultats du questionnaire "
                        f"({', '.join(outcome_keys)})",
                    )
                )
    if doc.scoring == "ladder":
        problems += check_ladder(doc)
    return problems


def check_ladder(doc):
    """A ladder's rules, so that the lower median of the answers' stages means something.

    Outcomes are stages listed in rank order, their symbol is their rank ("1" to "N"), and each
    has a one-line summary; within a question, each choice typifies a higher stage than the one
    before (a question may skip a stage); and every stage is typified by at least one choice, so
    any stage can come out. Each question names the practice it reads (`practice`), so that a
    result can be shown practice by practice.
    """
    problems = []
    for i, stage in enumerate(doc.outcomes):
        if stage.symbol != str(i + 1):
            problems.append(
                (
                    ("outcomes", i, "symbol"),
                    f"l’étape n° {i + 1} doit avoir le rang « {i + 1} » (symbol)",
                )
            )
        if stage.summary is None:
            problems.append((("outcomes", i, "summary"), "une étape a besoin d’un résumé"))
    rank = {stage.key: i for i, stage in enumerate(doc.outcomes, start=1)}
    typified = set()
    for qi, question in enumerate(doc.questions):
        if question.practice is None:
            problems.append(
                (("questions", qi, "practice"), "une question d’échelle nomme sa pratique")
            )
        previous = 0
        for ci, choice in enumerate(question.choices):
            typified.add(choice.outcome)
            current = rank.get(choice.outcome, 0)
            if current and current <= previous:
                problems.append(
                    (
                        ("questions", qi, "choices", ci, "outcome"),
                        "les choix doivent aller de l’étape la plus basse à la plus haute",
                    )
                )
            previous = max(previous, current)
    for i, stage in enumerate(doc.outcomes):
        if stage.key not in typified:
            problems.append((("outcomes", i, "key"), f"aucun choix ne mène à « {stage.key} »"))
    return problems


def apply(doc, writer):
    questionnaire = writer.upsert(
        Questionnaire,
        {"key": doc.key},
        {
            "scoring": doc.scoring,
            "source": doc.source,
            **i18n_values("title", doc.title),
            **i18n_values("intro", doc.intro),
        },
    )
    outcomes = {}
    for position, item in enumerate(doc.outcomes, start=1):
        outcomes[item.key] = writer.upsert(
            Outcome,
            {"questionnaire": questionnaire, "key": item.key},
            {
                "position": position,
                "symbol": item.symbol,
                **i18n_values("name", item.name),
                **i18n_values("summary", item.summary),
                **i18n_values("description", item.description),
                **i18n_values("example", item.example),
                **i18n_values("attention", item.attention),
            },
        )
    for position, item in enumerate(doc.questions, start=1):
        question = writer.upsert(
            Question,
            {"questionnaire": questionnaire, "key": item.key},
            {
                "position": position,
                **i18n_values("text", item.text),
                **i18n_values("practice", item.practice),
            },
        )
        for choice_position, choice in enumerate(item.choices, start=1):
            writer.upsert(
                Choice,
                {"question": question, "key": choice.key},
                {
                    "position": choice_position,
                    "outcome": outcomes[choice.outcome],
                    **i18n_values("text", choice.text),
                    **i18n_values("rationale", choice.rationale),
                },
            )


KINDS = [ContentKind(pattern="quiz/*.yaml", schema=QuestionnaireFile, apply=apply, check=check)]

# Open data (sonar export).
EXPORTS = [
    Dataset(
        "questionnaires",
        "Questionnaires de diagnostic",
        Questionnaire,
        {"key": "key", "scoring": "scoring", "source": "source", **i18n_columns("title", "intro")},
        order_by=("key",),
    ),
    Dataset(
        "outcomes",
        "Résultats possibles des questionnaires (profils, étapes)",
        Outcome,
        {
            "questionnaire": "questionnaire__key",
            "key": "key",
            "position": "position",
            "symbol": "symbol",
            **i18n_columns("name", "summary", "description", "example", "attention"),
        },
        order_by=("questionnaire__key", "position"),
    ),
    Dataset(
        "questions",
        "Questions des questionnaires",
        Question,
        {
            "questionnaire": "questionnaire__key",
            "key": "key",
            "position": "position",
            **i18n_columns("text", "practice"),
        },
        order_by=("questionnaire__key", "position"),
    ),
    Dataset(
        "choices",
        "Choix de réponse, et le résultat pour lequel chacun compte",
        Choice,
        {
            "questionnaire": "question__questionnaire__key",
            "question": "question__key",
            "key": "key",
            "position": "position",
            "outcome": "outcome__key",
            **i18n_columns("text", "rationale"),
        },
        order_by=("question__questionnaire__key", "question__position", "position"),
    ),
]
