import pytest

from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORE_PAGES = [
    "/",
    "/en/",
    "/a-propos/",
    "/accessibilite/",
    "/confidentialite/",
    "/mentions-legales/",
]

# Enough Tab presses to walk through the longest core page from top to bottom.
MAX_TABS = 80


@pytest.mark.parametrize("path", CORE_PAGES)
def test_page_passes_the_rgaa_rules(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


def test_unknown_page_is_a_french_404_that_passes_the_rgaa_rules(page):
    response = page.goto("/nulle-part/")
    assert response.status == 404
    assert "Page introuvable" in page.text_content("h1")
    assert_accessible(page)


@pytest.mark.parametrize("path", [*CORE_PAGES, "/nulle-part/"])
def test_page_never_scrolls_sideways(page, path):
    page.goto(path)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= page.viewport_size["width"]


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0, "the focused skip link must be on screen"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def _tab_through(page):
    """Press Tab until focus leaves the page; return what each stop looked like."""
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (!el || el === document.body) return null;
                const style = getComputedStyle(el);
                return {
                    href: el.getAttribute("href"),
                    outlineStyle: style.outlineStyle,
                    outlineWidth: parseFloat(style.outlineWidth),
                };
            }"""
        )
        if stop is None or (stops and stop == stops[0]):
            break
        stops.append(stop)
    return stops


@pytest.mark.parametrize("path", ["/", "/a-propos/"])
def test_every_header_and_footer_link_is_reached_with_tab_and_shows_its_focus(page, path):
    page.goto(path)
    expected = page.eval_on_selector_all(
        "header.site-header a, footer.site-footer a",
        "links => links.map(a => a.getAttribute('href'))",
    )
    menu = page.locator("summary.site-menu__button")
    if menu.is_visible():
        # On a phone the sections sit behind the menu button: open it, then walk from the top.
        menu.press("Enter")
        page.focus("a.skip-link")
    stops = _tab_through(page)
    reached = {stop["href"]: stop for stop in stops}

    missing = [href for href in expected if href not in reached]
    assert not missing, f"unreachable with Tab: {missing}"
    for href in expected:
        focus = reached[href]
        assert focus["outlineStyle"] != "none", f"no visible focus on {href}"
        assert focus["outlineWidth"] >= 2, f"focus outline too thin on {href}"


def test_language_switch_leads_to_the_same_page_in_english(page):
    page.goto("/a-propos/")
    assert page.get_attribute("html", "lang") == "fr"

    page.open_menu()
    page.click(".lang-switch a[hreflang='en']")
    page.wait_for_load_state()

    assert page.url.endswith("/en/about/")
    assert page.get_attribute("html", "lang") == "en"
