from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sonar.quiz.models import Questionnaire


@require_safe
def start(request, key):
    questionnaire = get_object_or_404(Questionnaire, key=key)
    return render(request, "quiz/start.html", {"questionnaire": questionnaire})
