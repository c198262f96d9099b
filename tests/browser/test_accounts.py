"""An account in Chromium at both sizes: sign up, open the link from the e-mail, choose a
password and be signed in, log in again, create an organisation, invite a colleague; every page
passes axe (RGAA rules)."""

import re

import pytest
from django.core import mail

from tests.conftest import assert_accessible
from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def email_path(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_a_new_user_signs_up_confirms_and_creates_an_organisation(page):
    page.goto("/")
    page.open_menu()
    page.get_by_role("link", name="Se connecter").click()
    assert_accessible(page)
    page.get_by_role("link", name="Créer un compte").click()
    assert_accessible(page)

    # A mistyped address first: a message, and what was typed is kept.
    page.fill("#id_email", "anne@ville")
    page.get_by_role("button", name="Recevoir le lien").click()
    assert "Saisissez une adresse électronique valide" in page.text_content(".error-summary")
    assert page.input_value("#id_email") == "anne@ville"
    assert_accessible(page)

    page.fill("#id_email", "anne@ville.fr")
    page.get_by_role("button", name="Recevoir le lien").click()
    assert "Vérifiez votre messagerie" in page.text_content("h1")
    assert_accessible(page)

    # The link opens a page where the holder of the address chooses her password;
    # mismatched passwords first: a message, and the name typed is kept.
    [message] = mail.outbox
    page.goto(email_path(message))
    assert_accessible(page)
    page.fill("#id_name", "Anne Martin")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD + " !")
    page.get_by_role("button", name="Confirmer mon adresse").click()
    assert "Les deux mots de passe ne sont pas identiques." in page.text_content(".error-summary")
    assert page.input_value("#id_name") == "Anne Martin"
    assert_accessible(page)

    # Confirming signs her in.
    page.fill("#id_password2", PASSWORD)
    page.get_by_role("button", name="Confirmer mon adresse").click()
    assert "Votre adresse est confirmée" in page.text_content("main")
    assert page.text_content("h1").strip() == "Mon compte"
    page.open_menu()
    assert page.get_by_role("button", name="Se déconnecter").is_visible()
    assert_accessible(page)

    # Her password opens the account next time.
    page.open_menu()
    page.get_by_role("button", name="Se déconnecter").click()
    page.goto("/compte/connexion/")
    page.fill("#id_username", "anne@ville.fr")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    assert page.text_content("h1").strip() == "Mon compte"

    page.get_by_role("link", name="Créer une organisation").click()
    assert_accessible(page)
    page.fill("#id_name", "Lab 42")
    page.locator("label", has_text="Laboratoire d’innovation").click()
    page.get_by_role("button", name="Créer l’organisation").click()
    assert page.text_content("h1").strip() == "Lab 42"
    assert "Vous en êtes administrateur." in page.text_content("main")
    assert_accessible(page)

    page.fill("#id_email", "bruno@ville.fr")
    page.get_by_role("button", name="Envoyer l’invitation").click()
    assert "Invitation envoyée à bruno@ville.fr." in page.text_content("main")
    assert_accessible(page)

    page.open_menu()
    page.get_by_role("button", name="Se déconnecter").click()
    page.open_menu()
    assert page.get_by_role("link", name="Se connecter").is_visible()


def test_account_pages_pass_axe(page):
    membership = MembershipFactory(admin=True, user__email="anne@ville.fr")
    page.goto("/compte/connexion/")
    page.fill("#id_username", "anne@ville.fr")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Se connecter").click()
    for path in (
        "/compte/mot-de-passe/changer/",
        "/compte/supprimer/",
        membership.organisation.get_absolute_url(),
    ):
        page.goto(path)
        assert_accessible(page)
    page.open_menu()
    page.get_by_role("button", name="Se déconnecter").click()
    for path in ("/compte/mot-de-passe/oublie/", "/compte/inscription/nouveau-lien/"):
        page.goto(path)
        assert_accessible(page)


def test_the_lockout_page_passes_axe(page, settings):
    MembershipFactory(user__email="anne@ville.fr")
    page.goto("/compte/connexion/")
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        page.fill("#id_username", "anne@ville.fr")
        page.fill("#id_password", f"essai {n}")
        page.get_by_role("main").get_by_role("button", name="Se connecter").click()
        if "bloquée" in page.text_content("h1"):
            break
    assert "Connexion momentanément bloquée" in page.text_content("h1")
    assert_accessible(page)
