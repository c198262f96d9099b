"""The trajectories' data, built once for a page and its JSON twin (views.py, api.py)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import get_language

from sonar.atlas.data import absolute
from sonar.atlas.models import Case, Resource
from sonar.journeys import practices
from sonar.journeys.models import MATURITY, Fork, Trajectory
from sonar.quiz.models import Outcome, Question, Result

STYLE = "style"  # the key of the style quiz, whose outcomes are the four profiles
MAP_PICKS = 2  # resources of the whole map shown per missing profile, beyond the trajectory's


def _stage(trajectory):
    stage = trajectory.stage
    return {
        "key": trajectory.key,
        "rank": trajectory.rank,
        "name": stage.name,
        "summary": stage.summary,
    }


def _step(trajectory):
    """A stage of the ladder as a list or a previous/next link shows it."""
    if trajectory is None:
        return None
    return {
        **_stage(trajectory),
        "title": trajectory.title,
        "url": absolute(trajectory.get_absolute_url()),
    }


def ladder():
    """The five stages, lowest first, each with its trajectory's title and address."""
    return [_step(t) for t in Trajectory.objects.ladder()]


def trajectory_or_none(key):
    return (
        Trajectory.objects.ladder()
        .filter(key=key)
        .prefetch_related(
            "steps",
            Prefetch("forks", queryset=Fork.objects.prefetch_related("branches")),
            "pitfalls",
            "principles",
        )
        .first()
    )


def _resource(resource):
    return {
        "slug": resource.slug,
        "title": resource.title,
        "summary": resource.summary,
        "profiles": resource.profile_keys,
        "url": absolute(resource.get_absolute_url()),
    }


def practice_names():
    """{question key: practice name} of the maturity diagnostic, in the active language."""
    return {
        q.key: q.practice or q.text
        for q in Question.objects.filter(questionnaire__key=MATURITY).order_by("position")
    }


def cases_of(trajectory):
    """The real cases that show the trajectory at work, in its order, each with why; a case
    no longer on the map is left out."""
    links = trajectory.case_links or []
    found = {c.slug: c for c in Case.objects.filter(slug__in=[link["case"] for link in links])}
    return [
        {
            "slug": case.slug,
            "title": case.title,
            "place": case.place,
            "summary": case.summary,
            "why": link.get(f"why_{_language()}") or link.get("why_fr", ""),
            "url": absolute(case.get_absolute_url()),
        }
        for link in links
        if (case := found.get(link["case"])) is not None
    ]


def _language():
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def trajectory_detail(trajectory):
    """Everything a trajectory page shows, in the order of the page."""
    steps = list(Trajectory.objects.ladder())
    index = next(i for i, t in enumerate(steps) if t.pk == trajectory.pk)
    names = practice_names()
    return {
        "stage": {**_stage(trajectory), "description": trajectory.stage.description},
        "stages": len(steps),
        "title": trajectory.title,
        "summary": trajectory.summary,
        "source": trajectory.source,
        "milestones": [
            {
                "key": m.key,
                "position": m.position,
                "title": m.title,
                "description": m.description,
                "anchor": practices.anchor(m.key),
                "practices": [names[p] for p in m.practices or () if p in names],
            }
            for m in trajectory.milestones
        ],
        "forks": [
            {
                "key": fork.key,
                "question": fork.question,
                "branches": [
                    {"key": b.key, "title": b.title, "implies": b.implies}
                    for b in fork.branches.all()
                ],
            }
            for fork in trajectory.forks.all()
        ],
        "pitfalls": [
            {"key": p.key, "title": p.title, "spot": p.spot, "avoid": p.avoid}
            for p in trajectory.pitfalls.all()
        ],
        "levers": [
            {"key": lever.key, "title": lever.title, "description": lever.description}
            for lever in trajectory.levers
        ],
        "principles": [
            {"text": p.text, "quote": p.quote, "why": p.why} for p in trajectory.principles.all()
        ],
        "resources": [_resource(r) for r in trajectory.ordered_resources()],
        "cases": cases_of(trajectory),
        "previous": _step(steps[index - 1]) if index > 0 else None,
        "next": _step(steps[index + 1]) if index + 1 < len(steps) else None,
        "url": absolute(trajectory.get_absolute_url()),
    }


# "You are here" ------------------------------------------------------------------------------


def result_of(token, questionnaire):
    """The result with this private token, if it is one of `questionnaire`'s."""
    if not token or len(token) > 64:
        return None
    return (
        Result.objects.select_related("questionnaire")
        .filter(token=token, questionnaire__key=questionnaire)
        .first()
    )


def latest_result(tokens, questionnaire):
    """The latest of a browser's results (its tokens, oldest first) for `questionnaire`."""
    if not tokens:
        return None
    mine = Result.objects.filter(token__in=tokens, questionnaire__key=questionnaire)
    return max(mine, key=lambda r: tokens.index(r.token), default=None)


@dataclass
class Missing:
    """A profile the team's style lacks, and what would bring it: resources of the stage's
    trajectory first, then of the whole map."""

    profile: object
    in_trajectory: list = field(default_factory=list)
    on_map: list = field(default_factory=list)


@dataclass
class Here:
    trajectory: object
    style: object = None  # the style Result, or None
    strong: list = field(default_factory=list)  # the style's winning profiles (quiz.Outcome)
    missing: list = field(default_factory=list)  # Missing, one per profile the style lacks


def _specific_first(resource):
    return (not resource.named_in_journal, len(resource.profile_keys), resource.slug)


def here(trajectory, style):
    """Where a team stands: its stage's trajectory, and, from its style result, the
    approaches of the profiles it lacks.

    A style's winning profiles are its strengths; every other profile of the style quiz is
    one it lacks. For each, the trajectory's own resources that suit that profile come first
    (in the trajectory's order), then up to MAP_PICKS more from the map: journal-named ones
    first, then the most specific (fewest profiles). The same results always give the same
    page. Only outcomes are read from the results, never their answers.
    """
    found = Here(trajectory=trajectory, style=style)
    if style is None:
        return found
    profiles = list(Outcome.objects.filter(questionnaire__key=STYLE).order_by("position"))
    found.strong = [p for p in profiles if p.key in style.outcomes]
    lacking = [p for p in profiles if p.key not in style.outcomes]
    if not lacking:
        return found
    own = trajectory.ordered_resources()
    own_slugs = {r.slug for r in own}
    pool = sorted(Resource.objects.exclude(slug__in=own_slugs), key=_specific_first)
    for profile in lacking:
        missing = Missing(profile=profile)
        missing.in_trajectory = [r for r in own if profile.key in r.profile_keys]
        missing.on_map = [r for r in pool if profile.key in r.profile_keys][:MAP_PICKS]
        found.missing.append(missing)
    return found
