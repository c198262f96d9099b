"""A read model of a questionnaire: its outcomes, questions and choices as plain frozen objects.

Every quiz page and the API need the whole questionnaire; building it takes four queries and a
few hundred objects. It is built once and kept in process memory, keyed by the questionnaire
and a stamp of the revisions of everything in it. Each request checks the stamp with one cheap
query, so an edit made through another process (a content load, an editor) shows at once; a
save in this process also clears the memory (see `forget`, connected in apps.py).
"""

import random
from dataclasses import dataclass, field, replace
from functools import cached_property
from threading import Lock

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from sonar.core.models import Translated
from sonar.quiz import scoring
from sonar.quiz.models import Choice, Outcome, Question, Questionnaire


@dataclass(frozen=True)
class OutcomeData:
    key: str
    position: int
    symbol: str
    name_fr: str
    name_en: str
    summary_fr: str
    summary_en: str
    description_fr: str
    description_en: str
    example_fr: str
    example_en: str
    attention_fr: str
    attention_en: str

    name = Translated()
    summary = Translated()
    description = Translated()
    example = Translated()
    attention = Translated()

    def as_dict(self):
        return {
            "key": self.key,
            "symbol": self.symbol,
            "name": self.name,
            "description": self.description,
            "example": self.example,
            "attention": self.attention,
        }


@dataclass(frozen=True)
class ChoiceData:
    key: str
    position: int
    outcome: str
    text_fr: str
    text_en: str
    rationale_fr: str
    rationale_en: str

    text = Translated()
    rationale = Translated()

    def as_dict(self, counts_for="profile"):
        """`counts_for` names what the choice counts for: a "profile", or a "stage"."""
        return {"key": self.key, "text": self.text, counts_for: self.outcome}


@dataclass(frozen=True)
class QuestionData:
    key: str
    position: int
    text_fr: str
    text_en: str
    choices: tuple[ChoiceData, ...]
    practice_fr: str = ""
    practice_en: str = ""

    text = Translated()
    practice = Translated()

    def choice(self, key):
        return next((c for c in self.choices if c.key == key), None)

    def as_dict(self, counts_for="profile"):
        shape = {
            "key": self.key,
            "text": self.text,
            "choices": [c.as_dict(counts_for) for c in self.choices],
        }
        if counts_for == "stage":
            shape["practice"] = self.practice
        return shape

    def shuffled(self, seed):
        """This question with its choices in an order drawn from `seed` (a respondent's), the
        same order every time for the same seed, and never the order of the file: on a
        ladder, the file lists the choices from the lowest stage to the highest, which would
        give the "best" answer away. Only the order changes; each choice keeps its key and
        what it counts for, so scoring is untouched."""
        if len(self.choices) < 2:
            return self
        draw = random.Random(f"{seed}:{self.key}")  # noqa: S311 - an order, not a secret
        order = list(self.choices)
        while order == list(self.choices):
            draw.shuffle(order)
        return replace(self, choices=tuple(order))


@dataclass(frozen=True)
class PracticeLevel:
    """One practice of a ladder (the practice its question reads) at the stage its answer
    typifies: `rank` out of `total` stages."""

    question: QuestionData
    choice: ChoiceData
    stage: OutcomeData
    rank: int
    total: int

    @property
    def key(self):
        return self.question.key

    @property
    def name(self):
        return self.question.practice or self.question.text


