"""The atlas's data, built once for a page and its JSON twin.

Every catalogue page and API answer goes through these functions, so the HTML and the JSON can
never disagree on what a filter means, how results are ordered or what a resource says.
"""

import re
from dataclasses import dataclass, field

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Prefetch
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from sonar.atlas.models import FACETS, Case, Profile, Resource, Term, Vision
from sonar.core import links

PAGE_SIZE = 30
MAX_QUERY_CHARS = 200

# Fields a result card never shows: left out of the catalogue's query to keep it light.
CARD_DEFERRED = (
    "description_fr", "description_en", "when_to_use_fr", "when_to_use_en",
    "when_not_to_use_fr", "when_not_to_use_en", "how_to_start_fr", "how_to_start_en",
    "controversies_fr", "controversies_en", "sources", "combines_with", "in_tension_with",
)  # fmt: skip


def language():
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def absolute(url):
    return links.absolute(url)


# Filters ---------------------------------------------------------------------------------------


SHOWN_MAX_CHARS = 60
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def shown(value):
    """A value from the query string as a notice quotes it back: control characters (a NUL is
    invalid in HTML) replaced, and cut, so that a 10,000-character value does not fill the page."""
    value = _CONTROL_CHARACTERS.sub("\ufffd", value)
    return value if len(value) <= SHOWN_MAX_CHARS else value[: SHOWN_MAX_CHARS - 1] + "…"


@dataclass
class Filters:
    """What a visitor asked for: facet values (known ones only), the unknown ones, a query."""

    selected: dict = field(default_factory=dict)
    unknown: dict = field(default_factory=dict)
    query: str = ""

    @classmethod
    def from_query(cls, params, facets=tuple(FACETS)):
        """Read repeated parameters (?vision=art&vision=science); a repeated value counts once."""
        selected, unknown = {}, {}
        for facet in facets:
            known = FACETS[facet].values
            values = list(dict.fromkeys(v for v in params.getlist(facet) if v != ""))
            selected[facet] = [v for v in known if v in values]
            wrong = list(dict.fromkeys(shown(v) for v in values if v not in known))
            if wrong:
                unknown[facet] = wrong
        query = " ".join(params.get("q", "")[:MAX_QUERY_CHARS].split())
        return cls(selected=selected, unknown=unknown, query=query)

    @property
    def active(self):
        return {facet: values for facet, values in self.selected.items() if values}

    def without(self, facet, value=None):
        """The same filters less one facet (or one value of it)."""
        selected = {
            name: [v for v in values if not (name == facet and (value is None or v == value))]
            for name, values in self.selected.items()
        }
        return Filters(selected=selected, query=self.query)

    def pairs(self):
        """The filters as (name, value) pairs for a URL, in a stable order."""
        items = [(facet, value) for facet, values in self.selected.items() for value in values]
        if self.query:
            items.insert(0, ("q", self.query))
        return items

    def unknown_message(self, ignored=True):
        """A sentence for the notice or the 400 answer: which values were not understood. The
        pages ignore them and say so; the API refuses them, so it must not claim to ignore."""
        parts = [
            _("%(facet)s = %(values)s")
            % {"facet": facet, "values": ", ".join(_("« %s »") % value for value in values)}
            for facet, values in self.unknown.items()
        ]
        if not ignored:
            return _("Filtre inconnu : %s.") % ", ".join(parts)
        return _("Filtre inconnu, ignoré : %s.") % ", ".join(parts)


def unknown_fields(filters):
    return {
        facet: _("Valeur inconnue : %(values)s. Valeurs possibles : %(known)s.")
        % {"values": ", ".join(values), "known": ", ".join(FACETS[facet].values)}
        for facet, values in filters.unknown.items()
    }


# The catalogue ---------------------------------------------------------------------------------


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class Facet:
    name: str
    legend: str
    values: list


