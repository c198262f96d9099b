"""Sonar's maturity diagnostic as a step: ten questions, five stages (a Sonar addition)."""

from django.utils.translation import gettext as _

from sonar.workshops.kinds import register
from sonar.workshops.kinds.questionnaire import QuestionnaireKind


@register
class Maturity(QuestionnaireKind):
    key = "maturity"
    questionnaire = "maturity"

    def label(self):
        return _("Le diagnostic de maturité")
