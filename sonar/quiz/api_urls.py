from django.urls import path

from sonar.quiz import api

urlpatterns = [
    path("quiz/<slug:key>", api.questionnaire, name="api-quiz"),
    path("quiz/<slug:key>/score", api.score, name="api-quiz-score"),
]
