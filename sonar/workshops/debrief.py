"""What a team's results say: the charts' rows and the debrief read off the projector.

Built once from a tally (results.tally) for the projector, the facilitator's page, the
participants' last screen and the PDF report. The texts come from the questionnaire's own
outcomes (the journal's descriptions and points of attention); the sentences around them only
state the counts.
"""

from dataclasses import dataclass
from functools import cached_property

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sonar.quiz.ladder import OnLadder, bar, stage_of
from sonar.quiz.report import CHART_BAR_HEIGHT, CHART_BAR_MAX, CHART_ROW, join_words

# The same geometry as the personal result, so that a bar means the same length on both.
BAR_MAX = CHART_BAR_MAX
ROW = CHART_ROW
BAR_HEIGHT = CHART_BAR_HEIGHT
# A profile is "leaned on" with at least this share of the team, "clearly dominant" from half.
LEAN_SHARE = 0.25
DOMINANT_SHARE = 0.5
RESOURCES_PER_PROFILE = 3


@dataclass
class Bar:
    outcome: object
    count: int
    percent: int
    series: int
    fill: str
    label_y: int
    bar_y: int
    width: int
    count_x: int
    count_y: int


@dataclass
class ChoiceRow:
    choice: object
    outcome: object
    count: int
    percent: int


@dataclass
class QuestionRows:
    number: int
    question: object
    answered: int
    rows: list


def percent(part, whole):
    return round(100 * part / whole) if whole else 0


