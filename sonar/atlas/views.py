"""The catalogue, resource, glossary and case pages.

Thin views: the data comes from sonar.atlas.data, the same functions as the JSON API. Every
page works without JavaScript; filters are a plain GET form, so any filtered view is a link.
GET never writes.
"""

from itertools import groupby
from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sonar.atlas import data
from sonar.atlas.models import (
    CASE_FACETS,
    FACETS,
    Focus,
    Maturity,
    Profile,
    Resource,
    Term,
    Vision,
)
from sonar.atlas.templatetags.glossary import Linker, fold
from sonar.atlas.vocabulary import Task, Theme
from sonar.core import errors, pagecache
from sonar.core.collation import sort_french


def map_url(slug=None):
    """The sea chart's address (atlas:map), optionally with a resource selected on it."""
    try:
        url = reverse("atlas:map")
    except NoReverseMatch:
        # The chart's route is fixed at the catalogue's parent (/carte/) even before it exists.
        url = reverse("atlas:catalogue").rsplit("ressources/", 1)[0]
    return f"{url}?{urlencode({'selection': slug})}" if slug else url


def _query(pairs):
    return "?" + urlencode(pairs) if pairs else "?"


def _active_filters(filters, vocabulary=FACETS, legends=data.FACET_LEGENDS, kept=()):
    """Each active filter with a link that removes it (and only it); `kept`, pairs of the URL
    that no link removes."""
    kept = list(kept)
    active = []
    if filters.query:
        without_query = data.Filters(selected=filters.selected)
        active.append(
            {
                "facet": _("Recherche"),
                "label": f"« {filters.query} »",
                "remove_url": _query(without_query.pairs()),
            }
        )
    for facet, values in filters.active.items():
        names = dict(vocabulary[facet].choices)
        for value in values:
            active.append(
                {
                    "facet": legends[facet],
                    "label": names[value],
                    "remove_url": _query(filters.without(facet, value).pairs() + kept),
                }
            )
    return active


@require_safe
@pagecache.kept(sessions=True)
def catalogue(request):
    filters = data.Filters.from_query(request.GET)
    try:
        catalogue = data.Catalogue(filters, data.page_number(request.GET))
        page = catalogue.page()
    except InvalidPage:
        return errors.page(
            request, 404, _("Cette page de résultats n’existe pas. Revenez à la première page.")
        )
    pairs = filters.pairs()
    context = {
        "filters": filters,
        "facets": catalogue.facets(),
        "page_obj": page,
        "cards": [data.card(r) for r in page.object_list],
        "count": page.paginator.count,
        "active": _active_filters(filters),
        "clear_url": reverse("atlas:catalogue"),
        "page_query": urlencode(pairs),
        "unknown_notice": filters.unknown_message() if filters.unknown else "",
        "map_url": map_url(),
        "map_filtered_url": map_url() + (_query(pairs) if pairs else ""),
    }
    return render(request, "atlas/catalogue.html", context)


@require_safe
@pagecache.kept(sessions=True)
def resource(request, slug):
    found = data.resource_or_none(slug)
    if found is None:
        raise Http404
    detail = data.resource_detail(found)
    own_terms = set(found.terms.values_list("slug", flat=True))
    context = {
        "resource": found,
        "detail": detail,
        "glossary": Linker.for_page(skip=own_terms),
        "visions": data.labels(Vision, found.vision_keys),
        "profiles": data.labels(Profile, found.profile_keys),
        "tasks": data.labels(Task, found.task_keys),
        "facts": data.finder_labels(found),
        "focus_label": dict(Focus.choices)[detail["focus_band"]],
        "maturity_label": dict(Maturity.choices)[detail["maturity_band"]],
        "map_url": map_url(found.slug),
        "api_url": reverse("api-resource", args=[found.slug]),
    }
    return render(request, "atlas/resource.html", context)


def _initial(term):
    letter = fold(term.term[:1]).upper()
    return letter if letter.isalpha() else "#"


@require_safe
@pagecache.kept(sessions=True)
def glossary(request):
    terms = sort_french(data.terms(), key=lambda t: t.term)
    groups = [(letter, list(items)) for letter, items in groupby(terms, key=_initial)]
    present = {letter for letter, _items in groups}
    context = {
        "groups": groups,
        "letters": [(chr(c), chr(c) in present) for c in range(ord("A"), ord("Z") + 1)],
        "count": len(terms),
        "journal_count": sum(t.origin == Term.Origin.JOURNAL for t in terms),
    }
    return render(request, "atlas/glossary.html", context)


@require_safe
@pagecache.kept(sessions=True)
def term(request, slug):
    found = data.terms().filter(slug=slug).first()
    if found is None:
        raise Http404
    return render(
        request,
        "atlas/term.html",
        {"term": found, "api_url": reverse("api-term", args=[found.slug])},
    )


@require_safe
@pagecache.kept(sessions=True)
def cases(request):
    filters = data.Filters.from_query(request.GET, vocabulary=CASE_FACETS, with_query=False)
    wanted = request.GET.get("resource", "")
    chosen = Resource.objects.filter(slug=wanted).first() if wanted else None
    listing = data.CaseList(filters, resource=chosen)
    items = listing.items()
    notices = []
    if wanted and chosen is None:
        notices.append(
            _("Aucune ressource ne porte l’identifiant « %s » : le filtre est ignoré.")
            % data.shown(wanted)
        )
    if filters.unknown:
        notices.append(filters.unknown_message())
    kept = [("resource", chosen.slug)] if chosen else []
    active = _active_filters(filters, CASE_FACETS, data.CASE_FACET_LEGENDS, kept)
    if chosen:
        active.insert(
            0,
            {
                "facet": _("Méthode ou ressource utilisée"),
                "label": chosen.title,
                "remove_url": _query(filters.pairs()),
            },
        )
    context = {
        "cases": items,
        "count": len(items),
        "chosen": chosen,
        "facets": listing.facets(),
        "filters": filters,
        "active": active,
        "clear_url": reverse("atlas:cases"),
        "notices": notices,
        "resources_with_cases": sorted(
            Resource.objects.filter(cases__isnull=False)
            .distinct()
            .only("slug", "title_fr", "title_en"),
            key=lambda r: data.title_sort_key(r.title),
        ),
    }
    return render(request, "atlas/cases.html", context)


@require_safe
@pagecache.kept(sessions=True)
def case(request, slug):
    found = data.cases().filter(slug=slug).first()
    if found is None:
        raise Http404
    context = {
        "case": found,
        "themes": data.labels(Theme, found.theme_keys),
        "glossary": Linker.for_page(),
        "api_url": reverse("api-case", args=[found.slug]),
    }
    return render(request, "atlas/case.html", context)
