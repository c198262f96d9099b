"""What a result says, built once for the result page, the share page and the PDF card."""

from dataclasses import dataclass
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sonar.quiz.ladder import OnLadder, bar

# The chart's geometry, in SVG user units: one row per outcome, its name above its bar, so the
# text stays readable when a phone scales the chart down.
CHART_WIDTH = 320
CHART_LABEL_X = 0
CHART_BAR_MAX = 270
CHART_ROW = 62
CHART_BAR_HEIGHT = 22


def join_words(words):
    """« a », « a et b », « a, b et c »: a French list of words."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return _("%(items)s et %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


@dataclass
class ChartRow:
    outcome: object
    count: int
    series: int
    fill: str
    label_y: int
    bar_y: int
    width: int
    count_x: int
    count_y: int
    winner: bool


@dataclass
class LadderRow:
    outcome: object
    rank: int
    count: int
    current: bool


@dataclass
class PracticeRow:
    """A practice on the result: its level (the rank of its answer's stage) as a band of
    cells, and where to go to raise it."""

    level: object  # data.PracticeLevel
    band: list  # one bool per stage, lowest first: reached or not
    link: dict | None  # {"title", "url"}: the balise that raises it, else its trajectory
    milestone: bool  # whether `link` is a balise (else the whole trajectory)


@dataclass
class WhyRow:
    number: int
    question: object
    choice: object
    outcome: object


class Report(OnLadder):
    """A result read against its questionnaire: winners, a heading that says a tie is a tie,
    the chart's rows, and why (each answer with the profile it counted for).

    On a ladder (the maturity diagnostic) there is one stage, never a tie: `stage`, its `rank`
    out of `stage_total`, and `ladder_rows` for the figure of every stage.
    """

    def __init__(self, quiz, result, milestones=None):
        self.quiz = quiz
        self.result = result
        # {(stage key, practice key): {"title", "url"}}, from journeys.practices; None: no links.
        self.milestones = milestones

    @cached_property
    def practices(self):
        """On a ladder, each practice (question) at the stage of its answer, in the order of
        the questions, with the balise that raises it from there (or the trajectory of that
        stage when no balise names the practice)."""
        rows = []
        for level in self.quiz.practices(self.result.answers):
            link = (self.milestones or {}).get((level.stage.key, level.key))
            milestone = link is not None
            if link is None and self.milestones is not None:
                link = _trajectory_link(level.stage)
            rows.append(
                PracticeRow(
                    level=level,
                    band=[rank <= level.rank for rank in range(1, level.total + 1)],
                    link=link,
                    milestone=milestone,
                )
            )
        return rows

    @property
    def practices_left_out(self):
        """Practices the questionnaire asks today that this result did not answer (it was
        kept before they were added): their names."""
        answered = {row.level.key for row in self.practices}
        if not self.ladder:
            return []
        return [q.practice or q.text for q in self.quiz.questions if q.key not in answered]

    @cached_property
    def stage(self):
        """On a ladder, the one winner scoring found (by the lower-median rule)."""
        return self.winners[0] if self.ladder and self.winners else None

    @cached_property
    def ladder_rows(self):
        """Every stage, the highest first as on a ladder, with its answers and where you are."""
        rows = [
            LadderRow(
                outcome=outcome,
                rank=rank,
                count=self.result.counts.get(outcome.key, 0),
                current=self.stage is not None and outcome.key == self.stage.key,
            )
            for rank, outcome in enumerate(self.quiz.outcomes, start=1)
        ]
        return rows[::-1]

    @property
    def ladder_rule(self):
        """The lower-median rule in one sentence."""
        return _(
            "Chaque réponse correspond à une étape ; rangées de la plus basse à la plus "
            "haute, la réponse du milieu donne votre étape et, avec un nombre pair de réponses, "
            "la plus basse des deux du milieu : le diagnostic ne flatte pas."
        )

    @cached_property
    def winners(self):
        return [o for o in (self.quiz.outcome(k) for k in self.result.outcomes) if o]

    @property
    def mixed(self):
        return len(self.winners) > 1

    @property
    def total(self):
        return sum(self.result.counts.values())

    @property
    def top_count(self):
        return max(self.result.counts.values(), default=0)

    @property
    def heading(self):
        if self.mixed:
            return _("Profil mixte : %s") % join_words(o.name.lower() for o in self.winners)
        return self.winners[0].name if self.winners else ""

    @property
    def explanation(self):
        """One sentence that says how the result was reached, and that a tie is a tie."""
        if self.ladder:
            return self.stage.summary if self.stage else ""
        if self.mixed:
            return ngettext(
                "Les réponses se partagent à égalité entre %(n)d profils, avec %(count)d réponse "
                "sur %(total)d chacun. Sonar ne tranche pas au hasard : ces approches comptent "
                "autant l’une que l’autre.",
                "Les réponses se partagent à égalité entre %(n)d profils, avec %(count)d réponses "
                "sur %(total)d chacun. Sonar ne tranche pas au hasard : ces approches comptent "
                "autant l’une que l’autre.",
                self.top_count,
            ) % {"n": len(self.winners), "count": self.top_count, "total": self.total}
        if not self.winners:
            return ""
        return ngettext(
            "Le profil « %(name)s » l’emporte : %(count)d réponse sur %(total)d compte pour lui.",
            "Le profil « %(name)s » l’emporte : %(count)d réponses sur %(total)d comptent "
            "pour lui.",
            self.top_count,
        ) % {"name": self.winners[0].name, "count": self.top_count, "total": self.total}

    def compare(self, earlier):
        """Each outcome with its count in an earlier result and in this one."""
        return [
            (o, earlier.counts.get(o.key, 0), self.result.counts.get(o.key, 0))
            for o in self.quiz.outcomes
        ]

    @cached_property
    def counts(self):
        return [(o, self.result.counts.get(o.key, 0)) for o in self.quiz.outcomes]

    @cached_property
    def chart_rows(self):
        scale = max(len(self.quiz.questions), self.top_count)
        rows = []
        for index, (outcome, count) in enumerate(self.counts):
            rows.append(
                ChartRow(
                    outcome=outcome,
                    count=count,
                    winner=outcome.key in self.result.outcomes,
                    **bar(index, count, scale, CHART_BAR_MAX, CHART_ROW, CHART_BAR_HEIGHT),
                )
            )
        return rows

    @property
    def chart_height(self):
        return len(self.quiz.outcomes) * CHART_ROW

    @property
    def chart_summary(self):
        """The chart's accessible name: every count, in words (no plural to get wrong at 0)."""
        parts = [f"{outcome.name} : {count}" for outcome, count in self.counts]
        if self.ladder:
            return _("Nombre de réponses par étape : %s.") % " ; ".join(parts)
        return _("Nombre de réponses par profil : %s.") % " ; ".join(parts)

    @cached_property
    def why(self):
        rows = []
        for number, question in enumerate(self.quiz.questions, start=1):
            choice = question.choice(self.result.answers.get(question.key))
            if choice is None:
                continue
            rows.append(
                WhyRow(
                    number=number,
                    question=question,
                    choice=choice,
                    outcome=self.quiz.outcome(choice.outcome),
                )
            )
        return rows


def _trajectory_link(stage):
    try:
        url = reverse("journeys:trajectory", args=[stage.key])
    except NoReverseMatch:
        return None
    return {"title": _("La trajectoire de l’étape « %s »") % stage.name, "url": url}


CHART = {
    "width": CHART_WIDTH,
    "label_x": CHART_LABEL_X,
    "bar_height": CHART_BAR_HEIGHT,
}
