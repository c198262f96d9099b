"""The schema of a trajectory file, content/journeys/trajectories/<stage>.yaml (content.py).

Trajectories are a Sonar addition, not the journal's: the 2018 journal describes a progressive
rise in innovation, with milestones, forks and pitfalls, but no ladder of stages. The stages
are the outcomes of the maturity diagnostic (content/quiz/maturity.yaml); each file says, for
its stage, what leads to the next one. Only the principles a trajectory marks `quote: true`
are the journal's own words.
"""

import re
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from sonar.core.content import I18n, Schema

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NBSP = "\u00a0"

# Sentences of the journal, word for word, French typography restored: the only texts a
# trajectory may mark as quoted. The principles of « Passer à l’acte sans passer à la trappe »
# come first, then other sentences of that page, of the introduction, of « Ressources à
# disposition » and of « …et une fabrique des politiques publiques ouverte ».
JOURNAL_PRINCIPLES = (
    f"arrêtons de parler, pratiquons l’innovation{NBSP}!",
    "Soyons à la fois ambitieux et humble, sans prétendre tout révolutionner en un jour.",
    "Et si ça ne fonctionne pas la première fois, essayons encore et encore.",
    f"ce qui compte, ce n’est pas tant la destination que la route{NBSP}!",
    "Il ne suffit pas de prononcer des formules magiques pour changer réellement.",
    "Pas de tour du monde en solitaire, mais une aventure collective dans laquelle chacun "
    "peut trouver son chemin.",
    "Combiner les approches, c’est au contraire la meilleure façon de traiter les problèmes "
    "de façon plus systémique.",
    "Rester curieux, dynamique, réactif et critique, voilà sans doute la solution pour savoir "
    f"tirer le meilleur de tous les outils à votre disposition{NBSP}!",
    f"En s’équipant pour voir «{NBSP}sous le radar{NBSP}» et réaliser des tests avec les "
    "populations (et les agents) avant, pendant et après.",
    "En n’ayant plus peur de ré-interroger la commande politique.",
)


# Trajectories ----------------------------------------------------------------------------


class Milestone(Schema):
    """A balise: a concrete step towards the next stage (at the last stage, to keep it alive)."""

    key: str = Field(pattern=SLUG)
    title: I18n
    description: I18n
    # The practices of the maturity diagnostic (its question keys) this balise raises: a
    # result links each practice, at this stage, to the balise that raises it.
    practices: list[str] = Field(default=[], max_length=4)


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


class CaseLink(Schema):
    """A real case of the map (content/atlas/cases/) that shows this trajectory at work, and
    why, in a sentence of ours."""

    case: str = Field(pattern=SLUG)
    why: I18n


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
    cases: list[CaseLink] = Field(min_length=1, max_length=3)


def check_trajectory(doc):
    """Keys are unique within their list, a resource is not listed twice, and a practice is
    raised by one balise at most (a result links each practice to one balise)."""
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
    cases = [link.case for link in doc.cases]
    for i, slug in enumerate(cases):
        if slug in cases[:i]:
            problems.append((("cases", i, "case"), f"cas « {slug} » cité deux fois"))
    raised = {}
    for mi, milestone in enumerate(doc.milestones):
        for pi, practice in enumerate(milestone.practices):
            if practice in raised:
                problems.append(
                    (
                        ("milestones", mi, "practices", pi),
                        f"la pratique « {practice} » est déjà levée par la balise "
                        f"« {raised[practice]} »",
                    )
                )
            raised.setdefault(practice, milestone.key)
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
