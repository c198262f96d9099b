"""Trajectories as reference content: the maturity diagnostic, and one trajectory per stage.

Both are Sonar additions, not the journal's: the 2018 journal describes a progressive rise in
innovation, with milestones, forks and pitfalls, but no ladder of stages. Only the principles a
trajectory marks `quote: true` are the journal's own words.

content/journeys/maturity.yaml is a questionnaire in the style quiz's shape, scored on a ladder:
its five outcomes are stages ranked "1" to "5", and the stage of a set of answers is the lower
median of the stages of the answers. content/journeys/trajectories/<stage>.yaml says, for each
stage, what leads to the next one.

Kept apart so that content can be validated on its own (`python -m sonar.journeys.schema`)
before the journeys app that will load it exists.
"""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonar.settings")
    django.setup()

import re
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from sonar.core.content import ContentError, I18n, Schema, parse_yaml
from sonar.quiz.content import ChoiceFile, OutcomeFile, QuestionFile, QuestionnaireFile
from sonar.quiz.content import check as check_questionnaire

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
STAGES = 5
NBSP = "\u00a0"

# The journal's principles (page « Passer à l’acte sans passer à la trappe »), word for word,
# French typography restored: the only texts a trajectory may mark as quoted.
JOURNAL_PRINCIPLES = (
    f"arrêtons de parler, pratiquons l’innovation{NBSP}!",
    "Soyons à la fois ambitieux et humble, sans prétendre tout révolutionner en un jour.",
    "Et si ça ne fonctionne pas la première fois, essayons encore et encore.",
    f"ce qui compte, ce n’est pas tant la destination que la route{NBSP}!",
)


# The maturity diagnostic ------------------------------------------------------------------


class StageFile(OutcomeFile):
    """A stage of the ladder: its symbol is its rank, and it always has a one-line summary."""

    symbol: Literal["1", "2", "3", "4", "5"]
    summary: I18n


class LadderQuestionFile(QuestionFile):
    """A question about a practice: 4 or 5 factual choices, from the lowest stage to the highest."""

    choices: list[ChoiceFile] = Field(min_length=4, max_length=5)


class MaturityFile(QuestionnaireFile):
    """The maturity diagnostic: the style quiz's shape, five stages, 8 to 12 questions."""

    scoring: Literal["ladder"]
    source: Literal["sonar"]
    outcomes: list[StageFile] = Field(min_length=STAGES, max_length=STAGES)
    questions: list[LadderQuestionFile] = Field(min_length=8, max_length=12)


def check_maturity(doc):
    """The questionnaire's own rules, plus the ladder's.

    Stages are listed in rank order; within a question, each choice typifies a higher stage than
    the one before; and every stage is typified by at least one choice, so any stage can come out.
    """
    problems = check_questionnaire(doc)
    for i, stage in enumerate(doc.outcomes):
        if stage.symbol != str(i + 1):
            problems.append(
                (("outcomes", i, "symbol"), f"l’étape n° {i + 1} doit avoir le rang « {i + 1} »")
            )
    rank = {stage.key: int(stage.symbol) for stage in doc.outcomes}
    typified = set()
    for qi, question in enumerate(doc.questions):
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


# Trajectories ----------------------------------------------------------------------------


class Milestone(Schema):
    """A balise: a concrete step towards the next stage (at the last stage, to keep it alive)."""

    key: str = Field(pattern=SLUG)
    title: I18n
    description: I18n


class Branch(Schema):
    key: str = Field(pattern=SLUG)
    title: I18n
    implies: I18n


class Fork(Schema):
    """A bifurcation: a choice a team must make, and what each branch implies."""

    key: str = Field(pattern=SLUG)
    question: I18n
    branches: list[Branch] = Field(min_length=2, max_length=3)


class Pitfall(Schema):
    key: str = Field(pattern=SLUG)
    title: I18n
    spot: I18n
    avoid: I18n


class Lever(Schema):
    key: str = Field(pattern=SLUG)
    title: I18n
    description: I18n


class Principle(Schema):
    """A principle; `quote: true` means the French is the journal's, word for word."""

    text: I18n
    quote: bool = False
    why: I18n | None = None

    @field_validator("quote")
    @classmethod
    def quoted_from_the_journal(cls, value, info):
        text = info.data.get("text")
        if value and text is not None and text.fr not in JOURNAL_PRINCIPLES:
            raise ValueError("citation introuvable parmi les principes du journal")
        return value


class TrajectoryFile(Schema):
    stage: str = Field(pattern=SLUG)
    source: Literal["sonar"]
    title: I18n
    summary: I18n
    milestones: list[Milestone] = Field(min_length=3, max_length=5)
    forks: list[Fork] = Field(min_length=2, max_length=3)
    pitfalls: list[Pitfall] = Field(min_length=3, max_length=5)
    levers: list[Lever] = Field(min_length=3, max_length=5)
    principles: list[Principle] = Field(default=[], max_length=4)
    resources: list[str] = Field(min_length=4, max_length=8)


