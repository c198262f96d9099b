from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class QuizConfig(AppConfig):
    name = "sonar.quiz"
    label = "quiz"
    verbose_name = "Diagnostics"

    def ready(self):
        from sonar.quiz import data
        from sonar.quiz.models import Choice, Outcome, Question, Questionnaire

        # A saved or deleted piece of a questionnaire makes its cached read model stale.
        for model in (Questionnaire, Outcome, Question, Choice):
            post_save.connect(
                data.forget, sender=model, dispatch_uid=f"quiz-forget-{model.__name__}"
            )
            post_delete.connect(
                data.forget, sender=model, dispatch_uid=f"quiz-forget-del-{model.__name__}"
            )