FACET_LEGENDS = {
    "kind": gettext_lazy("Type"),
    "vision": gettext_lazy("Vision"),
    "profile": gettext_lazy("Profil du diagnostic"),
    "focus": gettext_lazy("Centrage"),
    "maturity": gettext_lazy("Maturité"),
}


class Catalogue:
    """A page of the catalogue: results, their count and the facets with their counts.

    Counts follow the faceted-search rule: the count beside a value is the number of results
    you would get by ticking it, so each facet is counted with its own selection set aside and
    every other facet applied. Facets without a selection share one aggregate query.
    """

    def __init__(self, filters, page=1, page_size=PAGE_SIZE):
        self.filters = filters
        self.ranked_ids = None
        base = Resource.objects.all()
        if filters.query:
            from sonar.atlas import search

            self.ranked_ids = search.resource_ids(filters.query, language())
            base = base.filter(pk__in=self.ranked_ids)
        self.base = base
        self.queryset = base.filtered(**filters.selected)
        self._page_number = page
        self.page_size = page_size

    def facets(self):
        counts_all = self.queryset.facet_counts()
        facets = []
        for name, choices in FACETS.items():
            chosen = self.filters.selected.get(name, [])
            if chosen:
                counts = self.base.filtered(**self.filters.without(name).selected).facet_counts()
            else:
                counts = counts_all
            facets.append(
                Facet(
                    name=name,
                    legend=FACET_LEGENDS[name],
                    values=[
                        FacetValue(value, label, counts[name][value], value in chosen)
                        for value, label in choices.choices
                    ],
                )
            )
        return facets

    def page(self):
        """The requested page; raises EmptyPage or PageNotAnInteger for a bad number."""
        cards = self.queryset.defer(*CARD_DEFERRED)
        if self.ranked_ids is None:
            paginator = Paginator(cards, self.page_size)
            return paginator.page(self._page_number)
        rank = {pk: i for i, pk in enumerate(self.ranked_ids)}
        ids = sorted(self.queryset.values_list("pk", flat=True), key=rank.__getitem__)
        paginator = Paginator(ids, self.page_size)
        page = paginator.page(self._page_number)
        found = cards.in_bulk(page.object_list)
        page.object_list = [found[pk] for pk in page.object_list if pk in found]
        return page


def page_number(params):
    """The `page` parameter as a number; raises PageNotAnInteger if it is not one."""
    raw = params.get("page", "1") or "1"
    try:
        number = int(raw)
    except ValueError as exc:
        raise PageNotAnInteger(raw) from exc
    if number < 1:
        raise EmptyPage(raw)
    return number


# One resource, one term, one case ---------------------------------------------------------------


def labels(choices, keys):
    names = dict(choices.choices)
    return [{"key": key, "label": str(names.get(key, key))} for key in keys]


def card(resource):
    """A result card's context: the resource and its tags with their labels."""
    return {
        "resource": resource,
        "visions": labels(Vision, resource.vision_keys),
        "profiles": labels(Profile, resource.profile_keys),
    }


def resource_card(resource):
    """What a list shows of a resource, and what the API lists."""
    return {
        "slug": resource.slug,
        "title": resource.title,
        "kind": resource.kind,
        "summary": resource.summary,
        "visions": resource.vision_keys,
        "profiles": resource.profile_keys,
        "url": absolute(resource.get_absolute_url()),
    }


def resource_or_none(slug):
    return (
        Resource.objects.filter(slug=slug)
        .prefetch_related(
            Prefetch("cases", queryset=Case.objects.only("slug", "title_fr", "title_en"))
        )
        .first()
    )


def resource_detail(resource):
    """Everything a resource page shows, in the order of the page (CONTENT.md)."""
    related = resource.related()
    return {
        **resource_card(resource),
        "kind_label": resource.get_kind_display(),
        "description": resource.description,
        "when_to_use": resource.when_to_use,
        "when_not_to_use": resource.when_not_to_use,
        "how_to_start": resource.how_to_start,
        "controversies": resource.controversies,
        "focus": resource.focus,
        "maturity": resource.maturity,
        "focus_band": resource.focus_band,
        "maturity_band": resource.maturity_band,
        "combines_with": [_link(r) for r in related["combines"]],
        "in_tension_with": [_link(r) for r in related["tension"]],
        "cases": [_link(c) for c in resource.cases.all()],
        "sources": resource.sources,
        "named_in_journal": resource.named_in_journal,
    }


