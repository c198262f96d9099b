"""Search across the atlas: resources, glossary terms and cases.

Public interface (the catalogue and the API use only these two):

- `resource_ids(query, language)` -> ranked list of Resource ids matching `query`.
- `search(query, language, limit=20)` -> `Results` grouped by kind, with total counts.

This first version is a plain case-insensitive substring match; the full-text backends replace it.
"""

from dataclasses import dataclass, field

from django.db.models import Q

MAX_QUERY_CHARS = 200


@dataclass
class Results:
    query: str = ""
    resources: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    resource_count: int = 0
    term_count: int = 0
    case_count: int = 0

    @property
    def total(self):
        return self.resource_count + self.term_count + self.case_count


def _clean(query):
    return " ".join((query or "")[:MAX_QUERY_CHARS].split())


def resource_ids(query, language="fr"):
    from sonar.atlas.models import Resource

    q = _clean(query)
    if not q:
        return []
    lang = "en" if language == "en" else "fr"
    cond = Q(**{f"title_{lang}__icontains": q}) | Q(**{f"summary_{lang}__icontains": q})
    return list(Resource.objects.filter(cond).values_list("pk", flat=True))


def search(query, language="fr", limit=20):
    from sonar.atlas.models import Case, Resource, Term

    q = _clean(query)
    results = Results(query=q)
    if not q:
        return results
    lang = "en" if language == "en" else "fr"
    ids = resource_ids(q, lang)
    results.resource_count = len(ids)
    by_id = Resource.objects.in_bulk(ids[:limit])
    results.resources = [by_id[i] for i in ids[:limit] if i in by_id]
    terms = Term.objects.filter(Q(**{f"term_{lang}__icontains": q}))
    results.term_count = terms.count()
    results.terms = list(terms[:limit])
    cases = Case.objects.filter(Q(**{f"title_{lang}__icontains": q}))
    results.case_count = cases.count()
    results.cases = list(cases[:limit])
    return results
