"""A team's logbook in Chromium, on a phone and a desktop: create a project, set its stage,
adopt the trajectory, log an experiment (after a mistake), tick a milestone, share, export.
Every page is checked with axe (RGAA rules)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from sonar.quiz import data
from tests.conftest import assert_accessible
from tests.factories import UserFactory
from tests.logbook.conftest import resource, stages, styles, trajectory  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_read_model():
    data.forget()


def log_in(page, user):
    """The browser carries a session of `user`, as after logging in."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "sonar.accounts.backends.AccountBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
          "url": page.base_url}]
    )  # fmt: skip


@pytest.fixture
def agent(db):
    return UserFactory(email="anne@exemple-metropole.fr", name="Anne Martin")


@pytest.mark.usefixtures("stages", "styles", "trajectory", "resource")
def test_a_team_keeps_its_logbook_from_creation_to_export(page, agent):
    log_in(page, agent)
    page.goto("/carnets/")
    assert_accessible(page)
    page.get_by_role("link", name="Créer un projet").click()
    assert_accessible(page)
    page.get_by_label("Titre du projet").fill("Accueil des nouveaux habitants")
    page.locator("label", has_text="Un service").click()
    page.get_by_label("De quoi s’agit-il").fill("Un seul rendez-vous pour toutes les démarches.")
    page.get_by_role("button", name="Créer le projet").click()
    assert page.text_content("h1").strip() == "Accueil des nouveaux habitants"
    assert_accessible(page)

    # The stage, chosen by hand.
    page.get_by_role("link", name="Étape et style").click()
    assert_accessible(page)
    page.get_by_label("Étape", exact=True).select_option("a-quai")
    page.get_by_role("button", name="Enregistrer").click()
    assert "L’étape" in page.text_content("main") or "Position du projet" in page.text_content(
        "main"
    )

    # The trajectory Sonar proposes, adopted; a milestone ticked.
    page.get_by_role("link", name="Trajectoire", exact=True).click()
    page.wait_for_url(re.compile(r"/trajectoire/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Adopter cette trajectoire").click()
    assert page.locator(".logbook__step").count() == 2
    page.get_by_role(
        "button", name=re.compile("Marquer comme franchie.*Choisir un problème concret")
    ).click()
    assert "par Anne Martin" in page.text_content(".logbook__step--done")
    page.get_by_role("button", name=re.compile("Monter.*Obtenir un soutien")).click()
    assert "Obtenir un soutien" in page.locator(".logbook__step-title").first.text_content()
    assert_accessible(page)

    # An experiment: an empty hypothesis first, then the right one; nothing typed is lost.
    page.get_by_role("link", name="Carnet", exact=True).click()
    page.get_by_role("link", name="Noter une expérience").click()
    assert_accessible(page)
    page.locator("label[for=id_audiences_0]").click()
    page.get_by_label("Ce que nous avons appris").fill("Vingt minutes, pas quinze.")
    page.get_by_role("button", name="Enregistrer l’expérience").click()
    assert "Écrivez l’hypothèse" in page.text_content(".error-summary")
    assert page.get_by_label("Ce que nous avons appris").input_value() == (
        "Vingt minutes, pas quinze."
    )
    assert page.get_by_label("Usagers", exact=True).is_checked()
    assert_accessible(page)
    page.get_by_label("Hypothèse").fill("Un rendez-vous court suffit.")
    page.get_by_label("Méthode utilisée").select_option("design-de-service")
    page.locator("label", has_text="Ajuster").click()
    page.get_by_role("button", name="Enregistrer l’expérience").click()
    assert page.text_content("h1").strip() == "Un rendez-vous court suffit."
    assert_accessible(page)

    # The timeline, the history, the team page and its share link.
    page.get_by_role("link", name="Accueil des nouveaux habitants").click()
    timeline = page.text_content(".logbook__timeline")
    assert "Balise franchie" in timeline and "Un rendez-vous court suffit." in timeline
    page.get_by_role("link", name="Historique").click()
    assert_accessible(page)
    page.get_by_role("link", name="Équipe et partage").click()
    assert_accessible(page)
    page.get_by_role("button", name="Créer un lien de partage").click()
    share_url = page.get_by_role("textbox", name="Lien de partage").input_value()

    # Exports.
    page.get_by_role("link", name="Carnet", exact=True).click()
    with page.expect_download() as markdown:
        page.get_by_role("link", name="Texte Markdown (.md)").click()
    text = Path(markdown.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Accueil des nouveaux habitants")
    assert "Un rendez-vous court suffit." in text
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Document PDF").click()
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")

    # The share link, logged out: read-only, without e-mail addresses.
    page.context.clear_cookies()
    page.page.goto(share_url)
    assert page.text_content("h1").strip() == "Accueil des nouveaux habitants"
    assert "anne@exemple-metropole.fr" not in page.content()
    assert page.get_by_role("button", name="Noter une expérience").count() == 0
    assert_accessible(page)


def test_someone_outside_the_team_cannot_open_the_logbook(page, agent):
    from sonar.logbook import actions

    project, _created = actions.create_project(
        agent, "cle-du-projet-prive-123", title="Projet privé", kind="policy", about="Secret."
    )
    log_in(page, UserFactory(email="autre@exemple-metropole.fr"))
    response = page.goto(f"/carnets/{project.pk}/")
    assert response.status == 404
    assert "Projet privé" not in page.content()
    assert_accessible(page)
