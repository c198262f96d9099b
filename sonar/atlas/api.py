"""The atlas's JSON API: resources, glossary, cases, from the same data functions as the pages.

Lists come by pages (sonar.core.api.pages). Texts are French unless `?lang=en`. An unknown
filter value or a bad page number is a 400, an unknown slug a 404, in the API's one error shape.
"""

from typing import Annotated

from django.core.paginator import InvalidPage
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.decorators import decorate_view
from pydantic import Field, WithJsonSchema

from sonar.atlas import data
from sonar.atlas.models import FACETS
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


class Term(Out):
    slug: str
    term: str
    definition: str
    origin: str
    resource: Link | None
    sources: list[Source]
    url: str


class CaseSummary(Out):
    slug: str
    title: str
    place: str
    country: str
    year: int | None
    summary: str
    resources: list[Link]
    sources: list[Source]
    named_in_journal: bool
    url: str


class Case(CaseSummary):
    description: str


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
