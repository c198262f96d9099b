"""The base of the kinds that run one of Sonar's questionnaires (style.py, maturity.py)."""

from django.utils.translation import gettext as _

from sonar.quiz import data as quiz_data
from sonar.workshops.kinds import Kind, Refused


class QuestionnaireKind(Kind):
    """A questionnaire step: its answers are kept per question (models.Answer) and read by the
    questionnaire's own scoring; its title is the questionnaire's."""

    def quiz(self):
        return quiz_data.get(self.questionnaire)

    def build(self, spec):
        quiz = self.quiz()
        if quiz is None or not quiz.questions:
            raise Refused(
                _("Le questionnaire « %s » n’est pas chargé.") % self.questionnaire,
                {"kind": _("Ce questionnaire n’est pas disponible sur ce serveur.")},
            )
        title = (spec.get("title") or "").strip() or quiz.title
        return title[:200], {"questionnaire": self.questionnaire}

    def screens(self, step):
        quiz = self.quiz()
        return len(quiz.questions) if quiz else 0
