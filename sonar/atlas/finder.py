"""The method finder: from what an agent wants to do and the means at hand, the approaches that
fit, each with the reasons it fits. Built once here for the page and its JSON twin.

The rules:
- the task is required: a resource fits when it serves that task (its `tasks`);
- each constraint is a ceiling that a resource must be known to meet: a budget (cost of 1, 2
  or 3 at most), a time to a first result (days, weeks, months), no outside help needed. A
  resource whose file does not give the fact is left out while that constraint is set;
- the most focused approaches come first (fewest tasks), then the cheapest, then the quickest,
  then by title;
- when the constraints leave nothing, the page says how many approaches serve the task at all.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from sonar.atlas.data import CARD_DEFERRED
from sonar.atlas.models import Resource
from sonar.atlas.vocabulary import (
    TASK_DESCRIPTIONS,
    Cost,
    Duration,
    OutsideHelp,
    Sensitivity,
    Task,
)
from sonar.core.collation import french_key

DURATIONS = list(Duration.values)  # from the quickest
# The ceilings offered; "peu importe" (no ceiling) is the form's other choice.
DURATION_CEILINGS = [(d, Duration(d).label) for d in DURATIONS[:-1]]
COST_CEILINGS = [(c, Cost(c).label) for c in Cost.values[:-1]]
WITHOUT_HELP = OutsideHelp.NON

# The result of each diagnostic points to the task that suits it best: a Sonar reading of the
# profiles and stages (the journal maps no task to them).
RESULT_TASKS = {
    # The style quiz's profiles.
    "culture": Task.ASSOCIER_AGENTS,
    "technique": Task.TESTER_IDEE,
    "usages": Task.COMPRENDRE_USAGERS,
    "hybride": Task.COOPERER_PARTENAIRES,
    # The maturity ladder's stages.
    "a-quai": Task.TESTER_IDEE,
    "premieres-sorties": Task.MESURER_EFFET,
    "equipage": Task.ASSOCIER_AGENTS,
    "flottille": Task.COOPERER_PARTENAIRES,
    "fabrique-ouverte": Task.DECIDER_HABITANTS,
}


def url_for_result(keys):
    """The finder's address with the task of a diagnostic's result chosen (the first of its
    profiles or its stage), or the bare finder when none is known."""
    url = reverse("atlas:finder")
    for key in keys:
        if key in RESULT_TASKS:
            return f"{url}?{urlencode({'task': RESULT_TASKS[key]})}"
    return url


@dataclass
class Question:
    """What the visitor asked: a task and up to three ceilings. `problems` names the values
    that were not understood (parameter -> message), which the page ignores and the API refuses."""

    task: str = ""
    cost: int | None = None
    duration: str = ""
    alone: bool = False
    problems: dict = field(default_factory=dict)

    @classmethod
    def from_query(cls, params):
        question = cls()
        task = params.get("task", "")
        if task in Task.values:
            question.task = task
        elif task:
            question.problems["task"] = _("« %(value)s » n’est pas une tâche connue.") % {
                "value": task[:60]
            }
        cost = params.get("cost", "")
        if cost in {str(value) for value in Cost.values}:
            question.cost = int(cost)
        elif cost:
            question.problems["cost"] = _("Le budget s’écrit 1, 2 ou 3 (€, €€ ou €€€).")
        duration = params.get("duration", "")
        if duration in DURATIONS:
            question.duration = duration
        elif duration:
            question.problems["duration"] = _("La durée s’écrit jours, semaines, mois ou annees.")
        help_wanted = params.get("help", "")
        if help_wanted == WITHOUT_HELP:
            question.alone = True
        elif help_wanted:
            question.problems["help"] = _("Seule la valeur « non » est possible ici.")
        return question

    @property
    def constrained(self):
        return bool(self.cost or self.duration or self.alone)

    def pairs(self, constraints=True):
        items = [("task", self.task)] if self.task else []
        if constraints:
            items += [("cost", self.cost)] if self.cost else []
            items += [("duration", self.duration)] if self.duration else []
            items += [("help", WITHOUT_HELP)] if self.alone else []
        return items


@dataclass
class Fit:
    resource: Resource
    reasons: list
    cautions: list


def _fits(resource, question):
    if question.task not in resource.task_keys:
        return False
    if question.cost and (resource.cost is None or resource.cost > question.cost):
        return False
    if question.duration and (
        resource.duration not in DURATIONS
        or DURATIONS.index(resource.duration) > DURATIONS.index(question.duration)
    ):
        return False
    return not (question.alone and resource.outside_help != WITHOUT_HELP)


def _reasons(resource, question):
    """Why it fits, in the order of the questions; then what to watch."""
    reasons = [_("Elle sert à %(task)s.") % {"task": Task(question.task).label}]
    if resource.cost:
        reasons.append(_("Coût %(cost)s.") % {"cost": Cost(resource.cost).label})
    if resource.duration == Duration.ANNEES:
        reasons.append(_("Des années avant un premier résultat."))
    elif resource.duration:
        reasons.append(
            _("Un premier résultat en %(duration)s.")
            % {"duration": Duration(resource.duration).label}
        )
    if resource.outside_help == OutsideHelp.NON:
        reasons.append(_("Faisable sans aide extérieure."))
    elif resource.outside_help == OutsideHelp.UTILE:
        reasons.append(_("Une aide extérieure est utile, pas indispensable."))
    cautions = []
    if resource.outside_help == OutsideHelp.INDISPENSABLE:
        cautions.append(_("Une aide extérieure est indispensable."))
    if resource.political_sensitivity == Sensitivity.FORTE:
        cautions.append(_("Sensibilité politique forte : associez les élus dès le début."))
    return reasons, cautions


def _rank(resource):
    duration = DURATIONS.index(resource.duration) if resource.duration in DURATIONS else 9
    return (len(resource.task_keys), resource.cost or 9, duration, french_key(resource.title))


@dataclass
class Answer:
    question: Question
    fits: list
    serving_task: int  # how many resources serve the task, whatever the constraints

    @property
    def task_label(self):
        return Task(self.question.task).label if self.question.task else ""

    @property
    def task_description(self):
        return TASK_DESCRIPTIONS[self.question.task] if self.question.task else ""


def find(question):
    """The resources that fit the question, best first, with their reasons."""
    if not question.task:
        return Answer(question, [], 0)
    serving = list(
        Resource.objects.filter(tasks__contains=f" {question.task} ").defer(*CARD_DEFERRED)
    )
    fits = []
    for resource in sorted(serving, key=_rank):
        if _fits(resource, question):
            reasons, cautions = _reasons(resource, question)
            fits.append(Fit(resource, reasons, cautions))
    return Answer(question, fits, len(serving))