@dataclass(frozen=True)
class QuizData:
    id: int
    key: str
    scoring: str
    source: str
    title_fr: str
    title_en: str
    intro_fr: str
    intro_en: str
    outcomes: tuple[OutcomeData, ...]
    questions: tuple[QuestionData, ...]
    stamp: tuple = field(compare=False)

    title = Translated()
    intro = Translated()

    @cached_property
    def outcome_order(self):
        return tuple(o.key for o in self.outcomes)

    @cached_property
    def choice_outcomes(self):
        return {c.key: c.outcome for q in self.questions for c in q.choices}

    @cached_property
    def choice_keys(self):
        """Each question key, in order, with the keys of its choices: what validation needs."""
        return {q.key: [c.key for c in q.choices] for q in self.questions}

    def outcome(self, key):
        return next((o for o in self.outcomes if o.key == key), None)

    def question_at(self, number):
        """The question at a 1-based position, as shown to visitors ("Question 2 sur 6")."""
        if 1 <= number <= len(self.questions):
            return self.questions[number - 1]
        return None

    def validate(self, answers):
        return scoring.validate_answers(answers, self.choice_keys)

    @property
    def ladder(self):
        """Outcomes are stages ranked by position, scored by their lower median."""
        return self.scoring == "ladder"

    def rank(self, outcome_key):
        """A stage's rank on the ladder, 1 for the lowest (its position among the outcomes)."""
        return self.outcome_order.index(outcome_key) + 1

    def score(self, answers):
        """Score answers that `validate` accepted, by the questionnaire's own rule."""
        return scoring.score_with(self.scoring, answers, self.choice_outcomes, self.outcome_order)

    def practices(self, answers):
        """On a ladder, every question answered, as a practice at the stage of its answer, in
        the questionnaire's order. A question the answers leave out (a result kept before
        the question was added) is left out too: the result shows what was asked then."""
        if not self.ladder:
            return []
        levels = []
        for question in self.questions:
            choice = question.choice(answers.get(question.key))
            if choice is None:
                continue
            levels.append(
                PracticeLevel(
                    question=question,
                    choice=choice,
                    stage=self.outcome(choice.outcome),
                    rank=self.rank(choice.outcome),
                    total=len(self.outcomes),
                )
            )
        return levels

    def known_answers(self, answers):
        """The answers that still fit the questionnaire (content may change under a visitor)."""
        keys = self.choice_keys
        return {q: c for q, c in answers.items() if q in keys and c in keys[q]}

    def as_dict(self):
        """The API's shape of the questionnaire, in the active language.

        A ladder lists `stages` (with their rank) instead of `profiles`, and its choices say
        which `stage` they typify instead of which `profile` they count for.
        """
        if self.ladder:
            return {
                "questions": [q.as_dict("stage") for q in self.questions],
                "stages": [
                    self.stage_dict(o) | {"summary": o.summary, "description": o.description}
                    for o in self.outcomes
                ],
            }
        return {
            "questions": [q.as_dict() for q in self.questions],
            "profiles": [o.as_dict() for o in self.outcomes],
        }

    def stage_dict(self, outcome):
        return {"key": outcome.key, "rank": self.rank(outcome.key), "name": outcome.name}

    def score_dict(self, score, answers=None, milestones=None):
        """The API's shape of a score: the profiles won, or the stage reached on a ladder and,
        given the answers, the stage of each practice (with the milestone that raises it,
        from `milestones`: {(stage key, practice key): {"title", "url"}})."""
        if not self.ladder:
            return score.as_dict()
        stage = self.outcome(score.winners[0]) if score.winners else None
        shape = {
            "stage": self.stage_dict(stage) if stage else None,
            "counts": dict(score.counts),
        }
        if answers is not None:
            milestones = milestones or {}
            shape["practices"] = [
                {
                    "key": level.key,
                    "name": level.name,
                    "stage": self.stage_dict(level.stage),
                    "milestone": milestones.get((level.stage.key, level.key)),
                }
                for level in self.practices(answers)
            ]
        return shape


_cache: dict[str, QuizData] = {}
_lock = Lock()


