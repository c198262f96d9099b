"""A whole paced workshop in Chromium: one facilitator and three participants on their phones,
each in a browser context of their own, served by uvicorn (ASGI) so the live streams are real."""

import asyncio
import re
import socket
import threading
import time

import pytest
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

from sonar.quiz import data
from tests.conftest import VIEWPORTS, Page, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]

# What each participant picks at every question (by position): two lean to « usages ».
PICKS = {"A": [3, 2, 2, 1, 1, 2], "B": [3, 2, 2, 1, 1, 2], "C": [0, 1, 1, 2, 2, 1]}
LIVE = 10_000  # ms: how long a page may take to follow the workshop by itself


@pytest.fixture(autouse=True)
def _fresh_read_model():
    data.forget()


@pytest.fixture
def asgi_server(monkeypatch):
    """uvicorn in a thread of this process, so it sees the test database."""
    import uvicorn
    from django.db import connections

    # Request threads come and go: each closes its connection when its request ends, so none
    # is left open on the test database when it is dropped.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = ASGIStaticFilesHandler(get_asgi_application())
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
        timeout_graceful_shutdown=1,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def people(browser, asgi_server):
    contexts, pages = [], {}
    for name, viewport in [("facilitator", "desktop"), ("A", "phone"), ("B", "phone"),
                           ("C", "phone")]:  # fmt: skip
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], locale="fr-FR", accept_downloads=True
        )
        contexts.append(context)
        pages[name] = Page(context.new_page(), asgi_server)
    yield pages
    for context in contexts:
        context.close()
    problems = [p for page in pages.values() for p in page.problems]
    assert not problems, "Erreurs dans la console du navigateur :\n" + "\n".join(problems)


def test_a_paced_workshop_from_creation_to_export(people):
    facilitator = people["facilitator"]
    phones = {name: people[name] for name in PICKS}

    facilitator.goto("/ateliers/")
    assert_accessible(facilitator)
    facilitator.get_by_role("button", name="Créer l’atelier").click()
    assert "Gardez ce lien secret" in facilitator.text_content(".secret")
    code = facilitator.text_content(".join-box__code").split()[-1]
    assert_accessible(facilitator)

    for number, (name, phone) in enumerate(phones.items()):
        phone.goto("/ateliers/rejoindre/")
        if number == 0:
            assert_accessible(phone)
        phone.fill("#id_code", code.lower())
        phone.fill("#id_pseudonym", f"Personne {name}")
        phone.get_by_role("button", name="Rejoindre").click()
        assert "En attente de la première question" in phone.text_content("h1")

    projector = Page(facilitator.context.new_page(), facilitator.base_url)
    projector.goto(f"/ateliers/{code}/projection/")
    assert projector.text_content(".wall__big-code").strip() == code
    assert projector.text_content('[data-count="participants"]') == "3"
    assert_accessible(projector)

    for index in range(6):
        facilitator.goto(f"/ateliers/{code}/animation/")
        facilitator.get_by_role(
            "button", name=re.compile("Ouvrir la (première question|question suivante)")
        ).click()
        for name, phone in phones.items():
            # The phone follows by itself: the question appears without a reload by hand.
            phone.wait_for_selector(f"text=Question {index + 1} sur 6", timeout=LIVE)
            if index == 0 and name == "A":
                assert_accessible(phone)
            phone.locator(".radios__item label").nth(PICKS[name][index]).click()
            phone.get_by_role("button", name="Enregistrer ma réponse").click()
            assert "Réponse enregistrée." in phone.text_content("[role=status]")
            assert "En attente de la question suivante" in phone.text_content(".waiting")
        # The projector counts the answers live, and never shows which choice anyone made.
        projector.wait_for_selector(
            f'.wall__answered [data-answered="q{index + 1}"]:text-is("3")', timeout=LIVE
        )

    facilitator.goto(f"/ateliers/{code}/animation/")
    facilitator.get_by_role("button", name="Révéler les réponses").click()
    # The reveal, one view at a time: each question, the team, then the debrief.
    projector.wait_for_selector("text=Vue 1 sur 8", timeout=LIVE)
    projector.goto(f"/ateliers/{code}/projection/?vue=8")
    assert "Ce que dit ce mélange" in projector.text_content("h1")
    assert "usages" in projector.text_content(".wall__meaning")
    assert_accessible(projector)
    for phone in phones.values():
        phone.wait_for_selector(".phone__result", timeout=LIVE)
    assert "Usages" in phones["A"].text_content(".phone__result h1")
    assert_accessible(phones["A"])

    with facilitator.expect_download() as download:
        facilitator.get_by_role("link", name="Totaux par réponse et par profil (CSV)").click()
    assert download.value.suggested_filename == f"atelier-{code}-agregats.csv"
    pdf = facilitator.context.request.get(f"{facilitator.base_url}/ateliers/{code}/rapport.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    facilitator.get_by_role("button", name="Clore l’atelier").click()
    assert "clos" in facilitator.text_content(".facilitate__head")


def test_a_revealed_maturity_workshop_shows_the_teams_stage_on_every_screen(page):
    from sonar.workshops import actions

    maturity = data.get("maturity")
    workshop, token = actions.create_workshop(maturity, "Où en sommes-nous ?", "self_paced")
    for rank in (2, 3, 3):
        person, _token = actions.join(workshop, "")
        for question in maturity.questions:
            actions.answer(workshop, person, question.key, f"{question.key}-{rank}")
    actions.change(workshop, revealed=True)

    page.goto(f"/ateliers/{workshop.code}/animer/{token}/")
    assert "L’étape de l’équipe" in page.text_content("main")
    assert_accessible(page)
    page.goto(f"/ateliers/{workshop.code}/projection/?vue=11")
    assert "Équipage formé" in page.text_content(".wall__stage")
    assert "Ce que dit ce mélange" not in page.text_content("main")
    assert_accessible(page)
