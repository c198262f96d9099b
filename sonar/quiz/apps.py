from django.apps import AppConfig


class QuizConfig(AppConfig):
    name = "sonar.quiz"
    label = "quiz"
    verbose_name = "Diagnostics"

    def ready(self):
        # Every write of questionnaire content forgets the read model (models never import it).
        from sonar.quiz import data
        from sonar.quiz.models import QuizContent

        QuizContent.read_model = data
