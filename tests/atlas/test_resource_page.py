"""A resource page shows every section, in the order CONTENT.md gives, and its JSON twin."""

import pytest
from django.urls import reverse

from sonar.atlas.models import Resource
from tests.atlas.conftest import make_case, make_resource, text

pytestmark = pytest.mark.usefixtures("reference_content")

SECTIONS = [
    "Ce que c’est",
    "Quand l’utiliser",
    "Quand s’en passer",
    "Comment commencer lundi",
    "Controverses et critiques",
    "Sa place sur la carte",
    "Visions",
    "Position",
    "Profils du diagnostic",
    "Se combine avec",
    "En tension avec",
    "Cas réels où elle a servi",
    "Sources",
]


def page_of(client, slug):
    return client.get(reverse("atlas:resource", args=[slug]))


def test_the_sections_come_in_the_order_of_the_content_guide(client):
    page = text(page_of(client, "budget-participatif"))
    positions = [page.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "shown",
    [
        "Budget participatif",
        "Les habitants proposent des projets puis votent",  # summary
        "Porto Alegre",  # what it is
        "Faites voter par l’assemblée le montant",  # first step
        "Yves Sintomer",  # controversies
        "démocratie",  # vision
        "entre les deux ; ancrée dans les pratiques.",  # position in words
        "Voir cette ressource sur la carte",
        "Découvrir votre profil avec le diagnostic",
        "Le budget participatif de Paris",  # a case
        "Cité dans le journal Sonar 1.0",
    ],
)
def test_the_resource_page_shows(client, shown):
    assert shown in text(page_of(client, "budget-participatif"))


def test_the_steps_are_an_ordered_list(client):
    html = page_of(client, "budget-participatif").content.decode()
    steps = html.split('<ol class="steps">', 1)[1].split("</ol>", 1)[0]
    assert steps.count("<li>") == len(Resource.objects.get(slug="budget-participatif").how_to_start)


def test_the_sources_show_title_publisher_year_and_link(client):
    html = page_of(client, "budget-participatif").content.decode()
    assert 'rel="external">Les principes du budget participatif</a>, iD City, 2022' in html


@pytest.mark.parametrize(
    ("fragment"),
    [
        '<link rel="alternate" type="application/json"'
        ' href="/api/v1/resources/budget-participatif">',
        'href="/carte/?selection=budget-participatif"',
        'href="/diagnostic/style/"',
    ],
)
def test_the_page_links_to_its_json_the_map_and_the_quiz(client, fragment):
    assert fragment in page_of(client, "budget-participatif").content.decode()


def test_relations_show_from_both_sides_typed(client):
    make_resource("un", title_fr="Un", combines_with=["deux"], in_tension_with=["trois"])
    make_resource("deux", title_fr="Deux")
    make_resource("trois", title_fr="Trois")
    two = page_of(client, "deux").context["detail"]
    three = page_of(client, "trois").context["detail"]
    assert [r["title"] for r in two["combines_with"]] == ["Un"]
    assert [r["title"] for r in three["in_tension_with"]] == ["Un"]


def test_a_resource_not_in_the_journal_has_no_journal_marker(client):
    make_resource("neuve", named_in_journal=False)
    assert "Cité dans le journal Sonar 1.0" not in text(page_of(client, "neuve"))


def test_the_cases_that_used_it_are_listed(client):
    resource = make_resource("outil-x")
    make_case("cas-x", [resource], title_fr="Le cas X")
    assert "Le cas X" in text(page_of(client, "outil-x"))


def test_an_unknown_resource_is_a_french_404(client):
    response = page_of(client, "nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in text(response)


def test_the_resource_page_in_english(client):
    response = client.get(
        "/en" + reverse("atlas:resource", args=["budget-participatif"]), follow=True
    )
    assert "Participatory budgeting" in text(response)


def test_the_resource_page_runs_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        page_of(client, "budget-participatif")
