"""The journal's style quiz as a step: six questions, four profiles."""

from django.utils.translation import gettext as _

from sonar.workshops.kinds import register
from sonar.workshops.kinds.questionnaire import QuestionnaireKind


@register
class Style(QuestionnaireKind):
    key = "style"
    questionnaire = "style"

    def label(self):
        return _("Le test de style du journal")
