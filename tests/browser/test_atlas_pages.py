"""The catalogue, a resource, the glossary and the cases in Chromium, by mouse and keyboard."""

import re

import pytest

from tests.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]

MAX_TABS = 60


def results_heading(page):
    return page.text_content("#results-title").strip()


def never_scrolls_sideways(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_filtering_the_catalogue_with_the_mouse(page):
    page.goto("/carte/ressources/")
    assert results_heading(page) == "84 ressources"
    page.locator("label[for=f-vision-art]").click()
    page.locator("label[for=f-kind-methode]").click()
    page.get_by_role("button", name="Afficher les résultats").click()
    assert re.search(r"kind=methode.*vision=art|vision=art.*kind=methode", page.url)
    assert results_heading(page) == "9 ressources"
    assert page.locator(".resource-card").count() == 9
    assert page.locator("#f-vision-art").is_checked()
    assert never_scrolls_sideways(page)
    assert_accessible(page)

    page.get_by_role("link", name="Retirer le filtre Type : méthode").click()
    assert "kind=" not in page.url and "vision=art" in page.url
    assert results_heading(page) == "23 ressources"


def test_filtering_the_catalogue_with_the_keyboard_alone(page):
    page.goto("/carte/ressources/")
    page.locator("#f-kind-outil").focus()
    page.keyboard.press("Space")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Afficher les résultats":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"kind=outil"))
    count = int(results_heading(page).split()[0])
    assert 0 < count < 84
    assert page.locator(".resource-card").count() == count


def test_a_resource_page_shows_its_sections_and_passes_the_rgaa_rules(page):
    page.goto("/carte/ressources/budget-participatif/")
    headings = page.locator("main h2").all_text_contents()
    assert headings[:4] == [
        "Ce que c’est",
        "Quand l’utiliser, et quand s’en passer",
        "Comment commencer lundi",
        "Controverses et critiques",
    ]
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
    page.goto("/cas/")
    total = int(results_heading(page).split()[0])
    page.locator("label[for=f-period-2015-2019]").click()
    page.get_by_role("button", name="Afficher les cas").click()
    assert "period=2015-2019" in page.url
    assert results_heading(page) == f"{expected} cas"
    assert 0 < expected < total
    assert page.locator("#f-period-2015-2019").is_checked()
    assert never_scrolls_sideways(page)
    assert_accessible(page)

    page.get_by_role("link", name="Retirer le filtre Période : de 2015 à 2019").click()
    assert "period=" not in page.url
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
    assert results_heading(page) == "1 approche pour « tester une idée vite »"
    assert page.locator("#task-tester-idee").is_checked()
    assert "Faisable sans aide extérieure." in page.locator(".finder__fits").text_content()
    assert never_scrolls_sideways(page)
    assert_accessible(page)
