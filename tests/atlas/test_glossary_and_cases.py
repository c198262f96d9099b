"""The glossary (the journal's 14 definitions and ours) and the real cases."""

import pytest
from django.urls import reverse

from sonar.atlas.models import Case, Term
from tests.atlas.conftest import make_case, make_resource, text

JOURNAL_TERMS = [
    "Capacitation",
    "Commun",
    "Design",
    "Hackathon",
    "Maîtrise d’usage",
    "Nudge",
    "Urbanisme temporaire",
]


@pytest.fixture
def glossary_page(client, reference_content):
    return client.get(reverse("atlas:glossary"))


def test_the_glossary_has_the_journal_s_14_definitions_and_at_least_30_terms(glossary_page):
    html = glossary_page.content.decode()
    assert html.count("Définition du journal Sonar 1.0") == 14
    assert html.count('class="glossary__term"') >= 30
    assert html.count("Ajout Sonar") == html.count('class="glossary__term"') - 14


@pytest.mark.parametrize("term", JOURNAL_TERMS)
def test_a_journal_term_is_on_the_glossary_page_marked_as_the_journal_s(
    client, reference_content, term
):
    found = Term.objects.get(term_fr=term)
    response = client.get(reverse("atlas:term", args=[found.slug]))
    page = text(response)
    assert found.origin == "sonar-1.0"
    assert "Définition du journal Sonar 1.0" in page
    assert " ".join(found.definition_fr.split()) in page


def test_the_terms_are_sorted_a_to_z_with_a_letter_index(glossary_page):
    html = glossary_page.content.decode()
    assert 'href="#lettre-C"' in html and 'id="lettre-C"' in html
    page = text(glossary_page)
    assert page.index("Capacitation") < page.index("Commun") < page.index("Urbanisme temporaire")


def test_a_letter_without_terms_is_not_a_link(glossary_page):
    present = {t.term_fr[0].upper() for t in Term.objects.all()}
    missing = next(chr(c) for c in range(ord("A"), ord("Z") + 1) if chr(c) not in present)
    assert f'href="#lettre-{missing}"' not in glossary_page.content.decode()


def test_a_term_links_to_its_resource(client, reference_content):
    response = client.get(reverse("atlas:term", args=["capacitation"]))
    assert 'href="/carte/ressources/capacitation/"' in response.content.decode()


def test_an_unknown_term_is_a_404(client, db):
    assert client.get(reverse("atlas:term", args=["rien"])).status_code == 404


def test_there_are_at_least_24_cases_each_with_a_source(client, reference_content):
    response = client.get(reverse("atlas:cases"))
    cases = list(Case.objects.all())
    assert len(cases) >= 24
    assert all(case.sources for case in cases)
    assert f"{len(cases)} cas" in text(response)


@pytest.mark.parametrize(
    "shown",
    [
        "Paris",
        "France",
        "2014",
        "Ce qui s’est passé",
        "Méthodes et ressources utilisées",
        "Sources",
    ],
)
def test_a_case_page_shows(client, reference_content, shown):
    response = client.get(reverse("atlas:case", args=["budget-participatif-paris"]))
    assert shown in text(response)


def test_a_journal_case_is_marked(client, reference_content):
    slug = Case.objects.filter(named_in_journal=True).values_list("slug", flat=True).first()
    response = client.get(reverse("atlas:case", args=[slug]))
    assert "Cité dans le journal Sonar 1.0" in text(response)


def test_the_cases_can_be_filtered_by_resource(client, db):
    used = make_resource("outil-y", title_fr="Outil Y")
    make_case("avec", [used], title_fr="Cas avec")
    make_case("sans", [], title_fr="Cas sans")
    page = text(client.get(reverse("atlas:cases") + "?resource=outil-y"))
    assert "Cas avec" in page and "Cas sans" not in page


def test_an_unknown_resource_filter_on_cases_is_ignored_and_said_so(client, db):
    make_case("seul", [], title_fr="Cas seul")
    page = text(client.get(reverse("atlas:cases") + "?resource=inconnue"))
    assert "Aucune ressource ne porte l’identifiant « inconnue » : le filtre est ignoré." in page
    assert "Cas seul" in page
