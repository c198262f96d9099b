import pytest

from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/recherche/?q=participatif", "/recherche/?q=zzzzqqq"])
def test_search_page_passes_the_rgaa_rules(page, reference_content, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_the_header_box_searches_from_any_page(page, reference_content):
    page.goto("/")
    page.open_menu()
    page.fill("#site-search-q", "données ouvertes")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche/?q=*")
    assert "Données ouvertes (open data)" in page.text_content("#search-results")


def test_results_follow_the_words_as_they_are_typed(page, reference_content):
    page.goto("/recherche/")
    page.locator("#search-q").press_sequentially("parti", delay=60)
    results = page.locator("#search-results")
    results.locator("[data-search-status]", has_text="parti").wait_for()
    titles = results.locator(".search-hit__title a")
    assert "Budget participatif" in titles.all_text_contents()
    assert titles.first.locator("mark").first.text_content().lower().startswith("parti")
    assert "q=parti" in page.url
    assert_accessible(page)
