"""The search page: one box, results grouped by resources, glossary terms and cases.

Works without JavaScript (a GET form); search.js only refreshes the results as people type.
An empty query, or one that finds nothing, gets suggestions instead of an error page.
GET never writes.
"""

from django.shortcuts import render
from django.utils.text import Truncator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from sonar.atlas import search as engine
from sonar.atlas.models import Resource
from sonar.core import pagecache

PAGE_LIMIT = 50
SUMMARY_WORDS = 40  # a glossary definition can run long: the page shows its start

# Entry points the journal names and newcomers ask about first; missing ones are skipped.
SUGGESTED = (
    "design-thinking",
    "budget-participatif",
    "hackathon",
    "open-data",
    "nudge",
    "living-lab",
    "tiers-lieux",
    "urbanisme-temporaire",
)


def suggestions():
    """A few well-known resources, in the order above (journal resources if none exist)."""
    found = Resource.objects.in_bulk(SUGGESTED, field_name="slug")
    chosen = [found[s] for s in SUGGESTED if s in found]
    return chosen or list(Resource.objects.filter(named_in_journal=True)[:8])


def _rows(results, objects, kind_label, title_attr="title", summary_attr="summary"):
    return [
        {
            "url": obj.get_absolute_url(),
            "title": results.highlight(getattr(obj, title_attr)),
            "summary": results.highlight(
                Truncator(getattr(obj, summary_attr)).words(SUMMARY_WORDS)
            ),
            "kind": kind_label(obj),
        }
        for obj in objects
    ]


def _case_label(case):
    details = ", ".join(str(part) for part in (case.place, case.period_label) if part)
    return pgettext("kind of search result", "cas") + (f" · {details}" if details else "")


@require_safe
@pagecache.kept(sessions=True)
def search_page(request):
    query = engine.text.cut(request.GET.get("q", "")).strip()
    results = engine.search(query, get_language(), limit=PAGE_LIMIT)
    groups = [
        {
            "id": "ressources",
            "title": _("Ressources"),
            "count": results.resource_count,
            "rows": _rows(results, results.resources, lambda r: r.get_kind_display()),
        },
        {
            "id": "glossaire",
            "title": _("Termes du glossaire"),
            "count": results.term_count,
            "rows": _rows(
                results,
                results.terms,
                lambda t: _("terme du glossaire"),
                title_attr="term",
                summary_attr="definition",
            ),
        },
        {
            "id": "cas",
            "title": _("Cas"),
            "count": results.case_count,
            "rows": _rows(results, results.cases, _case_label),
        },
    ]
    return render(
        request,
        "atlas/search.html",
        {
            "query": query,
            "results": results,
            "groups": [g for g in groups if g["count"]],
            "corrections": sorted({w for words in results.corrections.values() for w in words}),
            "suggestions": suggestions() if not results.total else [],
            "limit": PAGE_LIMIT,
        },
    )
