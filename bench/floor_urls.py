from django.http import HttpResponse
from django.urls import path

from sonar.urls import *  # noqa: F403
from sonar.urls import urlpatterns as sonar_urlpatterns


def floor(request):
    return HttpResponse("plancher", content_type="text/plain; charset=utf-8")


urlpatterns = [path("bench/floor", floor), *sonar_urlpatterns]
