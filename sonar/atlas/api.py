"""The atlas's JSON API: resources, glossary, cases, from the same data functions as the pages.

Lists are paginated: `{"count", "next", "previous", "results"}`, `?page=` from 1. Texts are
French unless `?lang=en`. Every error has the site's one shape (sonar.core.errors.api_error):
an unknown filter value or a bad page number is a 400, an unknown slug a 404.
"""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sonar.atlas import data
from sonar.atlas import finder as finder_data
from sonar.atlas.vocabulary import Task
from sonar.core import errors, pagecache
from sonar.quiz.api import in_requested_language

API_FILTERS = ("kind", "vision", "profile", "focus", "maturity")


def _json(payload, status=200):
    return JsonResponse(payload, status=status, json_dumps_params={"ensure_ascii": False})


def _bad_page(raw):
    # No int(): a number of 5,000 digits would raise (Python's limit on str to int).
    if raw.isascii() and raw.isdigit() and raw.strip("0"):
        # A real page number, past the end of the list: "pages start at 1" would not help.
        field = _("« %s » dépasse la dernière page de cette liste.") % raw
    else:
        field = _("« %s » n’est pas une page de cette liste : les pages commencent à 1.") % raw
    return errors.api_error(_("Numéro de page invalide."), 400, {"page": field})


def _page_url(request, number):
    params = [(k, v) for k, values in request.GET.lists() if k != "page" for v in values]
    params.append(("page", number))
    return data.absolute(request.path + "?" + urlencode(params))


def _paginated(request, page, results):
    return _json(
        {
            "count": page.paginator.count,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": (
                _page_url(request, page.previous_page_number()) if page.has_previous() else None
            ),
            "results": results,
        }
    )


def _page_of(request, items):
    """The requested page of a list; raises InvalidPage for a bad number."""
    return Paginator(items, data.PAGE_SIZE).page(data.page_number(request.GET))


@require_safe
@in_requested_language
@pagecache.for_anonymous
def resources(request):
    filters = data.Filters.from_query(request.GET, facets=API_FILTERS)
    if filters.unknown:
        return errors.api_error(
            filters.unknown_message(ignored=False), 400, data.unknown_fields(filters)
        )
    try:
        page = data.Catalogue(filters, data.page_number(request.GET)).page()
    except InvalidPage:
        return _bad_page(request.GET.get("page", ""))
    return _paginated(request, page, [data.resource_card(r) for r in page.object_list])


@require_safe
@in_requested_language
@pagecache.for_anonymous
def resource(request, slug):
    found = data.resource_or_none(slug)
    if found is None:
        return errors.api_error(_("Aucune ressource ne porte l’identifiant « %s ».") % slug, 404)
    return _json(data.resource_detail(found))


@require_safe
@in_requested_language
@pagecache.for_anonymous
def glossary(request):
    try:
        page = _page_of(request, data.terms())
    except InvalidPage:
        return _bad_page(request.GET.get("page", ""))
    return _paginated(request, page, [data.term_detail(t) for t in page.object_list])


@require_safe
@in_requested_language
@pagecache.for_anonymous
def term(request, slug):
    found = data.terms().filter(slug=slug).first()
    if found is None:
        return errors.api_error(
            _("Aucun terme du glossaire ne porte l’identifiant « %s ».") % slug, 404
        )
    return _json(data.term_detail(found))


@require_safe
@in_requested_language
@pagecache.for_anonymous
def cases(request):
    try:
        page = _page_of(request, data.cases())
    except InvalidPage:
        return _bad_page(request.GET.get("page", ""))
    return _paginated(request, page, [data.case_detail(c, full=False) for c in page.object_list])


@require_safe
@in_requested_language
@pagecache.for_anonymous
def case(request, slug):
    found = data.cases().filter(slug=slug).first()
    if found is None:
        return errors.api_error(_("Aucun cas ne porte l’identifiant « %s ».") % slug, 404)
    return _json(data.case_detail(found))


def fit_data(fit):
    """One fitting resource as the API gives it: its card, its facts, why it fits."""
    return {
        **data.resource_card(fit.resource),
        **{k: v for k, v in data.finder_facts(fit.resource).items() if k != "critics"},
        "reasons": [str(r) for r in fit.reasons],
        "cautions": [str(c) for c in fit.cautions],
    }


@require_safe
@in_requested_language
@pagecache.for_anonymous
def finder(request):
    """GET /api/v1/finder?task=…[&cost=1|2|3][&duration=jours|semaines|mois][&help=non]"""
    question = finder_data.Question.from_query(request.GET)
    problems = dict(question.problems)
    if not question.task and "task" not in problems:
        problems["task"] = _("Choisissez une tâche : %s.") % ", ".join(Task.values)
    if problems:
        return errors.api_error(_("Question incomplète ou non comprise."), 400, problems)
    answer = finder_data.find(question)
    return _json(
        {
            "task": {
                "key": question.task,
                "label": str(answer.task_label),
                "description": str(answer.task_description),
            },
            "constraints": {
                "cost": question.cost,
                "duration": question.duration or None,
                "outside_help": finder_data.WITHOUT_HELP if question.alone else None,
            },
            "count": len(answer.fits),
            "serving_task": answer.serving_task,
            "results": [fit_data(fit) for fit in answer.fits],
            "url": data.absolute(reverse("atlas:finder") + "?" + urlencode(question.pairs())),
        }
    )
