"""The atlas's JSON API: resources, glossary, cases, from the same data functions as the pages.

Lists come by pages (sonar.core.api.pages). Texts are French unless `?lang=en`. An unknown
filter value or a bad page number is a 400, an unknown slug a 404, in the API's one error shape.
"""

from typing import Annotated
from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.decorators import decorate_view
from pydantic import Field, WithJsonSchema

from sonar.atlas import data
from sonar.atlas import finder as finder_data
from sonar.atlas.models import FACETS
from sonar.atlas.vocabulary import Cost, Task
from sonar.core import pagecache
from sonar.core.api import NOT_FOUND, ApiError, Out, Schema, answers, pages

TAG = {"name": "atlas", "description": "La carte : ressources, glossaire, cas."}
router = Router(tags=[TAG["name"]])

API_FILTERS = ("kind", "vision", "profile", "focus", "maturity")


class Link(Out):
    slug: str
    title: str
    url: str


class Source(Out):
    title: str
    publisher: str | None = None
    author: str | None = None
    year: int | None = None
    url: str | None = None


class ResourceCard(Out):
    slug: str
    title: str
    kind: str
    summary: str
    visions: list[str]
    profiles: list[str]
    url: str


class Resource(ResourceCard):
    kind_label: str
    description: str
    when_to_use: str
    when_not_to_use: str
    how_to_start: list[str]
    controversies: str
    focus: int
    maturity: int
    focus_band: str
    maturity_band: str
    combines_with: list[Link]
    in_tension_with: list[Link]
    cases: list[Link]
    sources: list[Source]
    named_in_journal: bool
    critics: list[str] | None = Field(None, description="Qui fait les critiques citées.")
    tasks: list[str] = Field(default_factory=list, description="Les tâches qu’elle sert.")
    cost: int | None = Field(None, description="1 : €, 2 : €€, 3 : €€€.")
    duration: str | None = None
    group_size: str | None = None
    political_sensitivity: str | None = None
    outside_help: str | None = None


class Term(Out):
    slug: str
    term: str
    definition: str
    origin: str
    note: str | None = Field(None, description="Note de Sonar à côté d’une définition du journal.")
    resource: Link | None
    sources: list[Source]
    url: str


class Period(Out):
    start: int | None
    end: int | None = Field(description="Absente quand le cas se poursuit ou n’est pas connue.")


class Collectivite(Out):
    type: str
    population: str | None


class CaseSummary(Out):
    slug: str
    title: str
    place: str
    country: str
    period: Period
    collectivite: Collectivite | None
    themes: list[str]
    summary: str
    resources: list[Link]
    sources: list[Source]
    named_in_journal: bool
    url: str


class Case(CaseSummary):
    description: str
    budget: str | None
    results: str | None
    did_not_work: str | None


def _facet(name):
    # Read as text: an unknown value gets the catalogue's own French 400 (data.Filters).
    return Annotated[
        list[str],
        WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "string", "enum": list(FACETS[name].values)},
                "description": "Filtre ; répétable (des valeurs d’un même filtre s’ajoutent).",
            }
        ),
    ]


class ResourceFilters(Schema):
    kind: _facet("kind") = Field(default_factory=list)
    vision: _facet("vision") = Field(default_factory=list)
    profile: _facet("profile") = Field(default_factory=list)
    focus: _facet("focus") = Field(default_factory=list)
    maturity: _facet("maturity") = Field(default_factory=list)


GET = ["GET", "HEAD"]


@router.api_operation(
    GET,
    "/resources",
    url_name="api-resources",
    operation_id="resources",
    summary="Les ressources de la carte, filtrées, par pages",
    response=answers(pages.Page[ResourceCard]),
)
@decorate_view(pagecache.kept(sessions=True))
def resources(request, filters: Query[ResourceFilters], page: pages.PageNumber = "1"):
    chosen = data.Filters.from_query(MultiValueDict(filters.model_dump()), facets=API_FILTERS)
    if chosen.unknown:
        raise ApiError(chosen.unknown_message(ignored=False), 400, data.unknown_fields(chosen))
    try:
        found = data.Catalogue(chosen, pages.number(page)).page()
    except InvalidPage:
        raise pages.bad_page(page) from None
    return pages.envelope(request, found, [data.resource_card(r) for r in found.object_list])


@router.api_operation(
    GET,
    "/resources/{slug:slug}",
    url_name="api-resource",
    operation_id="resource",
    summary="Une ressource en entier",
    response=answers(Resource, NOT_FOUND),
)
@decorate_view(pagecache.kept(sessions=True))
def resource(request, slug: str):
    found = data.resource_or_none(slug)
    if found is None:
        raise ApiError(_("Aucune ressource ne porte l’identifiant « %s ».") % slug, 404)
    return data.resource_detail(found)


