"""On a 375×667 phone: a compact header whose menu works without JavaScript, and the main
action of the home page and of every built-in quiz and maturity question in the first screen."""

import pytest

from sonar.quiz import data
from sonar.quiz.models import Questionnaire
from tests.conftest import Page, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]

PHONE = {"width": 375, "height": 667}


@pytest.fixture(autouse=True)
def _fresh_read_model():
    data.forget()


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(browser, live_server, request):
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=request.param)
    wrapped = Page(context.new_page(), live_server.url)
    wrapped.scripts = request.param
    wrapped.set_default_timeout(10_000)
    yield wrapped
    context.close()
    assert not wrapped.problems, "\n".join(wrapped.problems)


def in_first_screen(page, locator):
    """The element is on the first screen, not scrolled, and nothing covers its centre."""
    assert page.evaluate("window.scrollY") == 0
    box = locator.bounding_box()
    assert box is not None, "l’élément n’est pas affiché"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return locator.evaluate(
        "(el, [x, y]) => el.contains(document.elementFromPoint(x, y))", list(centre)
    )


def test_the_header_is_one_short_row_and_its_menu_opens_without_javascript(phone):
    phone.goto("/")
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] <= 0.15 * PHONE["height"]
    search = phone.locator("#site-search-q")
    assert not search.is_visible()
    phone.get_by_text("Menu", exact=True).click()
    assert search.is_visible()
    assert phone.get_by_role("link", name="Se connecter").is_visible()
    assert phone.get_by_role("link", name="Trajectoires").is_visible()
    if phone.scripts:  # axe runs in the page
        assert_accessible(phone)
    search.fill("usager")
    search.press("Enter")
    phone.wait_for_url("**/recherche/**")


def test_the_sign_in_link_has_no_stray_border_on_its_left(phone):
    phone.goto("/")
    width = phone.evaluate(
        "getComputedStyle(document.querySelector('.site-nav__account')).borderLeftWidth"
    )
    assert width == "0px"


def test_the_home_page_shows_its_main_action_in_the_first_screen(phone):
    phone.goto("/")
    assert in_first_screen(phone, phone.get_by_role("link", name="Faire le diagnostic").first)


@pytest.mark.parametrize("key", ["style", "maturity"])
def test_every_question_shows_its_button_in_the_first_screen(phone, key):
    total = Questionnaire.objects.get(key=key).questions.count()
    assert total >= 6
    phone.goto(f"/diagnostic/{key}/question/1/")
    for number in range(1, total + 1):
        assert f"Question {number} sur {total}" in phone.text_content(".progress")
        label = "Voir mon résultat" if number == total else "Question suivante"
        button = phone.get_by_role("button", name=label)
        assert in_first_screen(phone, button), f"question {number}"
        if number == 1 and phone.scripts:
            assert_accessible(phone)
        phone.locator(".radios__item label").last.click()
        button.click()
        phone.wait_for_load_state("load")
