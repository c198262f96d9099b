"""The trajectories' JSON API under /api/v1/ (api.py)."""

from django.urls import path

from sonar.journeys import api

urlpatterns = [
    path("trajectories", api.trajectories, name="api-trajectories"),
    path("trajectories/<slug:key>", api.trajectory, name="api-trajectory"),
]
