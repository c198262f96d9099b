"""The catalogue: facets that combine, counts that follow the faceted-search rule, URLs to keep."""

import re

import pytest
from django.urls import reverse

from tests.atlas.conftest import make_resource, reference_resource_count, text

URL = reverse("atlas:catalogue")


@pytest.fixture
def four(db):
    """A: méthode/art, B: méthode/science, C: outil/art, D: concept/science+démocratie."""
    return {
        "A": make_resource("a", kind="methode", visions=["art"], title_fr="Alpha", focus=-80),
        "B": make_resource("b", kind="methode", visions=["science"], title_fr="Bravo"),
        "C": make_resource("c", kind="outil", visions=["art"], title_fr="Charlie", maturity=90),
        "D": make_resource(
            "d", kind="concept", visions=["science", "democratie"], title_fr="Delta", focus=70
        ),
    }


def titles(response):
    return [r.title_fr for r in (card["resource"] for card in response.context["cards"])]


def counts(response, facet):
    found = next(f for f in response.context["facets"] if f.name == facet)
    return {v.value: v.count for v in found.values}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("?vision=art", ["Alpha", "Charlie"]),
        ("?vision=art&vision=science", ["Alpha", "Bravo", "Charlie", "Delta"]),
        ("?vision=art&kind=methode", ["Alpha"]),
        ("?kind=methode&kind=concept&vision=science", ["Bravo", "Delta"]),
        ("?focus=solution", ["Alpha"]),
        ("?focus=culture&maturity=installee", ["Delta"]),
        ("?maturity=emergente&vision=science", []),
    ],
)
def test_values_within_a_facet_widen_and_facets_narrow(client, four, query, expected):
    assert titles(client.get(URL + query)) == expected


@pytest.mark.parametrize(
    ("query", "facet", "expected"),
    [
        ("", "kind", {"methode": 2, "concept": 1, "outil": 1, "approche": 0, "courant": 0}),
        ("?vision=art", "kind", {"methode": 1, "concept": 0, "outil": 1, "approche": 0}),
        # A facet's own selection is set aside when counting it: ticking "science" adds 2.
        ("?vision=art", "vision", {"art": 2, "science": 2, "democratie": 1, "entreprise": 0}),
        ("?vision=art&kind=methode", "vision", {"art": 1, "science": 1, "democratie": 0}),
        ("?vision=art&kind=methode", "kind", {"methode": 1, "outil": 1, "concept": 0}),
    ],
)
def test_each_value_counts_what_ticking_it_would_show(client, four, query, facet, expected):
    got = counts(client.get(URL + query), facet)
    assert {key: got[key] for key in expected} == expected


def test_the_counts_are_shown_beside_each_value(client, four):
    page = text(client.get(URL + "?vision=art"))
    assert "méthode (1 ressource )" in page
    assert "science (2 ressources )" in page


def test_the_result_count_and_the_cards_show_title_kind_summary_and_tags(client, four):
    page = text(client.get(URL + "?vision=science"))
    assert "2 ressources" in page
    assert "Méthode Bravo Un résumé. Visions : science Profils : usages" in page


def test_the_chosen_values_stay_ticked(client, four):
    html = client.get(URL + "?vision=art&kind=methode").content.decode()
    ticked = re.findall(r'name="(\w+)"\s+value="(\w+)"\s+checked', html)
    assert sorted(ticked) == [("kind", "methode"), ("vision", "art")]


@pytest.mark.parametrize(
    ("query", "removal"),
    [
        ("?kind=methode&vision=art", "?vision=art"),
        ("?kind=methode&vision=art", "?kind=methode"),
        ("?vision=art&vision=science", "?vision=science"),
    ],
)
def test_each_active_filter_has_a_link_that_removes_only_it(client, four, query, removal):
    response = client.get(URL + query)
    assert removal in [item["remove_url"] for item in response.context["active"]]
    assert f'href="{removal}"' in response.content.decode()
    assert "Filtres actifs" in text(response)


def test_no_filter_no_active_filters_list(client, four):
    assert "Filtres actifs" not in text(client.get(URL))


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("?vision=bogus", "Filtre inconnu, ignoré : vision = « bogus »."),
        ("?vision=art&kind=recette", "Filtre inconnu, ignoré : kind = « recette »."),
    ],
)
def test_unknown_values_are_ignored_and_said_so(client, four, query, notice):
    response = client.get(URL + query)
    assert response.status_code == 200
    assert notice in text(response)


def test_an_unknown_value_leaves_the_known_ones_working(client, four):
    assert titles(client.get(URL + "?vision=art&vision=bogus")) == ["Alpha", "Charlie"]


def test_thirty_cards_a_page_and_pagination_keeps_the_filters(client, db):
    for number in range(32):
        make_resource(f"r{number:02}", title_fr=f"Res {number:02}", visions=["art"])
    first = client.get(URL + "?vision=art")
    assert len(first.context["cards"]) == 30
    assert 'href="?vision=art&amp;page=2"' in first.content.decode()
    second = client.get(URL + "?vision=art&page=2")
    assert titles(second) == ["Res 30", "Res 31"]


@pytest.mark.parametrize("page", ["0", "9", "abc"])
def test_a_page_that_does_not_exist_is_a_404(client, four, page):
    response = client.get(URL + f"?page={page}")
    assert response.status_code == 404
    assert "Cette page de résultats n’existe pas" in text(response)


def test_a_search_narrows_the_catalogue_and_combines_with_facets(client, reference_content):
    found = titles(client.get(URL + "?q=hackathon"))
    assert "Hackathon" in found
    assert titles(client.get(URL + "?q=hackathon&kind=concept")) == []


def test_the_catalogue_lists_every_reference_resource(client, reference_content):
    response = client.get(URL)
    count = reference_resource_count()
    assert response.context["count"] == count
    assert f"{count} ressources" in text(response)


@pytest.mark.parametrize("query", ["", "?vision=art&vision=science&kind=methode&profile=usages"])
def test_the_catalogue_runs_a_bounded_number_of_queries(
    client, reference_content, django_assert_max_num_queries, query
):
    # results, count, one aggregate for the unfiltered facets, one per active facet.
    with django_assert_max_num_queries(8):
        client.get(URL + query)


def test_the_catalogue_in_english_shows_the_english_titles(client, four):
    page = text(client.get("/en" + URL + "?vision=art", follow=True))
    assert four["A"].title_en in page and four["A"].title_fr not in page


def test_the_catalogue_sorts_titles_in_french_order_not_code_point_order(client, db):
    for number, title in enumerate(["Urbanisme", "Évaluation", "Droit", "État", "Débat"]):
        make_resource(f"f{number}", title_fr=title, title_en=title)
    assert titles(client.get(URL)) == ["Débat", "Droit", "État", "Évaluation", "Urbanisme"]


def test_the_related_resources_are_in_french_order(db):
    for slug, title in [("u", "Urbanisme"), ("e", "État"), ("d", "Droit"), ("b", "Débat")]:
        make_resource(slug, title_fr=title)
    hub = make_resource("hub", title_fr="Hub", combines_with=["u", "e", "d", "b"])
    combined = [r.title_fr for r in hub.related()["combines"]]
    assert combined == ["Débat", "Droit", "État", "Urbanisme"]
