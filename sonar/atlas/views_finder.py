"""The method finder's page. Its JSON twin (api.finder) comes from the same data function,
finder.find.

The page is a GET form: any answer is a link, it works without JavaScript, and values it does
not understand are ignored and named. The JSON twin refuses them with the API's error shape.
"""

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sonar.atlas import finder
from sonar.atlas.vocabulary import TASK_DESCRIPTIONS, Task
from sonar.core import pagecache


@require_safe
@pagecache.kept(sessions=True)
def finder_page(request):
    question = finder.Question.from_query(request.GET)
    answer = finder.find(question)
    relaxed = ""
    if question.task and question.constrained and not answer.fits and answer.serving_task:
        relaxed = "?" + urlencode(question.pairs(constraints=False))
    context = {
        "question": question,
        "answer": answer,
        "tasks": [
            {"value": value, "label": label, "description": TASK_DESCRIPTIONS[value]}
            for value, label in Task.choices
        ],
        "costs": finder.COST_CEILINGS,
        "durations": finder.DURATION_CEILINGS,
        "relaxed_url": relaxed,
        "notice": (
            _("Réponse non comprise, ignorée : %s") % " ".join(question.problems.values())
            if question.problems
            else ""
        ),
        "api_url": reverse("api-finder")
        + ("?" + urlencode(question.pairs()) if question.task else ""),
    }
    return render(request, "atlas/finder.html", context)