def check_trajectory(doc):
    """Keys are unique within their list, and a resource is not listed twice."""
    problems = []
    for name in ("milestones", "forks", "pitfalls", "levers"):
        seen = set()
        for i, item in enumerate(getattr(doc, name)):
            if item.key in seen:
                problems.append(((name, i, "key"), f"clé « {item.key} » déjà utilisée"))
            seen.add(item.key)
    for fi, fork in enumerate(doc.forks):
        keys = [branch.key for branch in fork.branches]
        for bi, key in enumerate(keys):
            if key in keys[:bi]:
                problems.append(
                    (("forks", fi, "branches", bi, "key"), f"clé « {key} » déjà utilisée")
                )
    for i, slug in enumerate(doc.resources):
        if slug in doc.resources[:i]:
            problems.append((("resources", i), f"ressource « {slug} » citée deux fois"))
    return problems


# Typography ------------------------------------------------------------------------------


def _french_problems(text):
    problems = []
    if "'" in text:
        problems.append("apostrophe droite (’ attendue)")
    for match in re.finditer(r"(.)([:;!?»])", text):
        before, mark = match.groups()
        if before != NBSP and not (mark == ":" and before.isdigit()):
            problems.append(f"espace insécable attendue avant « {mark} »")
    for match in re.finditer(r"«(.)", text):
        if match.group(1) != NBSP:
            problems.append("espace insécable attendue après « « »")
    return problems


def check_typography(doc, loc=()):
    """French in displayed text: ’ apostrophe, non-breaking space before : ; ! ? and inside « »."""
    problems = []
    if isinstance(doc, I18n):
        for message in _french_problems(doc.fr):
            problems.append(((*loc, "fr"), message))
        if "'" in doc.en:
            problems.append(((*loc, "en"), "apostrophe droite (’ attendue)"))
    elif isinstance(doc, BaseModel):
        for name in type(doc).model_fields:
            problems += check_typography(getattr(doc, name), (*loc, name))
    elif isinstance(doc, list):
        for i, item in enumerate(doc):
            problems += check_typography(item, (*loc, i))
    return problems


def check(doc):
    """Everything checked within one trajectory file: unique keys, French typography."""
    return check_trajectory(doc) + check_typography(doc)


# The directory ---------------------------------------------------------------------------


def _line(lines, loc):
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc)


def _read(path, schema, check):
    """One file: (document or None, its errors, the line of each of its fields)."""
    data, lines = parse_yaml(path.read_text(encoding="utf-8"))
    try:
        doc = schema.model_validate(data if data is not None else {})
    except ValidationError as exc:
        found = [(e["loc"], e["msg"].removeprefix("Value error, ")) for e in exc.errors()]
        doc = None
    else:
        found = check(doc) + check_typography(doc)
    errors = [
        ContentError(path, _line(lines, loc), ".".join(map(str, loc)), message)
        for loc, message in found
    ]
    return doc, errors, lines


def check_journeys(maturity, trajectories, resource_slugs):
    """Across files: one trajectory per stage and only for stages, resources that exist.

    `trajectories` maps each file's path to its document; returns (path, loc, message) triples.
    """
    problems = []
    stages = [stage.key for stage in maturity.outcomes]
    covered = set()
    for path, doc in trajectories.items():
        if doc.stage != Path(path).stem:
            problems.append(
                (path, ("stage",), f"l’étape « {doc.stage} » diffère du nom du fichier")
            )
        if doc.stage not in stages:
            problems.append(
                (path, ("stage",), f"« {doc.stage} » n’est pas une étape ({', '.join(stages)})")
            )
        covered.add(doc.stage)
        for i, slug in enumerate(doc.resources):
            if slug not in resource_slugs:
                problems.append((path, ("resources", i), f"ressource « {slug} » inconnue"))
    for stage in stages:
        if stage not in covered:
            problems.append((None, (), f"pas de trajectoire pour l’étape « {stage} »"))
    return problems


def validate_directory(directory, resources=None):
    """Every file valid, five stages, one trajectory per stage, every resource known.

    As in the content pipeline, what spans files is checked only once every file is valid.
    """
    directory = Path(directory)
    resources = Path(resources) if resources else directory.parent / "atlas" / "resources"
    resource_slugs = {path.stem for path in resources.glob("*.yaml")}
    errors = []
    maturity, found, _lines = _read(directory / "maturity.yaml", MaturityFile, check_maturity)
    errors += found
    trajectories, lines_of = {}, {}
    for path in sorted((directory / "trajectories").glob("*.yaml")):
        doc, found, lines_of[path] = _read(path, TrajectoryFile, check_trajectory)
        errors += found
        if doc is not None:
            trajectories[path] = doc
    if not errors:
        for path, loc, message in check_journeys(maturity, trajectories, resource_slugs):
            line = _line(lines_of.get(path, {}), loc)
            errors.append(ContentError(path or directory, line, ".".join(map(str, loc)), message))
    return errors, maturity, trajectories


if __name__ == "__main__":
    errors, maturity, trajectories = validate_directory(
        sys.argv[1] if len(sys.argv) > 1 else "content/journeys"
    )
    print("\n".join(str(error) for error in errors) or "ok")
    if maturity is not None:
        choices = sum(len(question.choices) for question in maturity.questions)
        print(
            f"{len(maturity.outcomes)} stages, {len(maturity.questions)} questions, "
            f"{choices} choices, {len(trajectories)} trajectories"
        )
    sys.exit(1 if errors else 0)
