"""The atlas JSON API: paginated lists, full resources, one French error shape."""

import pytest
from django.conf import settings

from tests.atlas.conftest import make_case, make_resource, make_term, reference_resource_count

CARD_KEYS = {"slug", "title", "kind", "summary", "visions", "profiles", "url"}


@pytest.fixture
def some(db):
    art = make_resource("alpha", kind="methode", visions=["art"], title_fr="Alpha", title_en="A")
    make_resource("bravo", kind="outil", visions=["science"], profiles=["technique"])
    make_term("alpha-t", "Alpha", resource=art)
    make_case("cas-alpha", [art], period_start=2019)
    return art


def test_the_resource_list_has_count_next_previous_and_results(client, some):
    body = client.get("/api/v1/resources").json()
    assert body["count"] == 2
    assert body["next"] is None and body["previous"] is None
    assert set(body["results"][0]) == CARD_KEYS


def test_each_result_has_an_absolute_url(client, some):
    result = client.get("/api/v1/resources?vision=art").json()["results"][0]
    assert result == {
        "slug": "alpha",
        "title": "Alpha",
        "kind": "methode",
        "summary": "Un résumé.",
        "visions": ["art"],
        "profiles": ["usages"],
        "url": settings.SONAR_BASE_URL + "/carte/ressources/alpha/",
    }


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("?kind=outil", ["bravo"]),
        ("?vision=art&vision=science", ["alpha", "bravo"]),
        ("?profile=technique", ["bravo"]),
        ("?kind=methode&vision=science", []),
    ],
)
def test_the_list_filters_like_the_catalogue(client, some, query, slugs):
    body = client.get("/api/v1/resources" + query).json()
    assert [r["slug"] for r in body["results"]] == slugs


def test_english_with_lang_en(client, some):
    result = client.get("/api/v1/resources?vision=art&lang=en").json()["results"][0]
    assert result["title"] == "A" and result["summary"] == "A summary."


def test_pages_of_thirty_link_to_each_other_absolutely(client, db):
    for number in range(31):
        make_resource(f"r{number:02}", visions=["art"])
    first = client.get("/api/v1/resources?vision=art").json()
    assert len(first["results"]) == 30
    assert first["next"] == settings.SONAR_BASE_URL + "/api/v1/resources?vision=art&page=2"
    second = client.get("/api/v1/resources?vision=art&page=2").json()
    assert len(second["results"]) == 1
    assert second["previous"] == settings.SONAR_BASE_URL + "/api/v1/resources?vision=art&page=1"


@pytest.mark.parametrize(
    ("query", "field"),
    [("?kind=recette", "kind"), ("?vision=magie", "vision"), ("?profile=x&vision=art", "profile")],
)
def test_an_unknown_filter_value_is_a_400_in_the_french_error_shape(client, some, query, field):
    response = client.get("/api/v1/resources" + query)
    assert response.status_code == 400
    body = response.json()
    assert body["error"].startswith("Filtre inconnu")
    assert list(body["fields"]) == [field]


@pytest.mark.parametrize("path", ["/api/v1/resources", "/api/v1/glossary", "/api/v1/cases"])
@pytest.mark.parametrize("page", ["0", "abc", "99"])
def test_a_bad_page_number_is_a_400(client, some, path, page):
    response = client.get(f"{path}?page={page}")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "fields"}
    assert "page" in response.json()["fields"]


def test_a_full_resource_has_every_field_typed_links_cases_and_sources(client, some):
    make_resource("charlie", combines_with=["alpha"], title_fr="Charlie")
    body = client.get("/api/v1/resources/alpha").json()
    for key in (
        "description", "when_to_use", "when_not_to_use", "how_to_start", "controversies",
        "focus", "maturity", "sources", "named_in_journal",
    ):  # fmt: skip
        assert key in body
    assert [r["slug"] for r in body["combines_with"]] == ["charlie"]
    assert body["in_tension_with"] == []
    assert body["cases"][0]["url"] == settings.SONAR_BASE_URL + "/cas/cas-alpha/"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/resources/rien", "Aucune ressource ne porte l’identifiant « rien »."),
        ("/api/v1/glossary/rien", "Aucun terme du glossaire ne porte l’identifiant « rien »."),
        ("/api/v1/cases/rien", "Aucun cas ne porte l’identifiant « rien »."),
    ],
)
def test_an_unknown_slug_is_a_404_in_the_french_error_shape(client, db, path, message):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"error": message, "fields": {}}


def test_the_glossary_and_cases_lists(client, some):
    glossary = client.get("/api/v1/glossary").json()
    cases = client.get("/api/v1/cases").json()
    assert glossary["results"][0]["resource"]["slug"] == "alpha"
    assert cases["results"][0]["period"] == {"start": 2019, "end": None}
    assert cases["results"][0]["resources"][0]["slug"] == "alpha"


def test_an_unknown_language_is_a_400(client, some):
    assert client.get("/api/v1/resources?lang=de").status_code == 400


def test_the_reference_catalogue_through_the_api(client, reference_content):
    body = client.get("/api/v1/resources").json()
    assert body["count"] == reference_resource_count() >= 130
    assert client.get("/api/v1/glossary").json()["count"] >= 30
    assert client.get("/api/v1/cases").json()["count"] >= 24
