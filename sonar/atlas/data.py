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

from sonar.atlas import search
from sonar.atlas.models import CASE_FACETS, FACETS, Case, Profile, Resource, Term, Vision
from sonar.core import links
from sonar.core.collation import french_key

PAGE_SIZE = 30
MAX_QUERY_CHARS = 200

# Fields a result card never shows: left out of the catalogue's query to keep it light.
CARD_DEFERRED = (
    "description_fr", "description_en", "when_to_use_fr", "when_to_use_en",
    "when_not_to_use_fr", "when_not_to_use_en", "how_to_start_fr", "how_to_start_en",
    "controversies_fr", "controversies_en", "sources", "combines_with", "in_tension_with",
    "critics",
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
    def from_query(cls, params, facets=None, vocabulary=FACETS, with_query=True):
        """Read repeated parameters (?vision=art&vision=science); a repeated value counts once.

        `vocabulary` maps each facet to its choices (the catalogue's by default); `facets` names
        the ones to read, all by default.
        """
        selected, unknown = {}, {}
        for facet in facets or tuple(vocabulary):
            known = vocabulary[facet].values
            values = list(dict.fromkeys(v for v in params.getlist(facet) if v != ""))
            selected[facet] = [v for v in known if v in values]
            wrong = list(dict.fromkeys(shown(v) for v in values if v not in known))
            if wrong:
                unknown[facet] = wrong
        query = " ".join(params.get("q", "")[:MAX_QUERY_CHARS].split()) if with_query else ""
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


def unknown_fields(filters, vocabulary=FACETS):
    return {
        facet: _("Valeur inconnue : %(values)s. Valeurs possibles : %(known)s.")
        % {"values": ", ".join(values), "known": ", ".join(vocabulary[facet].values)}
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


def facet_groups(base, filters, vocabulary, legends, alphabetical=()):
    """Each facet with its values, their labels and counts, ready for a filter form.

    Counts follow the faceted-search rule: the count beside a value is the number of results
    you would get by ticking it, so each facet is counted with its own selection set aside and
    every other facet applied. Facets without a selection share one aggregate query. The values
    of the facets named in `alphabetical` are sorted by label as a reader of the language
    expects (accents and case set aside); the others keep their own order (a scale).
    """
    counts_all = base.filtered(**filters.selected).facet_counts()
    facets = []
    for name, choices in vocabulary.items():
        chosen = filters.selected.get(name, [])
        if chosen:
            counts = base.filtered(**filters.without(name).selected).facet_counts()
        else:
            counts = counts_all
        values = [
            FacetValue(value, str(label), counts[name][value], value in chosen)
            for value, label in choices.choices
        ]
        if name in alphabetical:
            values.sort(key=lambda v: french_key(v.label))
        facets.append(Facet(name=name, legend=legends[name], values=values))
    return facets


class Catalogue:
    """A page of the catalogue: results, their count and the facets with their counts."""

    def __init__(self, filters, page=1, page_size=PAGE_SIZE):
        self.filters = filters
        self.ranked_ids = None
        base = Resource.objects.all()
        if filters.query:
            self.ranked_ids = search.resource_ids(filters.query, language())
            base = base.filter(pk__in=self.ranked_ids)
        self.base = base
        self.queryset = base.filtered(**filters.selected)
        self._page_number = page
        self.page_size = page_size

    def facets(self):
        return facet_groups(self.base, self.filters, FACETS, FACET_LEGENDS)

    def page(self):
        """The requested page; raises EmptyPage or PageNotAnInteger for a bad number.

        Without a query, the results are in French alphabetical order of their title in the
        page's language, on either database; with one, in the search's order."""
        cards = self.queryset.defer(*CARD_DEFERRED)
        if self.ranked_ids is None:
            title = f"title_{language()}"
            rows = self.queryset.values_list("pk", title, "title_fr")
            ids = [pk for pk, *_ in sorted(rows, key=lambda r: french_key(r[1] or r[2]))]
        else:
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
        **finder_facts(resource),
    }


def finder_facts(resource):
    """What the method finder knows of a resource, as keys; None (or []) where not given yet."""
    return {
        "critics": resource.critics,
        "tasks": resource.task_keys,
        "cost": resource.cost,
        "duration": resource.duration or None,
        "group_size": resource.group_size or None,
        "political_sensitivity": resource.political_sensitivity or None,
        "outside_help": resource.outside_help or None,
    }


def finder_labels(resource):
    """The same facts as a page shows them: (label of the fact, its value's label), known ones."""
    facts = [
        (_("Coût"), resource.get_cost_display() if resource.cost else ""),
        (_("Durée avant un premier résultat"), resource.get_duration_display()),
        (_("Taille du groupe"), resource.get_group_size_display()),
        (_("Sensibilité politique"), resource.get_political_sensitivity_display()),
        (_("Aide extérieure"), resource.get_outside_help_display()),
    ]
    return [(name, str(value)) for name, value in facts if value]


def _link(obj):
    return {"slug": obj.slug, "title": obj.title, "url": absolute(obj.get_absolute_url())}


def term_detail(term):
    return {
        "slug": term.slug,
        "term": term.term,
        "definition": term.definition,
        "origin": term.origin,
        "note": term.note or None,
        "resource": _link(term.resource) if term.resource_id else None,
        "sources": term.sources,
        "url": absolute(term.get_absolute_url()),
    }


def terms():
    return Term.objects.select_related("resource").only(
        "slug", "term_fr", "term_en", "definition_fr", "definition_en", "origin", "note_fr",
        "note_en", "sources",
        "resource__slug", "resource__title_fr", "resource__title_en",
    )  # fmt: skip


def case_detail(case, full=True):
    data = {
        "slug": case.slug,
        "title": case.title,
        "place": case.place,
        "country": case.country,
        "period": {"start": case.period_start, "end": case.period_end},
        "collectivite": (
            {"type": case.collectivite_type, "population": case.population or None}
            if case.collectivite_type
            else None
        ),
        "themes": case.theme_keys,
        "summary": case.summary,
        "resources": [_link(r) for r in case.resources.all()],
        "sources": case.sources,
        "named_in_journal": case.named_in_journal,
        "url": absolute(case.get_absolute_url()),
    }
    if full:
        data["description"] = case.description
        # Empty while a case's file does not give them; `budget` only when public.
        data["budget"] = case.budget or None
        data["results"] = case.results or None
        data["did_not_work"] = case.did_not_work or None
    return data


def cases():
    return Case.objects.prefetch_related(
        Prefetch("resources", queryset=Resource.objects.only("slug", "title_fr", "title_en"))
    )


CASE_FACET_LEGENDS = {
    "type": gettext_lazy("Qui l’a mené"),
    "theme": gettext_lazy("Thème"),
    "period": gettext_lazy("Période"),
}
# A leading article is set aside when sorting titles: "La Transfo" goes under T, as in an index.
_LEADING_ARTICLE = re.compile(r"^(?:les |le |la |l'|the )")


def title_sort_key(title):
    """Titles in the order a reader expects: French alphabetical order (sonar/core/collation.py),
    with a leading article set aside first."""
    key = french_key(title)
    return (french_key(_LEADING_ARTICLE.sub("", key[0])), key)


class CaseList:
    """The cases list: the cases that meet the filters, sorted by title, and the facets."""

    def __init__(self, filters, resource=None):
        self.filters = filters
        self.base = cases()
        if resource is not None:
            self.base = self.base.filter(resources=resource)
        self.queryset = self.base.filtered(**filters.selected)

    def items(self):
        return sorted(self.queryset, key=lambda case: title_sort_key(case.title))

    def facets(self):
        return facet_groups(
            self.base, self.filters, CASE_FACETS, CASE_FACET_LEGENDS, alphabetical=("theme",)
        )
