from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from sonar.quiz.models import Questionnaire


def questionnaire(request, key):
    q = get_object_or_404(Questionnaire, key=key)
    return JsonResponse({"key": q.key})
