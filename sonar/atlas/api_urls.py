"""The map's JSON API under /api/v1/ (api.py)."""

from django.urls import path

from sonar.atlas import api

urlpatterns = [
    path("resources", api.resources, name="api-resources"),
    path("resources/<slug:slug>", api.resource, name="api-resource"),
    path("glossary", api.glossary, name="api-glossary"),
    path("glossary/<slug:slug>", api.term, name="api-term"),
    path("cases", api.cases, name="api-cases"),
    path("cases/<slug:slug>", api.case, name="api-case"),
    path("finder", api.finder, name="api-finder"),
]
