"""A small factory for atlas tests: resources, terms and cases with explicit traits, written
as the content loader writes them (save_revision: search entries and kept pages follow)."""

import html as htmllib
import itertools
import re

import pytest
from django.utils import translation

from sonar.atlas.models import Case, Resource, Term
from sonar.core.actions import save_revision
from sonar.core.models import Revision

_numbers = itertools.count(1)


def reference_resource_count():
    """How many resources content/ holds: one file each (issue 15 asks for at least 130)."""
    from django.conf import settings

    return len(list((settings.SONAR_CONTENT_DIR / "atlas" / "resources").glob("*.yaml")))


@pytest.fixture(autouse=True)
def _french_after_each_test():
    # A request under /en/ or with ?lang=en leaves English active in the test thread.
    yield
    translation.activate("fr")


def make_resource(slug=None, *, kind="methode", visions=("art",), profiles=("usages",), **fields):
    number = next(_numbers)
    slug = slug or f"ressource-{number}"
    defaults = {
        "title_fr": f"Ressource {number}",
        "title_en": f"Resource {number}",
        "summary_fr": "Un résumé.",
        "summary_en": "A summary.",
        "description_fr": "Une description.",
        "description_en": "A description.",
        "when_to_use_fr": "Quand il le faut.",
        "when_to_use_en": "When needed.",
        "when_not_to_use_fr": "Sinon.",
        "when_not_to_use_en": "Otherwise.",
        "how_to_start_fr": ["Commencer."],
        "how_to_start_en": ["Start."],
        "controversies_fr": "Des critiques.",
        "controversies_en": "Critiques.",
        "focus": 0,
        "maturity": 0,
    }
    defaults.update(fields)
    resource = Resource(
        slug=slug,
        kind=kind,
        visions=f" {' '.join(visions)} " if visions else "",
        profiles=f" {' '.join(profiles)} " if profiles else "",
        **defaults,
    )
    return save_revision(resource, Revision.Origin.LOAD)


def make_term(slug, term_fr, definition_fr="Une définition.", origin="sonar", resource=None):
    term = Term(
        slug=slug,
        term_fr=term_fr,
        term_en=term_fr,
        definition_fr=definition_fr,
        definition_en=definition_fr,
        origin=origin,
        resource=resource,
    )
    return save_revision(term, Revision.Origin.LOAD)


def make_case(slug, resources=(), **fields):
    defaults = {
        "title_fr": slug.title(),
        "title_en": slug.title(),
        "place": "Rennes",
        "summary_fr": "Un résumé du cas.",
        "summary_en": "A case summary.",
        "description_fr": "Ce qui s’est passé.",
        "description_en": "What happened.",
    }
    defaults.update(fields)
    case = save_revision(Case(slug=slug, **defaults), Revision.Origin.LOAD)
    case.resources.set(resources)
    return case


def text(response):
    """The page's visible text, roughly: tags removed, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = htmllib.unescape(re.sub(r"<[^>]+>", " ", html))
    return re.sub(r"\s+", " ", html.replace("\u202f", " ").replace("\xa0", " ")).strip()
