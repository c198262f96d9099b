"""The debrief pack: what a facilitator hands to élus and directors after (or during) a
workshop, to decide something together rather than only look at charts.

In order: the questions and how the team answered each; the team's profile, a tie stated as
a tie; questions to discuss, drawn from these results; and room to write the decisions down.
Built from the same TeamReport as the projector and the one-page report; printed by
sonar/workshops/pdf.py, and kept there until the workshop reads differently.

The discussion questions are a Sonar addition, not the journal's: each one only names what the
counts show (the approaches the team leans on, those it lacks, the question it splits on).
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sonar.core.links import absolute
from sonar.quiz.report import join_words
from sonar.workshops import results
from sonar.workshops.debrief import TeamReport

# Lines left blank for the decisions, and for notes, on the pack's last page.
DECISION_LINES = 6
NOTE_LINES = 8
# At most this many approaches the team lacks get a question of their own.
MISSING_QUESTIONS = 2
# A question's text is cut to this many words when a discussion question quotes it.
QUOTED_WORDS = 14


@dataclass
class Standing:
    """Who leads the team's mix: every profile that shares the top count, in the quiz's
    order, and that count. Two or more is a tie, and is said so: the same rule as one
    person's mixed profile (Sonar never settles a tie at random)."""

    outcomes: list
    count: int

    @property
    def tie(self):
        return len(self.outcomes) > 1

    @property
    def sentence(self):
        names = join_words(f"{o.symbol} {o.name.lower()}" for o in self.outcomes)
        if self.tie:
            return ngettext(
                "L’équipe se partage à égalité entre %(names)s (%(count)d personne chacun).",
                "L’équipe se partage à égalité entre %(names)s (%(count)d personnes chacun).",
                self.count,
            ) % {"names": names, "count": self.count}
        return ngettext(
            "Le profil le plus présent dans l’équipe est %(names)s (%(count)d personne).",
            "Le profil le plus présent dans l’équipe est %(names)s (%(count)d personnes).",
            self.count,
        ) % {"names": names, "count": self.count}


class DebriefPack:
    def __init__(self, workshop, quiz=None, tally=None):
        self.workshop = workshop
        self.quiz = quiz or results.quiz_of(workshop)
        self.report = TeamReport(workshop, self.quiz, tally or results.tally(workshop, self.quiz))

    @property
    def ladder(self):
        return self.quiz.ladder

    @property
    def questions(self):
        """Each question with its distribution: count and share of every choice."""
        return self.report.questions

    @cached_property
    def standing(self):
        """The leading profiles (None on a ladder, or before anyone answered)."""
        if self.ladder:
            return None
        top = max((b.count for b in self.report.bars), default=0)
        if not top:
            return None
        return Standing([b.outcome for b in self.report.bars if b.count == top], top)

    @property
    def counted_twice(self):
        """True when someone with a mixed profile counts for each of its profiles, so that the
        chart adds up to more than the people who answered."""
        return not self.ladder and self.report.profiled > self.report.participants

    @property
    def meaning(self):
        """The debrief's paragraph on the mix. On a tie the standing sentence says it all: a
        paragraph built for one leading profile would name one of the tied ones as leading."""
        if self.standing and self.standing.tie:
            return ""
        return self.report.meaning

    @cached_property
    def most_split(self):
        """The question the team agrees on least: the one whose most chosen answer has the
        smallest share (among questions answered by two people or more)."""
        candidates = [q for q in self.questions if q.answered >= 2]
        if not candidates:
            return None
        top_share = {q.number: max(r.count for r in q.rows) / q.answered for q in candidates}
        found = min(candidates, key=lambda q: (top_share[q.number], q.number))
        return found if top_share[found.number] < 1 else None

    @cached_property
    def discussion(self):
        """Questions for the room, each drawn from what the counts show; the last one always
        asks for a decision."""
        asked = []
        if self.ladder:
            asked.extend(self._ladder_questions())
        else:
            asked.extend(self._profile_questions())
        if self.most_split:
            words = self.most_split.question.text.split()
            quoted = " ".join(words[:QUOTED_WORDS]).rstrip(" :;,.…")
            if len(words) > QUOTED_WORDS:
                quoted += " …"
            asked.append(
                _(
                    "C’est sur la question %(number)d (« %(text)s ») que les réponses se "
                    "partagent le plus. Qu’est-ce qui, dans nos métiers ou nos services, "
                    "explique ces écarts ?"
                )
                % {"number": self.most_split.number, "text": quoted}
            )
        asked.append(
            _(
                "Quelle première décision prenons-nous à partir de ces résultats, qui la porte, "
                "et quand en reparlons-nous ?"
            )
        )
        return asked

    def _profile_questions(self):
        if self.standing is None:
            return []
        names = join_words(f"{o.symbol} {o.name.lower()}" for o in self.standing.outcomes)
        if self.standing.tie:
            first = _(
                "L’équipe se partage entre %(names)s. Sur quel projet ces approches se sont-elles "
                "déjà rencontrées, et où se sont-elles gênées ?"
            ) % {"names": names}
        else:
            first = _(
                "L’équipe s’appuie d’abord sur %(names)s. Qu’est-ce que cette approche nous "
                "permet de réussir, et que risque-t-elle de nous faire manquer ?"
            ) % {"names": names}
        leading = set(o.key for o in self.standing.outcomes)
        lacking = [o for o in self.report.missing if o.key not in leading][:MISSING_QUESTIONS]
        asked = [first]
        for outcome in lacking:
            asked.append(
                _(
                    "L’approche %(name)s est peu ou pas présente. Qui, dans nos services ou chez "
                    "nos partenaires, pourrait l’apporter au projet ?"
                )
                % {"name": f"{outcome.symbol} {outcome.name.lower()}"}
            )
        return asked

    def _ladder_questions(self):
        placed = [b for b in self.report.bars if b.count]
        if not placed:
            return []
        asked = []
        low, high = placed[0].outcome, placed[-1].outcome
        if low != high:
            asked.append(
                _(
                    "Les réponses vont de l’étape « %(low)s » à l’étape « %(high)s ». Quels "
                    "services ou quels projets expliquent cet écart ?"
                )
                % {"low": low.name, "high": high.name}
            )
        stage = self.report.team_stage
        if stage is not None and self.report.team_rank < len(self.quiz.outcomes):
            asked.append(
                _(
                    "L’équipe se situe à l’étape « %(stage)s ». Que faudrait-il réunir, d’ici "
                    "six mois, pour atteindre l’étape suivante ?"
                )
                % {"stage": stage.name}
            )
        return asked

    @cached_property
    def resources(self):
        """The map's resources suited to the approaches the team lacks, with a full address
        (a printed page has no relative link)."""
        return [
            (outcome, [(resource, absolute(resource.get_absolute_url())) for resource in picks])
            for outcome, picks in self.report.resources
        ]

    @property
    def decision_lines(self):
        return range(DECISION_LINES)

    @property
    def note_lines(self):
        return range(NOTE_LINES)
