"""Trajectory pages: the ladder of stages, one trajectory, and "you are here"."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def index(request):
    return HttpResponse("")


@require_safe
def trajectory(request, key):
    raise Http404


@require_safe
def here(request, token):
    raise Http404
