"""Search across the atlas: resources, glossary terms and cases, in French and English.

Public interface (the catalogue, the API and the search page use only these):

- `resource_ids(query, language)` -> the ids of the matching resources, best first.
- `search(query, language, limit=20)` -> `Results`: the best `limit` resources, terms and cases,
  each a ranked list of model instances, with the total count of each kind.
- `rebuild()` fills the index again from the database (the index otherwise follows every save).

How words match (accents, stems, prefixes, synonyms, typos) is stated in query.py; how results
rank (title, then summary, then body) in backends.py. SQLite and PostgreSQL give the same results
for the same content; the backend follows the database vendor.
"""

from dataclasses import dataclass, field

from sonar.atlas.models import Case, Resource, Term
from sonar.atlas.search import backends, index, text
from sonar.atlas.search.query import parse


@dataclass
class Results:
    query: str = ""
    language: str = "fr"
    resources: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    cases: list = field(default_factory=list)
    resource_count: int = 0
    term_count: int = 0
    case_count: int = 0
    corrections: dict = field(default_factory=dict)
    parsed: object = None

    @property
    def total(self):
        return self.resource_count + self.term_count + self.case_count

    def highlight(self, value):
        """`value` escaped, the words this search matched wrapped in <mark>."""
        stems = self.parsed.stems if self.parsed else set()
        prefixes = self.parsed.prefixes if self.parsed else set()
        return text.highlight(value, stems, prefixes, self.language)


# A result shows a title, a kind and a summary: the long texts stay in the database.
_LONG_RESOURCE_FIELDS = [
    f"{name}_{language}"
    for name in ("description", "when_to_use", "when_not_to_use", "how_to_start", "controversies")
    for language in text.LANGUAGES
] + ["combines_with", "in_tension_with", "sources"]


def _parse(query, language):
    backend = backends.current()
    return backend, parse(query, language, backend)


def resource_ids(query, language="fr"):
    """Ids of the resources matching `query`, best first (empty for an empty query)."""
    backend, parsed = _parse(query, language)
    if not parsed:
        return []
    return [object_id for _kind, object_id, _total in backend.hits(parsed, kind="resource")]


def search(query, language="fr", limit=20):
    """The best matches of each kind and how many there are in all."""
    language = text.language_code(language)
    backend, parsed = _parse(query, language)
    results = Results(query=text.cut(query).strip(), language=language, parsed=parsed)
    if not parsed:
        return results
    results.corrections = parsed.corrections
    ranked = {"resource": [], "term": [], "case": []}
    for kind, object_id, total in backend.hits(parsed, limit=limit):
        ranked[kind].append(object_id)
        setattr(results, f"{kind}_count", total)
    for kind, objects, name in (
        ("resource", Resource.objects.defer(*_LONG_RESOURCE_FIELDS), "resources"),
        ("term", Term.objects.all(), "terms"),
        ("case", Case.objects.all(), "cases"),
    ):
        found = objects.in_bulk(ranked[kind])
        setattr(results, name, [found[i] for i in ranked[kind] if i in found])
    return results


def rebuild():
    index.rebuild()
