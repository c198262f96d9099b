"""The sea chart in Chromium, at 375 px and 1280 px: accessible, keyboard, zoom, no JavaScript."""

import pytest

from tests.atlas.test_map import synthetic_resources
from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIBLE_CHART = ".seachart__viewport:visible svg"

# Boxes of the labels shown, and whether the point at the centre of each node hits that node.
MEASURE = """() => {
  const svg = Array.from(document.querySelectorAll('.seachart__svg'))
    .find(s => s.getBoundingClientRect().width > 0);
  svg.scrollIntoView({block: 'center'});
  const labels = Array.from(svg.querySelectorAll('text.seachart__label'))
    .filter(t => !t.closest('.seachart__hover'))
    .map(t => { const r = t.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom,
                                                             t.textContent.trim()]; });
  const missed = Array.from(svg.querySelectorAll('a.seachart__node')).filter(a => {
    const r = a.querySelector('.seachart__mark').getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return !hit || hit.closest('a') !== a;
  }).map(a => a.dataset.slug);
  return {labels, missed, width: document.documentElement.scrollWidth};
}"""


@pytest.fixture
def reference(reference_content):
    return reference_content


@pytest.mark.parametrize("path", ["/carte/", "/carte/?selection=hackathon&vision=technologie"])
def test_the_map_passes_the_rgaa_rules(page, reference, path):
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page)


@pytest.mark.parametrize("resources", ["reference", "synthetic-300"])
def test_shown_labels_never_overlap_and_every_node_can_be_clicked(page, db, resources):
    if resources == "reference":
        from sonar.core import content

        content.load()
    else:
        synthetic_resources(300)
    page.goto("/carte/")
    found = page.evaluate(MEASURE)
    assert found["width"] <= page.viewport_size["width"]
    assert found["missed"] == []
    labels = found["labels"]
    assert labels
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            overlap = (
                a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
            )
            assert not overlap, (a[4], b[4])


def test_tab_reaches_the_nodes_and_enter_selects_one(page, reference):
    page.goto("/carte/")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('seachart__node')"):
            break
    else:
        pytest.fail("Tab never reached a node of the chart")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    slug = page.evaluate("document.activeElement.dataset.slug")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/carte/?selection={slug}#carte")
    assert name.startswith(page.text_content("#panneau-titre").strip())
    assert (
        page.locator(f"{VISIBLE_CHART} a[aria-current='true']").get_attribute("data-slug") == slug
    )


def test_the_zoom_buttons_zoom_in_and_reset(page, reference):
    page.goto("/carte/")
    chart = page.locator(VISIBLE_CHART)
    full = chart.get_attribute("viewBox")
    page.get_by_role("button", name="Zoomer", exact=True).click()
    zoomed = chart.get_attribute("viewBox")
    assert float(zoomed.split()[2]) < float(full.split()[2])
    page.get_by_role("button", name="Dézoomer").click()
    page.get_by_role("button", name="Recentrer").click()
    assert chart.get_attribute("viewBox").split()[2:] == full.split()[2:]


def test_dragging_the_zoomed_chart_moves_it_without_selecting_a_node(page, reference):
    page.goto("/carte/")
    page.get_by_role("button", name="Zoomer", exact=True).click()
    viewport = page.locator(".seachart__viewport:visible")
    viewport.scroll_into_view_if_needed()
    before = viewport.locator("svg").get_attribute("viewBox").split()
    box = viewport.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 4, box["y"] + box["height"] / 3, steps=6)
    page.mouse.up()
    after = viewport.locator("svg").get_attribute("viewBox").split()
    assert float(after[0]) > float(before[0])
    assert "selection=" not in page.url


def test_the_keyboard_zooms_and_pans_the_chart(page, reference):
    page.goto("/carte/")
    chart = page.locator(VISIBLE_CHART)
    page.locator(".seachart__viewport:visible").focus()
    page.keyboard.press("+")
    before = chart.get_attribute("viewBox").split()
    page.keyboard.press("ArrowRight")
    after = chart.get_attribute("viewBox").split()
    assert float(after[0]) > float(before[0])


def test_the_map_works_without_javascript(browser, live_server, reference):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.goto(live_server.url + "/carte/?vision=democratie")
    assert not page.locator(".seachart__tools").is_visible()
    node = page.locator(".seachart__viewport:visible a.seachart__node").first
    slug = node.get_attribute("data-slug")
    node.click()
    page.wait_for_url(f"**/carte/?vision=democratie&selection={slug}#carte")
    assert page.locator(".seachart__panel h2").is_visible()
    page.get_by_role("link", name="Voir la liste").click()
    page.wait_for_url("**/carte/ressources/?vision=democratie")
    context.close()


def test_a_keyboard_user_can_pass_the_chart_in_one_step(page, reference):
    page.goto("/carte/")
    page.locator(".seachart__skip").focus()
    assert page.locator(".seachart__skip").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "panneau"


def test_a_crowded_chart_shows_circles_that_can_be_clicked_and_lead_to_their_list(page, db):
    synthetic_resources(1500)
    page.goto("/carte/?selection=synthetique-5")
    found = page.evaluate(MEASURE)
    assert found["width"] <= page.viewport_size["width"]
    assert found["missed"] == []
    labels = found["labels"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            overlap = (
                a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
            )
            assert not overlap, (a[4], b[4])
    assert page.locator(".seachart__grouped:visible").count() == 1
    assert_accessible(page)
    page.goto("/carte/")
    circle = page.locator(f"{VISIBLE_CHART} a.seachart__group").first
    count = circle.locator(".seachart__tally").first.text_content().replace("\xa0", "")
    circle.click()
    page.wait_for_url("**/carte/ressources/?focus=*&maturity=*")
    assert f"({count} résultats)" in page.title()
