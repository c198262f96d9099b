"""Trajectories in Chromium, on a phone and a desktop: the ladder, a trajectory, "you are here"."""

import pytest

from tests.conftest import assert_accessible
from tests.journeys.conftest import make_result

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]


def test_the_ladder_leads_to_a_trajectory(page):
    page.goto("/trajectoires/")
    assert page.text_content("h1").strip() == "Trajectoires"
    assert page.locator(".journeys-ladder__step").count() == 5
    assert_accessible(page)
    page.get_by_role("link", name="Équipage formé").click()
    assert page.text_content("h1").strip() == "Équipage formé"


def test_a_trajectory_page_is_accessible_and_links_to_its_neighbours(page):
    page.goto("/trajectoires/premieres-sorties/")
    assert page.locator("blockquote").count() >= 1
    assert_accessible(page)
    page.get_by_role("link", name="Étape suivante").click()
    assert page.text_content("h1").strip() == "Équipage formé"


def test_you_are_here_shows_what_the_team_lacks(page):
    maturity = make_result("maturity", ["a-quai"])
    style = make_result("style", ["technique"])
    page.goto(f"/trajectoires/vous-etes-ici/{maturity.token}/?style={style.token}")
    assert "À quai" in page.text_content("h1")
    assert page.locator(".journeys-missing").count() == 3
    assert_accessible(page)


def test_you_are_here_without_a_style_invites_to_the_style_quiz(page):
    maturity = make_result("maturity", ["flottille"])
    page.goto(f"/trajectoires/vous-etes-ici/{maturity.token}/")
    assert_accessible(page)
    page.get_by_role("link", name="Faire le test de style").click()
    assert "/diagnostic/style/" in page.url
