"""Loads the survival map's files (see schema.py) into the atlas models."""

from sonar.atlas.models import Case, Resource, SynonymGroup, Term, keys_field_value
from sonar.atlas.schema import (
    CaseFile,
    GlossaryFile,
    ResourceFile,
    SynonymsFile,
    editorial_problems,
)
from sonar.core.content import ContentKind, i18n_values
from sonar.core.opendata import Dataset, i18n_columns


def apply_resource(doc, writer):
    writer.upsert(
        Resource,
        {"slug": doc.slug},
        {
            "kind": doc.kind,
            **i18n_values("title", doc.title),
            **i18n_values("summary", doc.summary),
            **i18n_values("description", doc.description),
            **i18n_values("when_to_use", doc.when_to_use),
            **i18n_values("when_not_to_use", doc.when_not_to_use),
            "how_to_start_fr": doc.how_to_start.fr,
            "how_to_start_en": doc.how_to_start.en,
            **i18n_values("controversies", doc.controversies),
            "visions": keys_field_value(doc.visions),
            "profiles": keys_field_value(doc.profiles),
            "focus": doc.focus,
            "maturity": doc.maturity,
            "combines_with": doc.combines_with,
            "in_tension_with": doc.in_tension_with,
            "named_in_journal": doc.named_in_journal,
            "sources": _sources(doc.sources),
            "critics": doc.critics or [],
            "tasks": keys_field_value(doc.tasks or []),
            "cost": doc.cost,
            "duration": doc.duration or "",
            "group_size": doc.group_size or "",
            "political_sensitivity": doc.political_sensitivity or "",
            "outside_help": doc.outside_help or "",
        },
    )


def apply_glossary(doc, writer):
    resources = dict(Resource.objects.values_list("slug", "pk"))
    for term in doc.terms:
        writer.upsert(
            Term,
            {"slug": term.slug},
            {
                **i18n_values("term", term.term),
                **i18n_values("definition", term.definition),
                "origin": term.origin,
                **i18n_values("note", term.note),
                "resource_id": resources.get(term.resource) if term.resource else None,
                "sources": _sources(term.sources),
            },
        )


def apply_case(doc, writer):
    case = writer.upsert(
        Case,
        {"slug": doc.slug},
        {
            **i18n_values("title", doc.title),
            "place": doc.place,
            "country": doc.country,
            "period_start": doc.start,
            "period_end": doc.end,
            "collectivite_type": doc.collectivite.type if doc.collectivite else "",
            "population": (doc.collectivite.population or "") if doc.collectivite else "",
            "themes": keys_field_value(doc.themes or []),
            **i18n_values("summary", doc.summary),
            **i18n_values("description", doc.description),
            **i18n_values("budget", doc.budget),
            **i18n_values("results", doc.results),
            **i18n_values("did_not_work", doc.did_not_work),
            "resource_slugs": doc.resources,
            "named_in_journal": doc.named_in_journal,
            "sources": _sources(doc.sources),
        },
    )
    # The links follow the case's kept text: an edit made in Sonar is not overwritten.
    case.resources.set(Resource.objects.filter(slug__in=case.resource_slugs))


def apply_synonyms(doc, writer):
    for words in doc.groups:
        cleaned = [w.strip().lower() for w in words if w.strip()]
        if len(cleaned) > 1:
            writer.upsert(SynonymGroup, {"key": cleaned[0]}, {"words": cleaned})


def _sources(sources):
    """Sources as stored: `author` only when the file gives one."""
    return [
        {
            "title": s.title,
            "publisher": s.publisher,
            **({"author": s.author} if s.author else {}),
            "year": s.year,
            "url": str(s.url),
        }
        for s in sources
    ]


def check_all(documents):
    """Every slug a file names is defined by a resource file; no slug is defined twice."""
    problems, slugs = [], {}
    for _kind, path, doc in documents:
        if isinstance(doc, ResourceFile):
            if doc.slug in slugs:
                problems.append((path, ("slug",), f"« {doc.slug} » est déjà défini"))
            slugs[doc.slug] = path
    for _kind, path, doc in documents:
        if isinstance(doc, ResourceFile):
            for field in ("combines_with", "in_tension_with"):
                for i, slug in enumerate(getattr(doc, field)):
                    if slug not in slugs:
                        problems.append((path, (field, i), f"ressource inconnue « {slug} »"))
        elif isinstance(doc, CaseFile):
            for i, slug in enumerate(doc.resources):
                if slug not in slugs:
                    problems.append((path, ("resources", i), f"ressource inconnue « {slug} »"))
        elif isinstance(doc, GlossaryFile):
            for i, term in enumerate(doc.terms):
                if term.resource and term.resource not in slugs:
                    problems.append(
                        (path, ("terms", i, "resource"), f"ressource inconnue « {term.resource} »")
                    )
    return problems


# Resources first: terms and cases point to them.
KINDS = [
    ContentKind(
        pattern="atlas/resources/*.yaml",
        schema=ResourceFile,
        apply=apply_resource,
        editorial=editorial_problems,
    ),
    ContentKind(
        pattern="atlas/glossary.yaml",
        schema=GlossaryFile,
        apply=apply_glossary,
        editorial=editorial_problems,
    ),
    ContentKind(
        pattern="atlas/cases/*.yaml",
        schema=CaseFile,
        apply=apply_case,
        editorial=editorial_problems,
    ),
    ContentKind(pattern="atlas/synonyms.yaml", schema=SynonymsFile, apply=apply_synonyms),
]


# Open data (sonar export): the survival map, one dataset per kind of content.
EXPORTS = [
    Dataset(
        "resources",
        "Ressources de la carte de survie (méthodes, concepts, outils, approches, courants)",
        Resource,
        {
            "slug": "slug",
            "kind": "kind",
            **i18n_columns(
                "title",
                "summary",
                "description",
                "when_to_use",
                "when_not_to_use",
                "how_to_start",
                "controversies",
            ),
            "visions": "visions",
            "profiles": "profiles",
            "focus": "focus",
            "maturity": "maturity",
            "combines_with": "combines_with",
            "in_tension_with": "in_tension_with",
            "named_in_journal": "named_in_journal",
            "sources": "sources",
            "critics": "critics",
            "tasks": "tasks",
            "cost": "cost",
            "duration": "duration",
            "group_size": "group_size",
            "political_sensitivity": "political_sensitivity",
            "outside_help": "outside_help",
        },
        order_by=("slug",),
        key_lists=("visions", "profiles", "tasks"),
    ),
    Dataset(
        "glossary",
        "Glossaire",
        Term,
        {
            "slug": "slug",
            **i18n_columns("term", "definition", "note"),
            "origin": "origin",
            "resource": "resource__slug",
            "sources": "sources",
        },
        order_by=("slug",),
    ),
    Dataset(
        "cases",
        "Cas réels d’innovation publique",
        Case,
        {
            "slug": "slug",
            **i18n_columns("title", "summary", "description", "results", "did_not_work", "budget"),
            "place": "place",
            "country": "country",
            "period_start": "period_start",
            "period_end": "period_end",
            "collectivite_type": "collectivite_type",
            "population": "population",
            "themes": "themes",
            "resources": "resource_slugs",
            "named_in_journal": "named_in_journal",
            "sources": "sources",
        },
        order_by=("slug",),
        key_lists=("themes",),
    ),
    Dataset(
        "synonyms",
        "Synonymes utilisés par la recherche",
        SynonymGroup,
        {"key": "key", "words": "words"},
        order_by=("key",),
    ),
]
