"""The atlas's JSON API: resources, glossary, cases, from the same data functions as the pages.

Lists are paginated: `{"count", "next", "previous", "results"}`, `?page=` from 1. Texts are
French unless `?lang=en`. Every error has the site's one shape (sonar.core.errors.api_error):
an unknown filter value or a bad page number is a 400, an unknown slug a 404.
"""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sonar.atlas import data
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
@pagecache.kept(sessions=True)
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
@pagecache.kept(sessions=True)
def resource(request, slug):
    found = data.resource_or_none(slug)
    if found is None:
        return errors.api_error(_("Aucune ressource ne porte l’identifiant « %s ».") % slug, 404)
    return _json(data.resource_detail(found))


@require_safe
@in_requested_language
@pagecache.kept(sessions=True)
def glossary(request):
    try:
        page = _page_of(request, data.terms())
    except InvalidPage:
        return _bad_page(request.GET.get("page", ""))
    return _paginated(request, page, [data.term_detail(t) for t in page.object_list])


@require_safe
@in_requested_language
@pagecache.kept(sessions=True)
def term(request, slug):
    found = data.terms().filter(slug=slug).first()
    if found is None:
        return errors.api_error(
            _("Aucun terme du glossaire ne porte l’identifiant « %s ».") % slug, 404
        )
    return _json(data.term_detail(found))


@require_safe
@in_requested_language
@pagecache.kept(sessions=True)
def cases(request):
    try:
        page = _page_of(request, data.cases())
    except InvalidPage:
        return _bad_page(request.GET.get("page", ""))
    return _paginated(request, page, [data.case_detail(c, full=False) for c in page.object_list])


@require_safe
@in_requested_language
@pagecache.kept(sessions=True)
def case(request, slug):
    found = data.cases().filter(slug=slug).first()
    if found is None:
        return errors.api_error(_("Aucun cas ne porte l’identifiant « %s ».") % slug, 404)
    return _json(data.case_detail(found))
