"""The catalogue's filters: each tick updates the results, the counts and the address; on a
phone they fold behind "Filtrer (n)"; without JavaScript the button sends them."""

import re

import pytest

from tests.conftest import Page, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]

URL = "/carte/ressources/"


def result_count(page):
    return int(re.search(r"\d+", page.text_content("#results-title")).group())


def open_filters(page):
    toggle = page.locator(".facets__toggle")
    if toggle.is_visible():
        assert re.fullmatch(r"Filtrer( \(\d+\))?", toggle.text_content().strip())
        toggle.click()


def test_a_tick_updates_results_counts_and_address_without_a_button(page):
    page.goto(URL)
    before = result_count(page)
    open_filters(page)
    assert not page.get_by_role("button", name="Afficher les résultats").is_visible()
    methode = page.locator("#f-kind-methode")
    expected = int(re.search(r"\d+", methode.locator("xpath=..").text_content()).group())
    art_count = page.locator("#f-vision-art ~ label .check__count")
    art_before = art_count.text_content()
    page.locator("label[for=f-kind-methode]").click()
    page.wait_for_url(re.compile(r"kind=methode"))
    page.wait_for_function(
        f"!document.querySelector('#results-title').textContent.includes('{before}')"
    )
    assert result_count(page) == expected < before
    assert art_count.text_content() != art_before
    assert str(expected) in page.text_content("[data-live-status]")
    assert_accessible(page)


def test_on_a_phone_the_filters_fold_behind_a_button_that_counts_them(page):
    if page.viewport_size["width"] > 600:
        pytest.skip("the filters fold on a phone only")
    page.goto(URL + "?kind=methode&vision=art")
    toggle = page.locator(".facets__toggle")
    assert toggle.text_content().strip() == "Filtrer (2)"
    assert not page.locator("#f-kind-methode").is_visible()
    assert page.locator(".resource-card").first.bounding_box()["y"] < 2 * 667


def test_without_javascript_the_button_sends_the_filters(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 667}, java_script_enabled=False)
    page = Page(context.new_page(), live_server.url)
    page.goto(URL)
    open_filters(page)
    page.locator("label[for=f-kind-methode]").click()
    button = page.get_by_role("button", name="Afficher les résultats")
    assert button.is_visible()
    button.click()
    page.wait_for_url(re.compile(r"kind=methode"))
    assert page.locator(".facets__toggle").text_content().strip() == "Filtrer (1)"
    context.close()
