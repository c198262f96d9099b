"""Search finds French and English content the way people type it, on SQLite and PostgreSQL.

The same list of queries runs on whichever backend the database is (CI runs the suite on both),
so both give the same top results.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from sonar.atlas import search
from sonar.atlas.models import Resource
from tests.atlas.test_search_index import make_resource


@pytest.fixture(scope="module")
def reference(django_db_setup, django_db_blocker, _reference_snapshot):
    """The reference content, put back once for this module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        _reference_snapshot[0].restore()
        yield
        transaction.set_rollback(True)


def top_slugs(query, language="fr", n=5):
    return [r.slug for r in search.search(query, language, limit=n).resources]


SAME_ON_BOTH_BACKENDS = [
    # (query, language, slugs expected among the first five resources)
    ("budget participatif", "fr", ["budget-participatif"]),
    ("Budget Participatif", "fr", ["budget-participatif"]),
    ("expérimentations", "fr", ["experimentation-territoriale"]),
    ("experimentation", "fr", ["experimentation-territoriale"]),
    ("citoyennes", "fr", ["jury-citoyen", "conference-de-citoyens"]),
    ("particip", "fr", ["budget-participatif"]),
    ("hackathon", "fr", ["hackathon"]),
    ("hackaton", "fr", ["hackathon"]),
    ("partcipatif", "fr", ["budget-participatif"]),
    ("desing", "fr", ["design"]),
    ("open data", "fr", ["open-data"]),
    ("données ouvertes", "fr", ["open-data"]),
    ("donnees ouvertes", "fr", ["open-data"]),
    ("nudge", "fr", ["nudge"]),
    ("coup de pouce", "fr", ["nudge"]),
    ("laboratoire vivant", "fr", ["living-lab"]),
    ("urbanisme transitoire", "fr", ["urbanisme-temporaire"]),
    ("design thinking", "fr", ["design-thinking"]),
    ("tiers lieu", "fr", ["tiers-lieux"]),
    ("participatory budgeting", "en", ["budget-participatif"]),
    ("open data", "en", ["open-data"]),
    ("hackaton", "en", ["hackathon"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "language", "expected"), SAME_ON_BOTH_BACKENDS)
def test_the_reference_queries_find_their_resources_in_the_top_five(
    reference, query, language, expected
):
    found = top_slugs(query, language)
    assert set(expected) <= set(found), found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("budget participatif", "budget-participatif"),
        ("hackathon", "hackathon"),
        ("nudge", "nudge"),
        ("open data", "open-data"),
    ],
)
def test_the_resource_named_by_the_query_comes_first(reference, query, first):
    assert top_slugs(query)[0] == first


@pytest.mark.django_db
def test_glossary_terms_and_cases_are_found_and_counted(reference):
    results = search.search("hackathon", "fr")
    assert "hackathon" in [t.slug for t in results.terms]
    assert "hackathon-codeimpot" in [c.slug for c in results.cases]
    assert results.total == results.resource_count + results.term_count + results.case_count


@pytest.mark.django_db
def test_resource_ids_lists_every_match_best_first(reference):
    ids = search.resource_ids("participatif", "fr")
    assert len(ids) == search.search("participatif", "fr").resource_count
    assert "particip" in Resource.objects.get(pk=ids[0]).title_fr.lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["zzzzqqq", "%%%", "'; DROP TABLE", '"', "*", "NEAR(a b)", "{title}: x", "a:b -c ^d", "((("],
)
def test_absurd_queries_find_nothing_without_error(reference, query):
    assert search.search(query, "fr").total == 0


@pytest.mark.django_db
def test_a_ten_thousand_character_query_is_cut_not_fatal(reference):
    results = search.search("budget participatif " * 500, "fr")
    assert len(results.query) <= 200
    assert "budget-participatif" in [r.slug for r in results.resources]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "de la le", "?!"])
def test_an_empty_query_finds_nothing(reference, query):
    assert search.search(query, "fr").total == 0
    assert search.resource_ids(query, "fr") == []


# The page.


@pytest.mark.django_db
def test_the_page_groups_results_with_their_counts(client, reference):
    response = client.get(reverse("atlas:search"), {"q": "hackathon"})
    results = search.search("hackathon", "fr")
    html = response.content.decode()
    assert f'Ressources <span class="search-group__count">({results.resource_count})' in html
    assert "Termes du glossaire" in html
    assert "Cas <span" in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_matched_words_are_marked_and_titles_escaped(client):
    make_resource("piege", title="<script>alert(1)</script> Fresque")
    html = client.get(reverse("atlas:search"), {"q": "fresque"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Fresque</mark>" in html
    assert "<script>alert" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["zzzzqqq", "%%%", "'; DROP TABLE", "x" * 10_000])
def test_an_absurd_query_shows_no_result_and_suggestions(client, reference, query):
    response = client.get(reverse("atlas:search"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucun résultat" in html
    assert "Pour commencer" in html
    assert reverse("atlas:glossary") in html


@pytest.mark.django_db
def test_an_empty_query_shows_suggestions_not_an_error(client, reference):
    html = client.get(reverse("atlas:search")).content.decode()
    assert "Aucun résultat" not in html
    assert "Pour commencer" in html
    assert reverse("atlas:resource", args=["budget-participatif"]) in html


@pytest.mark.django_db
def test_the_english_page_searches_the_english_texts(client, reference):
    html = client.get("/en/search/", {"q": "participatory"}).content.decode()
    assert "<mark>budgeting</mark>" not in html
    assert "<mark>Participatory</mark> budgeting" in html


@pytest.mark.django_db
def test_the_header_has_a_search_box_on_other_pages(client, reference):
    html = client.get(reverse("atlas:glossary")).content.decode()
    assert 'id="site-search-q"' in html
    assert f'action="{reverse("atlas:search")}"' in html


@pytest.mark.django_db
def test_a_search_that_finds_nothing_says_aucun_resultat(client, reference):
    html = client.get(reverse("atlas:search"), {"q": "zzzzqqq"}).content.decode()
    assert "Aucun résultat pour « zzzzqqq »" in html
    assert "0 résultat" not in html
