"""French search joins a word's forms: singular and plural, masculine and feminine, with or
without accents ("usager" and "usagers" find the same resources), on SQLite and PostgreSQL.

Snowball stemming alone, the naive approach, splits every group below (checked first), so each
test here would fail without the index's dictionary forms and the query's joining of them.
"""

import pytest

from sonar.atlas import search
from sonar.atlas.search import text
from sonar.core.actions import save_revision
from sonar.core.models import Revision
from tests.atlas.conftest import make_case
from tests.atlas.test_search_index import make_resource

pytestmark = pytest.mark.django_db

GROUPS = {
    "usager": ["usager", "usagers", "usagère", "usagères"],
    "acteur": ["acteur", "acteurs", "actrice", "actrices"],
    "élu": ["élus", "élue", "élues"],
    "public": ["public", "publics", "publique", "publiques"],
    "travail": ["travail", "travaux"],
    "nouveau": ["nouveau", "nouveaux", "nouvelle", "nouvelles"],
    "directeur": ["directeur", "directeurs", "directrice", "directrices"],
    "designer": ["designer", "designers"],
    "créateur": ["créateur", "créatrice", "créatrices"],
}

# What a person types: each form, and each form without its accents.
TYPED = sorted(
    {
        (group, typed)
        for group, forms in GROUPS.items()
        for form in forms
        for typed in (form, text.fold(form))
    }
)


@pytest.mark.parametrize("group", GROUPS)
def test_snowball_alone_would_split_each_group(group):
    stems = {text.stem(text.fold(form), "fr") for form in GROUPS[group]}

    assert len(stems) > 1, stems


@pytest.fixture
def one_resource_per_form():
    slugs = {}
    for group, forms in GROUPS.items():
        for i, form in enumerate(forms):
            slug = f"{text.fold(group)}-{i}"
            make_resource(slug, title=f"Fiche {slug}", body=f"Il est question de {form} ici.")
            slugs.setdefault(group, set()).add(slug)
    return slugs


@pytest.mark.parametrize(("group", "typed"), TYPED, ids=[typed for _g, typed in TYPED])
def test_every_form_finds_every_form_of_its_word(one_resource_per_form, group, typed):
    found = {r.slug for r in search.search(typed, "fr", limit=50).resources}

    assert found == one_resource_per_form[group]


def test_the_counts_of_singular_and_plural_are_the_same(one_resource_per_form):
    assert search.search("usager", "fr").total == search.search("usagers", "fr").total == 4


def test_a_form_the_content_never_uses_still_finds_the_others():
    make_resource("guide", title="Guide", body="Le rôle du directeur et des acteurs locaux.")

    for typed in ("directrices", "actrice", "locales"):
        assert [r.slug for r in search.search(typed, "fr").resources] == ["guide"], typed


def test_a_dictionary_form_that_starts_otherwise_never_joins_two_words():
    # simplemma reads "était" as a form of "être", like "sont": search keeps them apart.
    make_resource("prete", title="Prête", body="Tout était prêt.")
    make_resource("ouverte", title="Ouverte", body="Les services sont ouverts.")

    assert [r.slug for r in search.search("était", "fr").resources] == ["prete"]


def test_the_found_forms_are_highlighted(one_resource_per_form):
    results = search.search("usager", "fr")

    assert str(results.highlight("Les usagères et les usagers")) == (
        "Les <mark>usagères</mark> et les <mark>usagers</mark>"
    )


def test_what_did_not_work_in_a_case_is_searchable():
    make_case("cas-abandon", did_not_work_fr="Le guichet a été abandonné faute d’agents.")

    assert [c.slug for c in search.search("abandonné", "fr").cases] == ["cas-abandon"]


def test_a_case_is_found_by_its_results_and_its_theme():
    make_case("cas-mobilite", results_fr="Trois lignes de covoiturage.", themes=" mobilite ")

    assert [c.slug for c in search.search("covoiturage", "fr").cases] == ["cas-mobilite"]
    assert [c.slug for c in search.search("mobilité", "fr").cases] == ["cas-mobilite"]
    assert [c.slug for c in search.search("mobility", "en").cases] == ["cas-mobilite"]


def test_a_resource_is_found_by_the_label_of_its_task():
    resource = make_resource("prototype", title="Prototype", body="Une maquette.")
    resource.tasks = " tester-idee "
    save_revision(resource, Revision.Origin.EDIT)

    assert [r.slug for r in search.search("tester une idée", "fr").resources] == ["prototype"]
    assert [r.slug for r in search.search("test an idea", "en").resources] == ["prototype"]
