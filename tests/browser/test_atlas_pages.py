"""The catalogue, a resource, the glossary and the cases in Chromium, by mouse and keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]


def results_heading(page):
    return page.text_content("#results-title").strip()


def never_scrolls_sideways(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def resources(count):
    return f"{count} ressource" if count == 1 else f"{count} ressources"


def catalogue_count(**selected):
    """How many resources the catalogue shows for these filters, from the content itself."""
    from sonar.atlas.models import Resource

    return Resource.objects.filtered(**selected).count()


def cards_shown(count):
    from sonar.atlas.data import PAGE_SIZE

    return min(count, PAGE_SIZE)


def filters_are_folded(page):
    """On a phone the filters fold behind "Filtrer (n)"; on a wide screen they are open."""
    return (
        page.locator(".facets__toggle").is_visible()
        and not page.locator("details.facets__fold[open]").count()
    )


def test_filtering_the_catalogue_with_the_mouse(page):
    total = catalogue_count()
    with_art = catalogue_count(vision=["art"])
    expected = catalogue_count(vision=["art"], kind=["methode"])
    assert 0 < expected < with_art < total
    page.goto("/carte/ressources/")
    assert results_heading(page) == resources(total)
    if filters_are_folded(page):
        page.locator(".facets__toggle").click()
    # With JavaScript each tick updates the results and the address: no button to press.
    assert not page.get_by_role("button", name="Afficher les résultats").is_visible()
    page.locator("label[for=f-vision-art]").click()
    page.wait_for_url(re.compile(r"vision=art"))
    expect(page.locator("#results-title")).to_have_text(resources(with_art))
    page.locator("label[for=f-kind-methode]").click()
    page.wait_for_url(re.compile(r"kind=methode.*vision=art|vision=art.*kind=methode"))
    expect(page.locator("#results-title")).to_have_text(resources(expected))
    expect(page.locator(".resource-card")).to_have_count(cards_shown(expected))
    assert page.locator("#f-vision-art").is_checked()
    assert never_scrolls_sideways(page)
    assert_accessible(page)

    page.get_by_role("link", name="Retirer le filtre Type : méthode").click()
    page.wait_for_url(lambda url: "kind=" not in url and "vision=art" in url)
    assert results_heading(page) == resources(with_art)


def test_filtering_the_catalogue_with_the_keyboard_alone(page):
    total = catalogue_count()
    expected = catalogue_count(kind=["outil"])
    assert 0 < expected < total
    page.goto("/carte/ressources/")
    if filters_are_folded(page):
        # On a phone, the keyboard opens the fold first.
        page.locator(".facets__toggle").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#f-kind-outil")).to_be_visible()
    page.locator("#f-kind-outil").focus()
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"kind=outil"))
    expect(page.locator("#results-title")).to_have_text(resources(expected))
    expect(page.locator(".resource-card")).to_have_count(cards_shown(expected))
    expect(page.locator("#f-kind-outil")).to_be_checked()
    # The update leaves the focus on the box, and the status line says how many there are.
    expect(page.locator("#f-kind-outil")).to_be_focused()
    expect(page.locator("[data-live-status]")).to_have_text(resources(expected))
    # Space again unticks it: the whole catalogue is back.
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: "kind=" not in url)
    expect(page.locator("#results-title")).to_have_text(resources(total))


def test_a_resource_page_shows_its_sections_and_passes_the_rgaa_rules(page):
    page.goto("/carte/ressources/budget-participatif/")
    headings = [h.strip() for h in page.locator("main h2").all_text_contents()]
    # The order /work/shared/CONTENT.md prescribes ("A resource, in order"). "En pratique" (the
    # time, cost and help it takes) completes "Comment commencer lundi"; the side column
    # (place on the map, related resources, cases, sources) follows the reading.
    assert [h for h in headings if h != "En pratique"][:4] == [
        "Ce que c’est",
        "Quand l’utiliser, et quand s’en passer",
        "Comment commencer lundi",
        "Controverses et critiques",
    ]
    if "En pratique" in headings:
        assert headings.index("En pratique") == headings.index("Comment commencer lundi") + 1
    assert headings.index("Sa place sur la carte") > headings.index("Controverses et critiques")
    assert never_scrolls_sideways(page)
    assert_accessible(page)


def test_a_glossary_term_opens_its_definition_in_place_by_keyboard(page, viewport):
    page.goto("/carte/ressources/laboratoire-d-innovation-publique/")
    term = page.locator("details.gloss").first
    definition = term.locator(".gloss__definition")
    assert not definition.is_visible()
    term.locator("summary").focus()
    page.keyboard.press("Enter")
    assert term.get_attribute("open") is not None
    assert definition.is_visible()
    assert term.get_by_role("link").is_visible()
    assert never_scrolls_sideways(page)
    page.screenshot(path=f"/tmp/atlas-gloss-{viewport['width']}.png")
    assert_accessible(page)
    page.keyboard.press("Enter")
    assert not definition.is_visible()


@pytest.mark.parametrize("path", ["/glossaire/", "/glossaire/capacitation/", "/cas/"])
def test_the_glossary_and_case_pages_pass_the_rgaa_rules(page, path):
    assert page.goto(path).status == 200
    assert never_scrolls_sideways(page)
    assert_accessible(page)


def test_filtering_the_cases_by_period_with_the_mouse(page):
    from sonar.atlas.models import Case

    expected = Case.objects.filtered(period=["2015-2019"]).count()
    total = Case.objects.count()
    assert 0 < expected < total
    page.goto("/cas/")
    assert results_heading(page) == f"{total} cas"
    if filters_are_folded(page):
        page.locator(".facets__toggle").click()
    # With JavaScript the tick updates the cases and the address: no button to press.
    assert not page.get_by_role("button", name="Afficher les cas").is_visible()
    page.locator("label[for=f-period-2015-2019]").click()
    page.wait_for_url(re.compile(r"period=2015-2019"))
    expect(page.locator("#results-title")).to_have_text(f"{expected} cas")
    assert page.locator("#f-period-2015-2019").is_checked()
    assert never_scrolls_sideways(page)
    assert_accessible(page)

    page.get_by_role("link", name="Retirer le filtre Période : de 2015 à 2019").click()
    page.wait_for_url(lambda url: "period=" not in url)
    assert results_heading(page) == f"{total} cas"


def test_a_resource_and_a_case_with_every_structured_field_pass_the_rgaa_rules(page):
    from tests.atlas.conftest import make_case, make_resource

    resource = make_resource(
        "fiche-complete",
        tasks=" tester-idee mesurer-effet ",
        cost=2,
        duration="mois",
        group_size="moyen",
        political_sensitivity="forte",
        outside_help="utile",
    )
    make_case(
        "cas-complet",
        [resource],
        period_start=2016,
        period_end=2019,
        collectivite_type="metropole",
        population="200000-1000000",
        themes=" participation evaluation ",
        budget_fr="40 000 euros.",
        results_fr="Trois services changés.",
        did_not_work_fr="Le suivi s’est arrêté avec l’équipe.",
    )
    for path in ("/carte/ressources/fiche-complete/", "/cas/cas-complet/"):
        assert page.goto(path).status == 200
        assert never_scrolls_sideways(page)
        assert_accessible(page)
    assert "Ce qui n’a pas marché" in page.locator("main").all_text_contents()[0]


def test_finding_a_method_for_a_task_with_the_keyboard_and_the_rgaa_rules(page):
    from sonar.atlas.finder import Question, find
    from tests.atlas.conftest import make_resource

    make_resource(
        "essai-rapide",
        title_fr="Essai rapide",
        tasks=" tester-idee ",
        cost=1,
        duration="jours",
        outside_help="non",
    )
    make_resource("essai-long", title_fr="Essai long", tasks=" tester-idee ", cost=3)
    page.goto("/carte/trouver/")
    assert_accessible(page)
    page.locator("#task-tester-idee").focus()
    page.keyboard.press("Space")
    page.locator("label[for=cost-1]").click()
    page.get_by_role("button", name="Voir les approches qui conviennent").click()
    page.wait_for_url(re.compile(r"task=tester-idee.*cost=1"))
    # As many as the finder's own rules give on the current content (sonar/atlas/finder.py).
    fits = len(find(Question(task="tester-idee", cost=1)).fits)
    assert fits >= 1
    approaches = "approche" if fits == 1 else "approches"
    assert results_heading(page) == f"{fits} {approaches} pour « tester une idée vite »"
    assert page.locator("#task-tester-idee").is_checked()
    assert "Faisable sans aide extérieure." in page.locator(".finder__fits").text_content()
    assert never_scrolls_sideways(page)
    assert_accessible(page)
