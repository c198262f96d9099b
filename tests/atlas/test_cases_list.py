"""The cases list: filters by type of collectivité, theme and period in the URL, with counts,
sorted as a French reader expects; and the cases in the main navigation."""

import re

import pytest
from django.urls import reverse

from tests.atlas.conftest import make_case, make_resource, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_cases():
    budget = make_resource("budget-participatif", title_fr="Budget participatif")
    make_case(
        "quartiers",
        [budget],
        title_fr="Conseils de quartier",
        collectivite_type="commune",
        themes=" participation ",
        period_start=2008,
        period_end=2012,
    )
    make_case(
        "ecoles",
        title_fr="Écoles ouvertes",
        collectivite_type="commune",
        themes=" education participation ",
        period_start=2016,
    )
    make_case(
        "transfo",
        title_fr="La Transfo",
        collectivite_type="region",
        themes=" administration ",
        period_end=2017,
    )
    make_case("sans-date", [budget], title_fr="Archives", collectivite_type="metropole")


def titles(response):
    html = response.content.decode()
    return re.findall(r'class="card__link" href="/cas/[^"]+/">([^<]+)</a>', html)


def cases_page(client, query=""):
    return client.get(reverse("atlas:cases") + query)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("?type=commune", ["Conseils de quartier", "Écoles ouvertes"]),
        ("?type=commune&type=region", ["Conseils de quartier", "Écoles ouvertes", "La Transfo"]),
        ("?theme=education", ["Écoles ouvertes"]),
        ("?theme=education&theme=administration", ["Écoles ouvertes", "La Transfo"]),
        ("?type=commune&theme=participation", ["Conseils de quartier", "Écoles ouvertes"]),
        ("?type=region&theme=participation", []),
        ("?resource=budget-participatif&type=metropole", ["Archives"]),
    ],
)
def test_the_filters_narrow_the_list(client, some_cases, query, shown):
    assert titles(cases_page(client, query)) == shown


@pytest.mark.parametrize(
    ("band", "shown"),
    [
        # 2008–2012 meets two bands; a case without an end is still running.
        ("avant-2010", ["Conseils de quartier"]),
        ("2010-2014", ["Conseils de quartier"]),
        ("2015-2019", ["Écoles ouvertes", "La Transfo"]),
        ("depuis-2020", ["Écoles ouvertes"]),
    ],
)
def test_a_period_keeps_the_cases_that_ran_during_it(client, some_cases, band, shown):
    assert titles(cases_page(client, f"?period={band}")) == shown


def test_the_cases_are_sorted_without_regard_to_accents_or_a_leading_article(client, some_cases):
    assert titles(cases_page(client)) == [
        "Archives",
        "Conseils de quartier",
        "Écoles ouvertes",
        "La Transfo",
    ]


def count_beside(response, facet, value):
    html = response.content.decode()
    label = html.split(f'for="f-{facet}-{value}">', 1)[1]
    return int(re.search(r'class="check__count">\((\d+)', label).group(1))


def test_each_value_shows_how_many_cases_ticking_it_would_give(client, some_cases):
    page = cases_page(client, "?type=commune")

    # Within the ticked facet, the count ignores its own selection…
    assert count_beside(page, "type", "region") == 1
    assert count_beside(page, "type", "commune") == 2
    # …and the other facets count among the communes only.
    assert count_beside(page, "theme", "participation") == 2
    assert count_beside(page, "theme", "administration") == 0
    assert count_beside(page, "period", "depuis-2020") == 1


def test_the_themes_are_offered_in_alphabetical_order_of_their_label(client, some_cases):
    html = cases_page(client).content.decode()
    offered = re.findall(r'id="f-theme-([a-z]+)"', html)

    # action sociale, culture, données, écologie, éducation, emploi, évaluation, fonctionnement…
    assert offered[:7] == [
        "social",
        "culture",
        "donnees",
        "ecologie",
        "education",
        "emploi",
        "evaluation",
    ]
    assert offered[7] == "administration"


def test_the_themes_are_sorted_in_english_on_the_english_page(client, some_cases):
    html = client.get("/en/cases/").content.decode()
    offered = re.findall(r'id="f-theme-([a-z]+)"', html)

    assert offered[:3] == ["participation", "culture", "donnees"]


def test_a_filter_is_a_plain_link_that_works_without_javascript(client, some_cases):
    html = " ".join(cases_page(client).content.decode().split())

    assert '<form class="facets" method="get" action="/cas/"' in html
    assert 'name="type" value="commune"' in html
    assert 'name="theme" value="participation"' in html
    assert 'name="period" value="2015-2019"' in html


def test_each_active_filter_has_a_link_that_removes_it_alone(client, some_cases):
    page = text(cases_page(client, "?resource=budget-participatif&type=metropole"))
    html = cases_page(client, "?resource=budget-participatif&type=metropole").content.decode()

    assert "Qui l’a mené : métropole" in page
    assert "Méthode ou ressource utilisée : Budget participatif" in page
    assert 'href="?resource=budget-participatif">Retirer' in html
    assert 'href="?type=metropole">Retirer' in html


def test_an_unknown_filter_value_is_ignored_and_said_so(client, some_cases):
    page = text(cases_page(client, "?theme=sport"))

    assert "Filtre inconnu, ignoré : theme = « sport »." in page
    assert "4 cas" in page


def test_the_list_shows_each_case_s_period_and_never_an_unknown_year(client, some_cases):
    page = text(cases_page(client))

    assert "Rennes, France · 2008–2012" in page
    assert "Rennes, France · depuis 2016" in page
    assert "Rennes, France · jusqu’en 2017" in page
    assert "non connue" not in page


def test_the_main_navigation_has_the_cases(client, some_cases):
    html = client.get(reverse("atlas:case", args=["ecoles"])).content.decode()
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]

    assert re.search(r'<a href="/cas/"[^>]*aria-current="page"[^>]*>\s*Cas\s*</a>', nav), nav


def test_the_page_says_what_it_lists(client, some_cases):
    html = cases_page(client).content.decode()

    assert "<h1>Cas réels</h1>" in html
    assert "Des collectivités et des administrations qui ont essayé" in html