@router.api_operation(
    GET,
    "/glossary",
    url_name="api-glossary",
    operation_id="glossary",
    summary="Les termes du glossaire, par pages",
    response=answers(pages.Page[Term]),
)
@decorate_view(pagecache.kept(sessions=True))
def glossary(request, page: pages.PageNumber = "1"):
    found = pages.page_of(data.terms(), page, data.PAGE_SIZE)
    return pages.envelope(request, found, [data.term_detail(t) for t in found.object_list])


@router.api_operation(
    GET,
    "/glossary/{slug:slug}",
    url_name="api-term",
    operation_id="term",
    summary="Un terme du glossaire",
    response=answers(Term, NOT_FOUND),
)
@decorate_view(pagecache.kept(sessions=True))
def term(request, slug: str):
    found = data.terms().filter(slug=slug).first()
    if found is None:
        raise ApiError(_("Aucun terme du glossaire ne porte l’identifiant « %s ».") % slug, 404)
    return data.term_detail(found)


@router.api_operation(
    GET,
    "/cases",
    url_name="api-cases",
    operation_id="cases",
    summary="Les cas, par pages",
    response=answers(pages.Page[CaseSummary]),
)
@decorate_view(pagecache.kept(sessions=True))
def cases(request, page: pages.PageNumber = "1"):
    found = pages.page_of(data.cases(), page, data.PAGE_SIZE)
    results = [data.case_detail(c, full=False) for c in found.object_list]
    return pages.envelope(request, found, results)


@router.api_operation(
    GET,
    "/cases/{slug:slug}",
    url_name="api-case",
    operation_id="case",
    summary="Un cas en entier",
    response=answers(Case, NOT_FOUND),
)
@decorate_view(pagecache.kept(sessions=True))
def case(request, slug: str):
    found = data.cases().filter(slug=slug).first()
    if found is None:
        raise ApiError(_("Aucun cas ne porte l’identifiant « %s ».") % slug, 404)
    return data.case_detail(found)


class FinderTask(Out):
    key: str
    label: str
    description: str


class FinderConstraints(Out):
    cost: int | None
    duration: str | None
    outside_help: str | None


class Fit(ResourceCard):
    tasks: list[str]
    cost: int | None
    duration: str | None
    group_size: str | None
    political_sensitivity: str | None
    outside_help: str | None
    reasons: list[str]
    cautions: list[str]


class FinderAnswer(Out):
    task: FinderTask
    constraints: FinderConstraints
    count: int
    serving_task: int
    results: list[Fit]
    url: str


class FinderQuestion(Schema):
    # Read as text: an unknown value gets the finder's own French 400 (finder.Question).
    task: Annotated[str, WithJsonSchema({"type": "string", "enum": list(Task.values)})] = ""
    cost: Annotated[
        str, WithJsonSchema({"type": "string", "enum": [str(v) for v in Cost.values]})
    ] = ""
    duration: Annotated[
        str, WithJsonSchema({"type": "string", "enum": list(finder_data.DURATIONS)})
    ] = ""
    help: Annotated[str, WithJsonSchema({"type": "string", "enum": ["non"]})] = ""


def fit_data(fit):
    """One fitting resource as the API gives it: its card, its facts, why it fits."""
    return {
        **data.resource_card(fit.resource),
        **{k: v for k, v in data.finder_facts(fit.resource).items() if k != "critics"},
        "reasons": [str(r) for r in fit.reasons],
        "cautions": [str(c) for c in fit.cautions],
    }


@router.api_operation(
    GET,
    "/finder",
    url_name="api-finder",
    operation_id="finder",
    summary="Les approches qui conviennent à une tâche et à des contraintes",
    response=answers(FinderAnswer),
)
@decorate_view(pagecache.kept(sessions=True))
def finder(request, question: Query[FinderQuestion]):
    asked = finder_data.Question.from_query(
        MultiValueDict({k: [v] for k, v in question.model_dump().items() if v})
    )
    problems = dict(asked.problems)
    if not asked.task and "task" not in problems:
        problems["task"] = _("Choisissez une tâche : %s.") % ", ".join(Task.values)
    if problems:
        raise ApiError(_("Question incomplète ou non comprise."), 400, problems)
    answer = finder_data.find(asked)
    return {
        "task": {
            "key": asked.task,
            "label": str(answer.task_label),
            "description": str(answer.task_description),
        },
        "constraints": {
            "cost": asked.cost,
            "duration": asked.duration or None,
            "outside_help": finder_data.WITHOUT_HELP if asked.alone else None,
        },
        "count": len(answer.fits),
        "serving_task": answer.serving_task,
        "results": [fit_data(fit) for fit in answer.fits],
        "url": data.absolute(reverse("atlas:finder") + "?" + urlencode(asked.pairs())),
    }
