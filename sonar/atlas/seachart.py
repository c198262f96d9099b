"""The sea chart of /carte/: the resources of the database, laid out by seachart_layout and
drawn once per filters, selection, language and content, then kept in the cache.

This module is the Django side: it reads the filters, turns resources into the layout's plain
`Point`s with the reader's words, renders the SVG and keeps it under a key that changes whenever
a resource is edited. The geometry itself, and the rules it guarantees, are in
sonar/atlas/seachart_layout.py. A node takes the colour and the shape of its first vision, so
colour is never the only cue.
"""

import hashlib
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count, Max, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from sonar.atlas import seachart_layout as layout
from sonar.atlas.data import shown
from sonar.atlas.models import BAND_LIMIT, FACETS, Focus, Kind, Maturity, Resource, Vision
from sonar.core.collation import french_key

IGNORED_SHOWN = 20
CACHE_SECONDS = 60 * 60 * 24

# One shape per vision, in the legend's order.
SHAPES = {
    Vision.ENTREPRISE: "square",
    Vision.TECHNOLOGIE: "diamond",
    Vision.DEMOCRATIE: "circle",
    Vision.SCIENCE: "triangle",
    Vision.ART: "star",
}
# The catalogue's bands of each axis, as the layout groups crowded regions by them.
AXES = layout.Axes(limit=BAND_LIMIT, focus=tuple(Focus.values), maturity=tuple(Maturity.values))


# Filters -----------------------------------------------------------------------------------


def read_filters(params):
    """The facets chosen in a query string, and what was not understood.

    Returns ({facet: [values…]}, [ignored "name=value"…]). Values are kept in the order of the
    facet's choices, without repeats, so that equal filters share one cache entry.
    """
    selected, ignored = {}, []
    for name in params:
        if name in FACETS:
            values = params.getlist(name)
            known = FACETS[name].values
            ignored += [f"{name}={shown(v)}" for v in values if v not in known]
            chosen = [v for v in known if v in values]
            if chosen:
                selected[name] = chosen
        elif name != "selection":
            ignored.append(shown(name))
    # A crafted link can carry a thousand unknown parameters: the notice names the first ones.
    if len(ignored) > IGNORED_SHOWN:
        ignored = [*ignored[:IGNORED_SHOWN], "…"]
    return {facet: selected[facet] for facet in FACETS if facet in selected}, ignored


def filter_query(filters, **extra):
    pairs = [(facet, value) for facet, values in filters.items() for value in values]
    pairs += [(k, v) for k, v in extra.items() if v]
    return urlencode(pairs)


# From resources to the layout's plain data ------------------------------------------------


def count_text(n):
    return number_format(n, force_grouping=True)


def group_name(text, n, focus, maturity):
    return ngettext(
        "%(count)s ressource regroupée, centre d’intérêt : %(focus)s, maturité : "
        "%(maturity)s ; voir la liste",
        "%(count)s ressources regroupées, centre d’intérêt : %(focus)s, maturité : "
        "%(maturity)s ; voir leur liste",
        n,
    ) % {"count": text, "focus": Focus(focus).label, "maturity": Maturity(maturity).label}


def words():
    """The chart's words in the active language."""
    return layout.Words(
        top=_("émergent"),
        bottom=_("ancré dans les pratiques"),
        left=_("centré sur la solution"),
        right=_("centré sur les conditions culturelles du changement"),
        zone=_("pluridisciplinarité"),
        count=count_text,
        unit=lambda n: ngettext("ressource", "ressources", n),
        group_name=group_name,
        group_hover=lambda text: _("Voir ces %(count)s ressources") % {"count": text},
    )


def points(resources, href):
    """The layout's points for these resources: each takes the shape of its first vision, and
    its accessible name says its title, its kind and its visions."""
    vision_labels = {v.value: str(v.label) for v in Vision}
    kind_labels = {k.value: str(k.label) for k in Kind}
    found = []
    for resource in resources:
        visions = resource.vision_keys or [Vision.DEMOCRATIE.value]
        vision = visions[0] if visions[0] in SHAPES else Vision.DEMOCRATIE.value
        vision_names = ", ".join(vision_labels[v] for v in visions if v in vision_labels)
        kind = kind_labels.get(resource.kind, "")
        name = f"{resource.title}, {kind}" + (
            ", " + _("visions : %(visions)s") % {"visions": vision_names} if vision_names else ""
        )
        found.append(
            layout.Point(
                slug=resource.slug,
                title=resource.title,
                name=name,
                vision=vision,
                shape=SHAPES[vision],
                href=href(resource.slug),
                focus=resource.focus,
                maturity=resource.maturity,
            )
        )
    return found


def lay_out(resources, selection, related, g, href, region_href):
    """One variant of the chart for these resources (already filtered, in title order).

    `href(slug)` is a node's link, `region_href(focus, maturity)` a numbered circle's."""
    return layout.lay_out(
        points(resources, href), selection, related, g, AXES, words(), region_href
    )


