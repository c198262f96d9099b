"""The facilitator takes the results home from the control page, in Chromium: two CSV files a
French spreadsheet splits on `;`, the .xlsx workbook and the debrief pack, during the session."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sonar.quiz import data
from tests.conftest import VIEWPORTS, Page, assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_content"),
]


@pytest.fixture
def facilitator(browser, live_server):
    data.forget()
    context = browser.new_context(
        viewport=VIEWPORTS["desktop"], locale="fr-FR", accept_downloads=True
    )
    page = Page(context.new_page(), live_server.url)
    yield page
    context.close()
    assert not page.problems, "Erreurs dans la console du navigateur :\n" + "\n".join(page.problems)


def _tie(code):
    """Three people: culture 2, usages 2 (the third one is mixed), as in the issue."""
    from sonar.workshops import actions
    from sonar.workshops.models import Workshop

    workshop = Workshop.objects.get(code=code)
    quiz = data.get("style")
    people = {
        actions.join(workshop, "")[0]: outcomes
        for outcomes in (["culture"] * 6, ["usages"] * 6, ["culture", "usages"] * 3)
    }
    # A paced workshop: the facilitator opens each question in turn.
    for number, question in enumerate(quiz.questions, start=1):
        actions.change(workshop, current=number)
        for person, outcomes in people.items():
            outcome = outcomes[number - 1]
            choice = next((c for c in question.choices if c.outcome == outcome), None)
            if choice:
                actions.answer(workshop, person, question.key, choice.key)


def _download(page, name):
    with page.expect_download() as download:
        page.get_by_role("link", name=name).click()
    with open(download.value.path(), "rb") as file:
        return download.value.suggested_filename, file.read()


def test_the_facilitator_downloads_every_export_during_the_session(facilitator):
    facilitator.goto("/ateliers/")
    facilitator.get_by_role("button", name="Créer l’atelier").click()
    code = facilitator.text_content(".join-box__code").split()[-1]
    _tie(code)
    facilitator.goto(f"/ateliers/{code}/animation/")
    assert_accessible(facilitator)

    name, content = _download(facilitator, "Totaux par réponse et par profil (CSV)")
    assert name == f"atelier-{code}-agregats.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:4] == ["type", "question", "intitulé de la question", "clé"]
    assert table[-1][0] == "participants" and table[-1][-1] == "3"

    name, content = _download(
        facilitator, "Une ligne anonyme par participant et par question (CSV)"
    )
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert len(table) == 1 + 3 * 6

    name, content = _download(facilitator, "Les deux tableaux dans un classeur (.xlsx)")
    assert name == f"atelier-{code}.xlsx"
    book = load_workbook(io.BytesIO(content))
    assert book["Participants"].max_row == 1 + 3 * 6

    link = facilitator.get_by_role(
        "link", name="Dossier de restitution pour les élus et la direction (PDF)"
    )
    pack = facilitator.context.request.get(facilitator.base_url + link.get_attribute("href"))
    assert pack.headers["content-type"] == "application/pdf"
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.body())).pages)
    )
    assert "à égalité entre" in text and "(2 personnes chacun)" in text
    assert "Nos décisions" in text
