"""A project's logbook as one object, built once and rendered four ways: the project page, the
read-only share page, the Markdown export and the PDF."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from django.utils import timezone

from sonar.logbook.models import Experiment, Positioning
from sonar.quiz.models import Outcome

MATURITY = "maturity"
STYLE = "style"


def outcomes(questionnaire_key):
    """{key: Outcome} of a questionnaire, in its order (empty when it is not loaded)."""
    return {
        o.key: o
        for o in Outcome.objects.filter(questionnaire__key=questionnaire_key).order_by("position")
    }


def stage_choices():
    return [(key, o.name) for key, o in outcomes(MATURITY).items()]


def style_choices():
    # The profile's name alone: a symbol before it read as a capital ("X Culture interne").
    return [(key, o.name) for key, o in outcomes(STYLE).items()]


@dataclass
class Event:
    """One line of the timeline: something that happened to the project, on a day."""

    day: date
    at: datetime
    kind: str  # "experiment", "milestone", "stage", "style"
    item: object


@dataclass
class Position:
    positioning: Positioning
    outcomes: list

    @property
    def names(self):
        return [o.name for o in self.outcomes]


class Logbook:
    def __init__(self, project):
        self.project = project

    @cached_property
    def stages(self):
        return outcomes(MATURITY)

    @cached_property
    def styles(self):
        return outcomes(STYLE)

    def _position(self, positioning):
        if positioning is None:
            return None
        known = self.stages if positioning.aspect == Positioning.Aspect.STAGE else self.styles
        return Position(positioning, [known[k] for k in positioning.keys if k in known])

    @cached_property
    def positionings(self):
        return list(self.project.positionings.select_related("recorded_by"))

    @cached_property
    def stage(self):
        found = [p for p in self.positionings if p.aspect == Positioning.Aspect.STAGE]
        return self._position(found[-1] if found else None)

    @cached_property
    def style(self):
        found = [p for p in self.positionings if p.aspect == Positioning.Aspect.STYLE]
        return self._position(found[-1] if found else None)

    @cached_property
    def milestones(self):
        return list(self.project.milestones.select_related("done_by").order_by("position", "pk"))

    @cached_property
    def trajectories(self):
        """The trajectories the project follows: those its adopted milestones came from, in
        the order they were adopted."""
        from sonar.journeys.models import Milestone, Trajectory

        ids = [m.milestone_id for m in self.milestones if m.milestone_id]
        by_milestone = dict(Milestone.objects.filter(pk__in=ids).values_list("pk", "trajectory"))
        order = list(dict.fromkeys(by_milestone[i] for i in ids if i in by_milestone))
        found = Trajectory.objects.filter(pk__in=order).select_related("stage").in_bulk()
        return [found[pk] for pk in order if pk in found]

    @property
    def done(self):
        return sum(1 for m in self.milestones if m.done_at)

    @cached_property
    def experiments(self):
        return list(
            Experiment.objects.filter(project=self.project)
            .select_related("resource")
            .order_by("-created_at", "-pk")
        )

    @cached_property
    def members(self):
        return list(self.project.members.select_related("user"))

    @cached_property
    def timeline(self):
        """Experiments, ticked milestones and stage or style changes, oldest first."""
        events = []
        for experiment in self.experiments:
            at = experiment.created_at
            events.append(Event(experiment.when, at, "experiment", experiment))
        for milestone in self.milestones:
            if milestone.done_at:
                day = timezone.localdate(milestone.done_at)
                events.append(Event(day, milestone.done_at, "milestone", milestone))
        for positioning in self.positionings:
            day = timezone.localdate(positioning.recorded_at)
            events.append(
                Event(day, positioning.recorded_at, positioning.aspect, self._position(positioning))
            )
        events.sort(key=lambda e: (e.day, e.at))
        return events


def describe(model, snapshot):
    """A revision's snapshot as (label, text) pairs a person can read: names, not ids."""
    from sonar.accounts.models import Organisation, User
    from sonar.atlas.models import Resource

    related = {"organisation": Organisation, "resource": Resource, "done_by": User}
    rows = []
    for name in model.content_fields:
        field = model._meta.get_field(name)
        value = snapshot.get(name)
        if name in related and value is not None:
            found = related[name].objects.filter(pk=value).first()
            value = str(found.title if name == "resource" and found else found or "")
        elif name in ("audiences", "moments"):
            choices = Experiment.Moment if name == "moments" else Experiment.Audience
            labels = dict(choices.choices)
            value = ", ".join(str(labels.get(k, k)) for k in value or [])
        elif field.choices and value:
            value = str(dict(field.choices).get(value, value))
        rows.append((str(field.verbose_name).capitalize(), "" if value is None else str(value)))
    return rows