def _stamp_query(queryset):
    def total(model, parent, expression):
        return Coalesce(
            Subquery(
                model.objects.filter(**{parent: OuterRef("pk")})
                .order_by()
                .values(parent)
                .annotate(total=expression)
                .values("total"),
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return queryset.annotate(
        outcome_revisions=total(Outcome, "questionnaire", Sum("revision")),
        outcome_count=total(Outcome, "questionnaire", Count("pk")),
        question_revisions=total(Question, "questionnaire", Sum("revision")),
        question_count=total(Question, "questionnaire", Count("pk")),
        choice_revisions=total(Choice, "question__questionnaire", Sum("revision")),
        choice_count=total(Choice, "question__questionnaire", Count("pk")),
    ).values_list(
        "pk",
        "revision",
        "outcome_revisions",
        "outcome_count",
        "question_revisions",
        "question_count",
        "choice_revisions",
        "choice_count",
    )


# The stamp's SQL by (key, pk, database): building that query through the ORM cost more than
# running it, on every request of a workshop (bench/scale.py). Only questionnaires that exist
# are kept, so the addresses people type cannot grow it.
_stamp_sql = {}


def _stamp(key, pk):
    shape = (key, pk, connection.vendor)
    compiled = _stamp_sql.get(shape)
    if compiled is None:
        queryset = Questionnaire.objects.filter(pk=pk) if pk is not None else Questionnaire.objects
        if key is not None:
            queryset = queryset.filter(key=key)
        compiled = _stamp_query(queryset.order_by("pk")[:1]).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(*compiled)
        row = cursor.fetchone()
    if row is not None:
        with _lock:
            _stamp_sql[shape] = compiled
    return row


def get(key=None, *, pk=None):
    """The questionnaire with this key (or primary key), or None when there is none.

    Every saved change raises a revision number, and a deletion changes a count: the stamp
    changes with any edit, so a stale copy is never served.
    """
    stamp = _stamp(key, pk)
    if stamp is None:
        return None
    cache_key = f"{stamp[0]}"
    cached = _cache.get(cache_key)
    if cached is not None and cached.stamp == stamp:
        return cached
    data = _build(stamp)
    with _lock:
        _cache[cache_key] = data
    return data


def _build(stamp):
    questionnaire = Questionnaire.objects.get(pk=stamp[0])
    outcomes = tuple(
        OutcomeData(
            key=o.key,
            position=o.position,
            symbol=o.symbol,
            **{
                f"{name}_{lang}": getattr(o, f"{name}_{lang}")
                for name in ("name", "summary", "description", "example", "attention")
                for lang in ("fr", "en")
            },
        )
        for o in Outcome.objects.filter(questionnaire=questionnaire).order_by("position")
    )
    choices = {}
    for c in (
        Choice.objects.filter(question__questionnaire=questionnaire)
        .select_related("outcome")
        .order_by("position")
    ):
        choices.setdefault(c.question_id, []).append(
            ChoiceData(
                key=c.key,
                position=c.position,
                outcome=c.outcome.key,
                text_fr=c.text_fr,
                text_en=c.text_en,
                rationale_fr=c.rationale_fr,
                rationale_en=c.rationale_en,
            )
        )
    questions = tuple(
        QuestionData(
            key=q.key,
            position=q.position,
            text_fr=q.text_fr,
            text_en=q.text_en,
            practice_fr=q.practice_fr,
            practice_en=q.practice_en,
            choices=tuple(choices.get(q.pk, ())),
        )
        for q in Question.objects.filter(questionnaire=questionnaire).order_by("position")
    )
    return QuizData(
        id=questionnaire.pk,
        key=questionnaire.key,
        scoring=questionnaire.scoring,
        source=questionnaire.source,
        title_fr=questionnaire.title_fr,
        title_en=questionnaire.title_en,
        intro_fr=questionnaire.intro_fr,
        intro_en=questionnaire.intro_en,
        outcomes=outcomes,
        questions=questions,
        stamp=stamp,
    )


def forget():
    """Drop every cached questionnaire (called by each write of quiz content:
    QuizContent.refresh_dependants in sonar/quiz/models.py)."""
    with _lock:
        _cache.clear()
        _stamp_sql.clear()
