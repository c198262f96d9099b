"""The ladder of stages and a trajectory page, in French and in English."""

import pytest
from django.urls import reverse

from tests.journeys.conftest import make_result, remember

pytestmark = pytest.mark.django_db


def test_the_index_shows_the_five_stages_in_order_with_their_links(client, loaded):
    page = client.get("/trajectoires/").content.decode()
    names = ["À quai", "Premières sorties", "Équipage formé", "En flottille", "Fabrique ouverte"]
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)
    for key in ("a-quai", "equipage", "fabrique-ouverte"):
        assert f'href="/trajectoires/{key}/"' in page
    assert "Ajout Sonar" in page


def test_the_index_invites_to_take_the_maturity_diagnostic(client, loaded):
    page = client.get("/trajectoires/").content.decode()
    assert f'href="{reverse("quiz:start", args=["maturity"])}"' in page
    assert "Faire le diagnostic de maturité" in page


def test_the_index_links_to_where_this_browser_stands_once_diagnosed(client, loaded):
    result = make_result("maturity", ["flottille"])
    remember(client, result)
    response = client.get("/trajectoires/")
    assert f'href="/trajectoires/vous-etes-ici/{result.token}/"' in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_the_index_shows_no_other_browser_s_result(client, loaded):
    make_result("maturity", ["flottille"])
    assert "vous-etes-ici" not in client.get("/trajectoires/").content.decode()


def test_a_trajectory_page_has_every_part_in_order(client, loaded):
    response = client.get("/trajectoires/a-quai/")
    assert response.status_code == 200
    page = response.content.decode()
    parts = [
        "<h1>À quai</h1>",
        "Où vous en êtes",
        "Les balises vers «\u00a0Premières sorties\u00a0»",
        "Choisir un problème concret",
        "Les bifurcations",
        "Partir d’un irritant des usagers ou d’une priorité politique\u00a0?",
        "Un irritant des usagers",
        "Les écueils à éviter",
        "L’innovation de façade",
        "Les leviers",
        "Un droit à l’erreur écrit",
        "Des principes pour la route",
        "Ressources de la carte pour cette étape",
    ]
    positions = [page.index(part) for part in parts]
    assert positions == sorted(positions)


def test_the_journal_s_principles_are_marked_as_quotes(client, loaded):
    page = client.get("/trajectoires/a-quai/").content.decode()
    quote = page.index("arrêtons de parler, pratiquons l’innovation\u00a0!")
    assert page.rfind("<blockquote>", 0, quote) > page.rfind("</blockquote>", 0, quote)
    assert "Cité du journal Sonar 1.0 (2018)" in page[quote:]


def test_resources_link_to_their_page_on_the_map(client, loaded):
    page = client.get("/trajectoires/a-quai/").content.decode()
    assert f'href="{reverse("atlas:resource", args=["immersion"])}"' in page


@pytest.mark.parametrize(
    ("key", "previous", "following"),
    [
        ("a-quai", None, "premieres-sorties"),
        ("equipage", "premieres-sorties", "flottille"),
        ("fabrique-ouverte", "flottille", None),
    ],
)
def test_a_trajectory_links_to_the_stages_before_and_after(
    client, loaded, key, previous, following
):
    page = client.get(f"/trajectoires/{key}/").content.decode()
    assert ("Étape précédente" in page) is bool(previous)
    assert ("Étape suivante" in page) is bool(following)
    for other in (previous, following):
        if other:
            assert f'href="/trajectoires/{other}/"' in page


def test_the_last_stage_has_milestones_to_keep_it_alive(client, loaded):
    page = client.get("/trajectoires/fabrique-ouverte/").content.decode()
    assert "Les balises pour tenir le cap" in page


def test_a_trajectory_reads_in_english_under_en(client, loaded):
    page = client.get("/en/trajectories/a-quai/").content.decode()
    assert "<h1>Moored</h1>" in page
    assert "Choose a concrete problem" in page


@pytest.mark.parametrize("path", ["/trajectoires/nulle-part/", "/trajectoires/vous-etes-ici/"])
def test_an_unknown_stage_is_a_french_404(client, loaded, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize("path", ["/trajectoires/", "/trajectoires/a-quai/"])
def test_a_post_is_refused_with_405(client, loaded, path):
    assert client.post(path).status_code == 405


def test_before_any_content_the_index_says_so(client, db):
    response = client.get("/trajectoires/")
    assert response.status_code == 200
    assert "Les trajectoires n’ont pas encore été chargées." in response.content.decode()
