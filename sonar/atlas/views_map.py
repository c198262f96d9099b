"""The sea chart page: every resource on the two axes, filtered like the catalogue."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from sonar.atlas import seachart
from sonar.atlas.models import FACETS
from sonar.core import pagecache

LEGENDS = {
    "kind": _("Type"),
    "vision": _("Vision"),
    "profile": _("Profil du diagnostic"),
    "focus": _("Centre d’intérêt"),
    "maturity": _("Maturité"),
}


@require_safe
@pagecache.kept(sessions=True)
def sea_chart(request):
    """GET /carte/: the chart for the filters and the selection of the query string; unknown
    filters are ignored and named in a notice, an unknown selection is ignored."""
    filters, ignored = seachart.read_filters(request.GET)
    chart = seachart.chart(filters, request.GET.get("selection", "")[:100])
    facets = [
        {
            "name": name,
            "legend": LEGENDS[name],
            "options": [
                {"value": value, "label": label, "checked": value in filters.get(name, ())}
                for value, label in choices.choices
            ],
        }
        for name, choices in FACETS.items()
    ]
    return render(
        request,
        "atlas/map.html",
        {
            "chart": chart,
            "facets": facets,
            "filtered": bool(filters),
            "ignored": ignored,
            "visions": seachart.legend(),
        },
    )
