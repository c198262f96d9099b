from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "sonar.quiz"
    label = "quiz"
    verbose_name = "Diagnostics"
