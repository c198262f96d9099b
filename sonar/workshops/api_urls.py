from django.urls import path

from sonar.workshops import api

urlpatterns = [
    path("workshops", api.create, name="api-workshops"),
    path("workshops/<str:code>", api.snapshot, name="api-workshop"),
    path("workshops/<str:code>/participants", api.participants, name="api-workshop-participants"),
    path(
        "workshops/<str:code>/answers/<slug:question_key>",
        api.answer,
        name="api-workshop-answer",
    ),
    path("workshops/<str:code>/me", api.me, name="api-workshop-me"),
    path("workshops/<str:code>/results", api.results_view, name="api-workshop-results"),
]
