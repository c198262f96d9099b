from django.urls import path

from sonar.quiz import views

app_name = "quiz"

urlpatterns = [
    path("<slug:key>/", views.start, name="start"),
]
