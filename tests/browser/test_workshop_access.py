"""Finding a workshop again, in Chromium at both sizes: the secret link shown whole with a copy
button that copies it, sent to oneself, a co-facilitator who runs the workshop from her own link
and is refused once withdrawn; every page passes axe (RGAA rules)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import Page, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]


def email_path(message):
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_a_facilitator_keeps_her_link_and_shares_the_running(page, browser, live_server, viewport):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/ateliers/")
    page.fill("#id_title", "Atelier du conseil")
    page.get_by_role("button", name="Créer l’atelier").click()
    code = re.search(r"/ateliers/(\w+)/animation/", page.url).group(1)

    # The whole link is on the screen, inside the viewport's width.
    link = page.locator("#secret-link")
    shown = link.text_content().strip()
    assert re.fullmatch(rf"https?://\S+/ateliers/{code}/animer/[\w-]+/", shown)
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert_accessible(page)

    page.get_by_role("button", name="Copier le lien").click()
    # Polled from Python: the site's CSP (no unsafe-eval) refuses wait_for_function's strings.
    expect(page.locator("[data-copy-status]")).not_to_be_empty()
    assert page.text_content("[data-copy-status]") == "Lien copié dans le presse-papiers."
    assert page.evaluate("navigator.clipboard.readText()") == shown

    page.fill("#id_send_email", "moi@ville.fr")
    page.get_by_role("button", name="Envoyer le lien").click()
    assert "Le lien d’animation est envoyé à moi@ville.fr" in page.text_content("main")
    assert_accessible(page)
    assert email_path(mail.outbox[-1]) == "/" + shown.split("://", 1)[1].split("/", 1)[1]

    # A co-facilitator: a bad address first (a French message, the text kept), then hers.
    page.fill("#id_add_email", "collegue@")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    assert "Saisissez une adresse électronique valide" in page.text_content("main")
    assert page.input_value("#id_add_email") == "collegue@"
    assert_accessible(page)
    page.fill("#id_add_email", "collegue@ville.fr")
    page.get_by_role("button", name="Ajouter", exact=True).click()
    assert "collegue@ville.fr co-anime l’atelier" in page.text_content("main")
    assert_accessible(page)

    colleague = browser.new_context(viewport=viewport, locale="fr-FR")
    co = Page(colleague.new_page(), live_server.url)
    co.goto(email_path(mail.outbox[-1]))
    assert co.url.endswith(f"/ateliers/{code}/animation/")
    assert "Atelier du conseil" in co.text_content("h1")

    page.get_by_role("button", name="Retirer l’accès de collegue@ville.fr").click()
    assert "son lien n’ouvre plus l’atelier" in page.text_content("main")
    response = co.goto(f"/ateliers/{code}/animation/")
    assert response.status == 403
    colleague.close()
