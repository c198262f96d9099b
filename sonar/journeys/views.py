"""Trajectory pages: the ladder of stages, one trajectory, and "you are here".

Read-only pages (GET never writes). "You are here" reads a maturity result by its private
token and a style result (given, or the latest of this browser), and shows only what their
result pages show of them: the stage and the profiles, never the answers.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from sonar.core import pagecache
from sonar.journeys import data
from sonar.journeys.models import MATURITY
from sonar.quiz.report import join_words


def _browser_tokens(request):
    return list(request.session.get("quiz:results") or [])


@require_safe
@pagecache.kept
def index(request):
    latest = data.latest_result(_browser_tokens(request), MATURITY)
    context = {
        "stages": data.ladder(),
        "maturity": MATURITY,
        "here_url": reverse("journeys:here", args=[latest.token]) if latest else None,
        "api_url": reverse("api-trajectories"),
    }
    response = render(request, "journeys/index.html", context)
    return pagecache.private(response) if latest else response


@require_safe
@pagecache.kept(sessions=True)
def trajectory(request, key):
    found = data.trajectory_or_none(key)
    if found is None:
        raise Http404
    context = {
        "trajectory": data.trajectory_detail(found),
        "maturity": MATURITY,
        "api_url": reverse("api-trajectory", args=[found.key]),
    }
    return render(request, "journeys/trajectory.html", context)


@require_safe
def here(request, token):
    result = data.result_of(token, MATURITY)
    if result is None or not result.outcomes:
        raise Http404
    found = data.trajectory_or_none(result.outcomes[0])
    if found is None:
        raise Http404
    given = request.GET.get("style")
    if given is not None:
        style = data.result_of(given, data.STYLE)
        if style is None:
            raise Http404
    else:
        style = data.latest_result(_browser_tokens(request), data.STYLE)
    here = data.here(found, style)
    context = {
        "trajectory": data.trajectory_detail(found),
        "here": here,
        "strong": join_words(profile.name.lower() for profile in here.strong),
        "given_style": given is not None,
        "style_quiz": data.STYLE,
        "maturity": MATURITY,
    }
    return pagecache.private(render(request, "journeys/here.html", context))