def _link(obj):
    return {"slug": obj.slug, "title": obj.title, "url": absolute(obj.get_absolute_url())}


def term_detail(term):
    return {
        "slug": term.slug,
        "term": term.term,
        "definition": term.definition,
        "origin": term.origin,
        "resource": _link(term.resource) if term.resource_id else None,
        "sources": term.sources,
        "url": absolute(term.get_absolute_url()),
    }


def terms():
    return Term.objects.select_related("resource").only(
        "slug", "term_fr", "term_en", "definition_fr", "definition_en", "origin", "sources",
        "resource__slug", "resource__title_fr", "resource__title_en",
    )  # fmt: skip


def case_detail(case, full=True):
    data = {
        "slug": case.slug,
        "title": case.title,
        "place": case.place,
        "country": case.country,
        "year": case.year,
        "summary": case.summary,
        "resources": [_link(r) for r in case.resources.all()],
        "sources": case.sources,
        "named_in_journal": case.named_in_journal,
        "url": absolute(case.get_absolute_url()),
    }
    if full:
        data["description"] = case.description
    return data


def cases():
    return Case.objects.prefetch_related(
        Prefetch("resources", queryset=Resource.objects.only("slug", "title_fr", "title_en"))
    )


# The quiz result's suggestions -------------------------------------------------------------------


@dataclass
class Suggestions:
    alike: list
    counterweights: list


ALIKE_COUNT = 5
COUNTERWEIGHT_COUNT = 3


def _distance(resource, others):
    return min(
        ((resource.focus - o.focus) ** 2 + (resource.maturity - o.maturity) ** 2 for o in others),
        default=0,
    )


def suggestions(profile_keys):
    """Resources that fit the winning profiles, and counterweights from the other profiles.

    Alike: resources suited to a winning profile, taken in turn from each winner (so a mixed
    profile sees each of its sides), journal-named ones first, then the most specific (fewest
    profiles), then by slug. Counterweights: resources suited to none of the winners, first
    those "en tension" with an alike one, then the farthest on the map from the alike group,
    then by slug. No randomness: the same profile always gets the same suggestions.
    """
    winners = [k for k in profile_keys if k in Profile.values]
    if not winners:
        return Suggestions([], [])
    pool = list(
        Resource.objects.defer(
            *(f for f in CARD_DEFERRED if f not in ("combines_with", "in_tension_with"))
        )
    )

    def specific_first(r):
        return (not r.named_in_journal, len(r.profile_keys), r.slug)

    queues = [sorted((r for r in pool if w in r.profile_keys), key=specific_first) for w in winners]
    alike, seen = [], set()
    while len(alike) < ALIKE_COUNT and any(queues):
        for queue in queues:
            while queue and queue[0].slug in seen:
                queue.pop(0)
            if queue and len(alike) < ALIKE_COUNT:
                chosen = queue.pop(0)
                alike.append(chosen)
                seen.add(chosen.slug)

    alike_slugs = {r.slug for r in alike}
    tension = set()
    for r in pool:
        if r.slug in alike_slugs:
            tension.update(r.in_tension_with)
        elif alike_slugs & set(r.in_tension_with):
            tension.add(r.slug)
    others = [r for r in pool if not set(r.profile_keys) & set(winners)]
    if not others:
        others = [r for r in pool if r.slug not in alike_slugs]
    others.sort(key=lambda r: (r.slug not in tension, -_distance(r, alike), r.slug))
    return Suggestions(alike, others[:COUNTERWEIGHT_COUNT])