# The chart a page shows --------------------------------------------------------------------


def content_stamp():
    """A fingerprint of every resource's revision, in one query: any edit through
    `save_revision`, any addition or removal changes it."""
    stamp = Resource.objects.order_by().aggregate(
        latest=Max("revision"), count=Count("pk"), total=Sum("revision")
    )
    return f"{stamp['latest'] or 0}-{stamp['count']}-{stamp['total'] or 0}"


def _code_version():
    """A digest of the layout code and its template: a deployment that changes how the chart is
    drawn never serves a drawing cached by the previous version from a shared cache."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(Path(layout.__file__).read_bytes())
    digest.update((Path(__file__).parent / "templates/atlas/_seachart.html").read_bytes())
    return digest.hexdigest()[:12]


CODE_VERSION = _code_version()


def cache_key(filters, selection):
    wanted = repr((sorted(filters.items()), selection)).encode()
    digest = hashlib.sha256(wanted).hexdigest()[:24]
    return f"atlas:seachart:{CODE_VERSION}:{get_language()}:{content_stamp()}:{digest}"


def build(filters, selection):
    """The chart's data for these filters and this selection (an unknown or filtered-out
    selection is ignored): both variants, the selection's summary and its typed links."""
    # What a node needs; the selection's summary and links are read for it alone.
    resources = list(
        Resource.objects.filtered(**filters).only(
            "slug", "kind", "title_fr", "title_en", "visions", "focus", "maturity"
        )
    )
    resources.sort(key=lambda r: (french_key(r.title), r.slug))
    chosen = next((r for r in resources if r.slug == selection), None)
    base = reverse("atlas:map")

    def href(slug):
        return f"{base}?{filter_query(filters, selection=slug)}#carte"

    drawn = {r.slug for r in resources}

    def related_link(resource):
        """A related resource the filters hide is shown on the whole chart instead."""
        if resource.slug in drawn:
            return resource.title, href(resource.slug), False
        return resource.title, f"{base}?{filter_query({}, selection=resource.slug)}#carte", True

    related, panel = {}, None
    if chosen:
        links = chosen.related()
        related = {r.slug: "combines" for r in links["combines"]}
        related.update({r.slug: "tension" for r in links["tension"]})
        panel = {
            "slug": chosen.slug,
            "title": chosen.title,
            "kind": str(Kind(chosen.kind).label) if chosen.kind in Kind.values else "",
            "visions": [
                (v, str(Vision(v).label)) for v in chosen.vision_keys if v in Vision.values
            ],
            "summary": chosen.summary,
            "url": reverse("atlas:resource", args=[chosen.slug]),
            "combines": [related_link(r) for r in links["combines"]],
            "tension": [related_link(r) for r in links["tension"]],
        }
    catalogue = reverse("atlas:catalogue")

    def region_href(focus, maturity):
        """The catalogue filtered like the chart and to one region: it lists the circle's
        resources, and those of the region drawn on their own (the selection, its links)."""
        narrowed = {**filters, "focus": [focus], "maturity": [maturity]}
        return f"{catalogue}?{filter_query({f: narrowed[f] for f in FACETS if f in narrowed})}"

    selection = chosen.slug if chosen else ""
    variants = [
        lay_out(resources, selection, related, g, href, region_href) for g in layout.GEOMETRIES
    ]
    return {
        "count": len(resources),
        "grouped": any(v.groups for v in variants),
        "total": number_format(len(resources), force_grouping=True),
        "list_url": catalogue + (f"?{filter_query(filters)}" if filters else ""),
        "variants": variants,
        "panel": panel,
        "selection": selection,
        "query": filter_query(filters),
    }


def chart(filters, selection):
    """The chart's SVG and panel, from the cache when the same filters, selection, language
    and content were laid out before."""
    key = cache_key(filters, selection)
    data = cache.get(key)
    if data is None:
        data = build(filters, selection)
        # The SVG itself is kept rather than the layout: drawing hundreds of nodes twice is
        # most of the page's cost.
        data["svg"] = render_to_string("atlas/_seachart.html", {"chart": data})
        # Each drawing that groups says so above the chart, shown with that drawing.
        data["groupings"] = [
            {"name": v.geometry.name, "grouped": v.grouped, "all": not v.nodes}
            for v in data["variants"]
            if v.groups
        ]
        del data["variants"]
        cache.set(key, data, CACHE_SECONDS)
    return data


def legend():
    """The five visions with their shape, in the journal's order."""
    return [
        {"key": vision.value, "label": vision.label, "shape": SHAPES[vision],
         "mark": layout.mark_path(SHAPES[vision], 10, 10, 6)}
        for vision in Vision
    ]  # fmt: skip
