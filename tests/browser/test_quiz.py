"""Taking the style quiz in Chromium, with the mouse and with the keyboard alone, at both sizes."""

import re

import pytest

from sonar.quiz import data
from tests.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]


@pytest.fixture(autouse=True)
def _fresh_read_model():
    # The database is flushed between tests: ids and revision numbers come back the same.
    data.forget()


# Four answers for usages, two for hybride: the expected profile is « Usages ».
USAGES = [
    "L’immersion sur le terrain pour comprendre les usages",
    "Vous demandez à votre équipe de maîtrise d’œuvre",
    "Vous menez une enquête sur le bien-être au travail",
    "Vous allez à la rencontre des non-usagers pour comprendre leurs réticences",
    "Les institutions et partenaires privés du territoire",
    "L’administration c’est comme un parachute",
]
# Position of each of those choices in its question (0-based), for the keyboard.
USAGES_POSITIONS = [3, 2, 2, 1, 0, 0]


def test_taking_the_quiz_with_the_mouse_gives_the_expected_profile(page):
    page.goto("/diagnostic/style/")
    page.get_by_role("link", name="Commencer le test").click()
    for number, choice in enumerate(USAGES, start=1):
        assert f"Question {number} sur 6" in page.text_content(".progress")
        page.get_by_text(choice).click()
        page.get_by_role("button", name=re.compile("Question suivante|Voir mon résultat")).click()
    assert page.text_content("h1").strip().endswith("Usages")
    assert "Le profil « Usages » l’emporte : 4 réponses sur 6" in page.text_content(".lead")


def test_going_back_shows_the_answer_already_given(page):
    page.goto("/diagnostic/style/question/1/")
    page.get_by_text(USAGES[0]).click()
    page.get_by_role("button", name="Question suivante").click()
    page.get_by_role("link", name="Retour").click()
    assert page.get_by_label(USAGES[0]).is_checked()
    page.reload()
    assert page.get_by_label(USAGES[0]).is_checked()


def tab_to(page, selector, limit=60):
    """Press Tab until the focused element matches `selector`, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"« {selector} » jamais atteint au clavier")


def test_taking_the_quiz_with_the_keyboard_alone_gives_the_expected_profile(page):
    page.goto("/diagnostic/style/")
    tab_to(page, "a.button")
    page.keyboard.press("Enter")
    for number, position in enumerate(USAGES_POSITIONS, start=1):
        page.wait_for_url(re.compile(f"/question/{number}/$"))
        tab_to(page, "input[name=choice]")
        page.keyboard.press("Space")
        for _ in range(position):
            page.keyboard.press("ArrowDown")
        tab_to(page, "button[type=submit]")
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/resultat/"))
    assert page.text_content("h1").strip().endswith("Usages")


def test_every_quiz_page_passes_the_rgaa_rules(page):
    page.goto("/diagnostic/style/")
    assert_accessible(page)

    page.goto("/diagnostic/style/question/1/")
    assert_accessible(page)

    page.get_by_role("button", name="Question suivante").click()
    assert "Il y a un problème" in page.text_content(".error-summary")
    assert_accessible(page)

    for choice in USAGES:
        page.get_by_text(choice).click()
        page.get_by_role("button", name=re.compile("Question suivante|Voir mon résultat")).click()
    page.wait_for_url(re.compile("/resultat/"))
    assert_accessible(page)

    # The share link is absolute (SONAR_BASE_URL); follow its path on the test server.
    share = page.locator("#share-link").input_value()
    page.goto("/diagnostic/" + share.split("/diagnostic/", 1)[1])
    assert "Pourquoi ce résultat" not in page.text_content("main")
    assert_accessible(page)


# The maturity diagnostic: the same engine, a stage on a ladder. Ranks 2 3 3 4 2 5 3 1 4 3 have
# the lower median 3, « Équipage formé ».
MATURITY_RANKS = [2, 3, 3, 4, 2, 5, 3, 1, 4, 3]


def test_taking_the_maturity_diagnostic_gives_a_stage_on_an_accessible_ladder(page):
    page.goto("/diagnostic/maturity/")
    assert "Ajout Sonar" in page.text_content("main")
    assert_accessible(page)
    page.get_by_role("button", name="Commencer le test").click()
    for number, rank in enumerate(MATURITY_RANKS, start=1):
        assert f"Question {number} sur 10" in page.text_content(".progress")
        if number == 1:
            assert_accessible(page)
        # The choices are shuffled for each respondent: pick by key (« equipe-2 »), not place.
        page.locator(f'.radios__item label[for$="-{rank}"]').click()
        page.get_by_role("button", name=re.compile("Question suivante|Voir mon résultat")).click()
    page.wait_for_url(re.compile("/resultat/"))
    assert page.text_content("h1").strip() == "Équipage formé"
    assert "Étape 3 sur 5" in page.text_content(".quiz-rank")
    current = page.locator('.quiz-ladder [aria-current="step"]')
    assert "Équipage formé" in current.text_content()
    assert "Vous êtes ici" in current.text_content()
    assert page.locator(".quiz-ladder__step").count() == 5
    practices = page.get_by_role("region", name="Votre profil, pratique par pratique")
    assert practices.locator("li").count() == 10
    assert "Étape 2 sur 5 : Premières sorties" in practices.locator("li").first.text_content()
    assert_accessible(page)

    share = page.locator("#share-link").input_value()
    page.goto("/diagnostic/" + share.split("/diagnostic/", 1)[1])
    assert "Étape 3 sur 5" in page.text_content("main")
    assert_accessible(page)