class TeamReport(OnLadder):
    """A team's results. For a profile quiz: the mix of profiles and what it says. For a ladder
    (the maturity diagnostic): how many people are at each stage, and the team's stage."""

    def __init__(self, workshop, quiz, tally):
        self.workshop = workshop
        self.quiz = quiz
        self.tally = tally

    @cached_property
    def stage(self):
        """The team's stage: the lower median of every answer the team gave.

        The same ladder rule as for one person, applied to all the team's answers at once (each
        counting for the stage its choice typifies), not a median of the participants' stages:
        every answer weighs the same, so someone who answered half the questions weighs half,
        and a team of two never gets a stage between its two people.
        """
        if not self.ladder:
            return None
        return stage_of(self.quiz, self.tally["answer_profiles"])

    @property
    def team_stage(self):
        return self.stage

    @property
    def team_rank(self):
        return self.rank

    @property
    def trajectory_url(self):
        """Where the team's stage leads: its trajectory page, when the journeys app serves it."""
        if self.team_stage is None:
            return ""
        try:
            return reverse("journeys:trajectory", args=[self.team_stage.key])
        except NoReverseMatch:
            return ""

    @property
    def stage_rule(self):
        return _(
            "L’étape de l’équipe est la médiane de toutes ses réponses, chacune comptant pour "
            "l’étape qu’elle décrit ; avec un nombre pair de réponses, la plus basse des deux "
            "du milieu."
        )

    @property
    def participants(self):
        return self.tally["participants"]

    @cached_property
    def profiled(self):
        """How many people count for at least one profile (they answered something)."""
        return max(sum(self.tally["profiles"].values()), 0)

    @cached_property
    def bars(self):
        counts = self.tally["profiles"]
        total = sum(counts.values())
        scale = max(counts.values(), default=0)
        bars = []
        for index, outcome in enumerate(self.quiz.outcomes):
            count = counts.get(outcome.key, 0)
            bars.append(
                Bar(
                    outcome=outcome,
                    count=count,
                    percent=percent(count, total),
                    **bar(index, count, scale, BAR_MAX, ROW, BAR_HEIGHT),
                )
            )
        return bars

    @property
    def chart_height(self):
        return len(self.quiz.outcomes) * ROW

    @property
    def chart_summary(self):
        parts = [f"{b.outcome.name} : {b.count}" for b in self.bars]
        if self.ladder:
            return _("Nombre de personnes par étape : %s.") % " ; ".join(parts)
        return _("Nombre de personnes par profil : %s.") % " ; ".join(parts)

    @cached_property
    def questions(self):
        out = []
        for number, question in enumerate(self.quiz.questions, start=1):
            counts = self.tally["answers"].get(question.key, {})
            answered = sum(counts.values())
            rows = [
                ChoiceRow(
                    choice=choice,
                    outcome=self.quiz.outcome(choice.outcome),
                    count=counts.get(choice.key, 0),
                    percent=percent(counts.get(choice.key, 0), answered),
                )
                for choice in question.choices
            ]
            out.append(QuestionRows(number, question, answered, rows))
        return out

    def _share(self, bar):
        total = sum(b.count for b in self.bars)
        return bar.count / total if total else 0

    @cached_property
    def leans_on(self):
        """The profiles the team relies on: a quarter of it or more, the largest first."""
        chosen = [b for b in self.bars if b.count and self._share(b) >= LEAN_SHARE]
        return [b.outcome for b in sorted(chosen, key=lambda b: -b.count)]

    @cached_property
    def ignores(self):
        """The profiles nobody in the team has."""
        if not self.profiled:
            return []
        return [b.outcome for b in self.bars if b.count == 0]

    @cached_property
    def rare(self):
        """Present, yet below a quarter of the team: approaches it could draw on more."""
        return [b.outcome for b in self.bars if b.count and self._share(b) < LEAN_SHARE]

    @cached_property
    def leading(self):
        """Every profile that shares the top count, in the questionnaire's order (x § ¿ #)."""
        top = max((b.count for b in self.bars), default=0)
        if not top:
            return []
        return [b.outcome for b in self.bars if b.count == top]

    @property
    def tie(self):
        """Several profiles share the top count: the same rule as a person's mixed profile,
        a tie is stated as a tie, never settled."""
        return len(self.leading) > 1

    @cached_property
    def dominant(self):
        """The one profile ahead of all others with half the profiles or more; none on a tie."""
        if len(self.leading) != 1:
            return None
        top = next(b for b in self.bars if b.outcome == self.leading[0])
        if self._share(top) >= DOMINANT_SHARE:
            return top.outcome
        return None

    @property
    def meaning(self):
        """One paragraph on the mix, stated from the counts alone."""
        if self.ladder:
            return self._ladder_meaning()
        if not self.profiled:
            return _("Personne n’a encore répondu : le profil de l’équipe apparaîtra ici.")
        names = join_words(o.name.lower() for o in self.leans_on)
        if self.tie:
            return self._tie_meaning()
        if self.dominant:
            bar = next(b for b in self.bars if b.outcome == self.dominant)
            return ngettext(
                "L’équipe penche nettement vers le profil %(name)s (%(percent)d %% des profils, "
                "%(count)d personne). Elle partage une façon de faire : c’est une force pour "
                "avancer vite, et un risque de ne voir le projet que sous cet angle.",
                "L’équipe penche nettement vers le profil %(name)s (%(percent)d %% des profils, "
                "%(count)d personnes). Elle partage une façon de faire : c’est une force pour "
                "avancer vite, et un risque de ne voir le projet que sous cet angle.",
                bar.count,
            ) % {"name": self.dominant.name.lower(), "percent": bar.percent, "count": bar.count}
        if not self.ignores and not self.rare:
            return _(
                "L’équipe réunit les %(n)d profils en proportions voisines : toutes les "
                "approches ont une voix. Le défi sera de les faire travailler ensemble plutôt "
                "que côte à côte."
            ) % {"n": len(self.bars)}
        return _(
            "L’équipe s’appuie surtout sur %(names)s. Les autres approches y sont peu ou pas "
            "représentées : c’est là qu’elle peut chercher des alliés ou des méthodes."
        ) % {"names": names}

    def _tie_meaning(self):
        count = next(b.count for b in self.bars if b.outcome == self.leading[0])
        names = join_words(f"{o.symbol} {o.name.lower()}" for o in self.leading)
        return ngettext(
            "L’équipe se partage à égalité entre %(names)s (%(count)d personne chacun). Aucune "
            "approche ne l’emporte : c’est une occasion de confronter les points de vue.",
            "L’équipe se partage à égalité entre %(names)s (%(count)d personnes chacun). Aucune "
            "approche ne l’emporte : c’est une occasion de confronter les points de vue.",
            count,
        ) % {"names": names, "count": count}

    def _ladder_meaning(self):
        if self.team_stage is None:
            return _("Personne n’a encore répondu : l’étape de l’équipe apparaîtra ici.")
        placed = [b for b in self.bars if b.count]
        if not placed:
            return self.stage_rule
        low, high = placed[0].outcome, placed[-1].outcome
        if low == high:
            return _(
                "Toutes les personnes qui ont répondu se situent à la même étape : %(name)s."
            ) % {"name": low.name}
        return _(
            "Les personnes se situent de l’étape « %(low)s » à l’étape "
            "« %(high)s » : l’écart dit où les pratiques diffèrent selon les "
            "services ou les projets, et mérite d’être discuté."
        ) % {"low": low.name, "high": high.name}

    @cached_property
    def missing(self):
        """The profiles to explore together: those nobody has, else the least present."""
        return self.ignores or self.rare

    @cached_property
    def resources(self):
        """For each missing profile, a few resources of the map suited to it (each shown once).

        None on a ladder: a stage is not a profile, and its trajectory names what helps there.
        """
        from sonar.atlas.models import Resource

        if self.ladder:
            return []

        found, seen = [], set()
        for outcome in self.missing:
            picks = list(
                Resource.objects.filtered(profile=[outcome.key])
                .exclude(slug__in=seen)
                .only("slug", "title_fr", "title_en", "summary_fr", "summary_en")
                .order_by("-named_in_journal", "slug")[:RESOURCES_PER_PROFILE]
            )
            seen.update(r.slug for r in picks)
            if picks:
                found.append((outcome, picks))
        return found
