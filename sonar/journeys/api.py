"""The trajectories' JSON API, from the same data functions as the pages.

`GET /api/v1/trajectories` lists the stages of the ladder, lowest first; `GET
/api/v1/trajectories/<stage>` gives one trajectory whole. Texts are French unless `?lang=en`.
Every error has the site's one shape (sonar.core.errors.api_error): an unknown stage is a 404,
an unknown parameter a 400.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sonar.core import errors
from sonar.journeys import data
from sonar.quiz.api import in_requested_language

PARAMETERS = {"lang"}


def _json(payload, status=200):
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def _unknown_parameters(request):
    """A parameter the API does not take is refused, rather than silently ignored."""
    fields = {
        name[:60]: _("Paramètre inconnu : seul « lang » est accepté.")
        for name in request.GET
        if name not in PARAMETERS
    }
    if fields:
        return errors.api_error(_("Paramètre inconnu."), 400, fields)
    return None


@require_safe
@in_requested_language
def trajectories(request):
    problem = _unknown_parameters(request)
    if problem is not None:
        return problem
    results = data.ladder()
    return _json({"count": len(results), "next": None, "previous": None, "results": results})


@require_safe
@in_requested_language
def trajectory(request, key):
    problem = _unknown_parameters(request)
    if problem is not None:
        return problem
    found = data.trajectory_or_none(key)
    if found is None:
        return errors.api_error(_("Aucune trajectoire pour l’étape « %s ».") % key[:60], 404, {})
    return _json(data.trajectory_detail(found))
