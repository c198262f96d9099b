"""The trajectories' JSON API, from the same data functions as the pages.

`GET /api/v1/trajectories` lists the stages of the ladder, lowest first; `GET
/api/v1/trajectories/<stage>` gives one trajectory whole. Texts are French unless `?lang=en`.
An unknown stage is a 404, an unknown parameter a 400, in the API's one error shape.
"""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from sonar.core.api import NOT_FOUND, ApiError, Out, answers
from sonar.journeys import data

TAG = {"name": "trajectories", "description": "Les trajectoires de l’échelle de maturité."}
router = Router(tags=[TAG["name"]])

PARAMETERS = {"lang"}


class Stage(Out):
    key: str
    rank: int = Field(ge=1)
    name: str
    summary: str


class StageSummary(Stage):
    title: str
    url: str


class StageDetail(Stage):
    description: str


class Ladder(Out):
    count: int = Field(ge=0)
    next: None
    previous: None
    results: list[StageSummary]


class Trajectory(Out):
    stage: StageDetail
    stages: int = Field(ge=1)
    title: str
    summary: str
    source: str
    milestones: list[dict[str, Any]]
    forks: list[dict[str, Any]]
    pitfalls: list[dict[str, Any]]
    levers: list[dict[str, Any]]
    principles: list[dict[str, Any]]
    resources: list[dict[str, Any]]
    cases: list[dict[str, Any]] = Field(
        description="Des cas réels de la carte qui montrent cette trajectoire à l’œuvre, avec "
        "la raison de ce choix (why)."
    )
    previous: StageSummary | None
    next: StageSummary | None
    url: str


def _refuse_unknown_parameters(request):
    """A parameter the API does not take is refused, rather than silently ignored."""
    fields = {
        name[:60]: _("Paramètre inconnu : seul « lang » est accepté.")
        for name in request.GET
        if name not in PARAMETERS
    }
    if fields:
        raise ApiError(_("Paramètre inconnu."), 400, fields)


@router.api_operation(
    ["GET", "HEAD"],
    "/trajectories",
    url_name="api-trajectories",
    operation_id="trajectories",
    summary="Les étapes de l’échelle de maturité, de la plus basse à la plus haute",
    response=answers(Ladder),
)
def trajectories(request):
    _refuse_unknown_parameters(request)
    results = data.ladder()
    return {"count": len(results), "next": None, "previous": None, "results": results}


@router.api_operation(
    ["GET", "HEAD"],
    "/trajectories/{slug:key}",
    url_name="api-trajectory",
    operation_id="trajectory",
    summary="La trajectoire d’une étape en entier",
    response=answers(Trajectory, NOT_FOUND),
)
def trajectory(request, key: str):
    _refuse_unknown_parameters(request)
    found = data.trajectory_or_none(key)
    if found is None:
        raise ApiError(_("Aucune trajectoire pour l’étape « %s ».") % key[:60], 404)
    return data.trajectory_detail(found)
