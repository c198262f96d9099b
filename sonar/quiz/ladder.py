"""A ladder questionnaire (the maturity diagnostic) read the same way for one person and for a
team: one stage, never a tie, by the lower-median rule of scoring.lower_median; its rank out of
the stages; and the chart's bars, drawn alike on the result page and the workshop's debrief.
"""

from django.utils.translation import gettext as _

from sonar.quiz.scoring import lower_median

# Fill colours as SVG attributes, for renderers without the site's CSS (the PDF card and the
# workshop report); on the page, the design system's .series-N classes take precedence.
SERIES_FILLS = ("#0b2545", "#0b6e66", "#1d4e89", "#7a4b00")


def stage_of(quiz, answer_profiles):
    """The stage of these answers ({outcome key: how many answers typify it}): the lower median
    of all of them, each answer weighing the same. None before any answer."""
    key = lower_median(answer_profiles, quiz.outcome_order)
    return quiz.outcome(key) if key else None


class OnLadder:
    """What a person's Report and a team's TeamReport share. Each has `quiz` and says which
    `stage` it is at (an outcome, or None on a profile quiz or before any answer)."""

    quiz = None
    stage = None

    @property
    def ladder(self):
        return self.quiz.ladder

    @property
    def rank(self):
        return self.quiz.rank(self.stage.key) if self.stage else None

    @property
    def stage_total(self):
        return len(self.quiz.outcomes)

    @property
    def rank_label(self):
        """« Étape 2 sur 5 »."""
        if self.stage is None:
            return ""
        return _("Étape %(rank)d sur %(total)d") % {"rank": self.rank, "total": self.stage_total}


def bar(index, count, scale, bar_max, row, bar_height):
    """Where the bar of the index-th outcome goes in a chart of one row per outcome (its name
    above its bar, so that the text stays readable when a phone scales the chart down)."""
    top = index * row
    width = round(bar_max * count / max(scale, 1))
    return {
        "series": index % 4 + 1,
        "fill": SERIES_FILLS[index % 4],
        "label_y": top + 20,
        "bar_y": top + 28,
        "width": width,
        # A zero sits at the start of its row, where the bar would begin, not indented alone.
        "count_x": width + 8 if width else 0,
        "count_y": top + 28 + bar_height - 4,
    }
