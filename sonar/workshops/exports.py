"""What a facilitator takes home: the results as tables (CSV and .xlsx) and the join QR code.

Two tables, built once and written in both formats:
- the aggregates: one row per choice (how many chose it) and one per profile or stage;
- the participants: one row per participant and question, the participant a number in the
  order they joined (no pseudonym, no date), each code with its label beside it.

The CSV files are meant to open by double-click in a spreadsheet set to French: `;` between
cells (the comma is the French decimal mark, so French Excel splits on `;`), UTF-8 with a
byte-order mark (without it Excel reads the accents as Windows-1252), CRLF line ends. A text
cell that a spreadsheet would run as a formula is written inert (sonar.core.csvsafe); in the
.xlsx such a text is stored as a text cell, never as a formula.

The PDFs (the one-page report, the debrief pack) are in sonar/workshops/pdf.py.
"""

import io
from dataclasses import dataclass

import segno
from django.http import HttpResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sonar.core import csvsafe
from sonar.workshops import results
from sonar.workshops.debrief import TeamReport
from sonar.workshops.models import Answer

__all__ = [
    "aggregates_csv",
    "aggregates_table",
    "participants_csv",
    "participants_table",
    "qr_svg",
    "xlsx",
]

CSV_DELIMITER = ";"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def qr_svg(url):
    """The join link as an inline SVG QR code (WeasyPrint is not loaded for it)."""
    return mark_safe(  # noqa: S308 - segno's own SVG output, with no visitor-supplied markup
        segno.make(url, error="m").svg_inline(
            scale=8, dark="#0b2545", border=2, svgclass="qr__code", omitsize=True
        )
    )


@dataclass
class Table:
    """A header and rows of plain values (text or int), with the name of its sheet."""

    title: str
    header: list
    rows: list


def _outcome_words(quiz):
    # On a ladder the outcomes are stages: the same columns, named for what they hold.
    if quiz.ladder:
        return _("étape"), _("intitulé de l’étape")
    return _("profil"), _("intitulé du profil")


def _name(quiz, outcome_key):
    outcome = quiz.outcome(outcome_key)
    return outcome.name if outcome else ""


def aggregates_table(workshop):
    """How many chose each choice, how many people count for each profile (or stage)."""
    quiz = results.quiz_of(workshop)
    tally = results.tally(workshop, quiz)
    outcome_word, outcome_label = _outcome_words(quiz)
    header = [
        _("type"),
        _("question"),
        _("intitulé de la question"),
        _("clé"),
        _("intitulé"),
        outcome_word,
        outcome_label,
        _("nombre"),
    ]
    rows = []
    for question in quiz.questions:
        counts = tally["answers"].get(question.key, {})
        for choice in question.choices:
            rows.append(
                [
                    _("réponse"),
                    question.key,
                    question.text,
                    choice.key,
                    choice.text,
                    choice.outcome,
                    _name(quiz, choice.outcome),
                    counts.get(choice.key, 0),
                ]
            )
    for outcome in quiz.outcomes:
        rows.append(
            [
                outcome_word,
                "",
                "",
                outcome.key,
                outcome.name,
                outcome.key,
                outcome.name,
                tally["profiles"].get(outcome.key, 0),
            ]
        )
    rows.append([_("participants"), "", "", "", "", "", "", tally["participants"]])
    if quiz.ladder:
        team = TeamReport(workshop, quiz, tally).team_stage
        rows.append(
            [
                _("étape de l’équipe"),
                "",
                "",
                team.key if team else "",
                team.name if team else "",
                team.key if team else "",
                team.name if team else "",
                "",
            ]
        )
    return Table(_("Totaux"), header, rows)


def participants_table(workshop):
    """One row per participant and question, numbered in the order they joined: no one can be
    recognised. A question a participant left unanswered is a row with empty answer cells, so
    that every participant has as many rows as there are questions. After the retention period
    the raw answers are gone: the table has its header only."""
    quiz = results.quiz_of(workshop)
    outcome_word, outcome_label = _outcome_words(quiz)
    header = [
        _("participant"),
        _("numéro de la question"),
        _("question"),
        _("intitulé de la question"),
        _("réponse"),
        _("intitulé de la réponse"),
        _("%(outcome)s de la réponse") % {"outcome": outcome_word},
        _("%(outcome)s du participant") % {"outcome": outcome_word},
        _("%(label)s du participant") % {"label": outcome_label},
    ]
    table = Table(_("Participants"), header, [])
    if workshop.purged_at is not None:
        return table
    answers = {}
    for participant_id, question_key, choice_key in Answer.objects.filter(
        participant__workshop=workshop
    ).values_list("participant_id", "question_key", "choice_key"):
        answers.setdefault(participant_id, {})[question_key] = choice_key
    people = workshop.participants.order_by("joined_at", "pk").values_list("pk", flat=True)
    for number, participant_id in enumerate(people, start=1):
        mine = quiz.known_answers(answers.get(participant_id, {}))
        winners = quiz.score(mine).winners if mine else []
        profile = " ".join(winners)
        profile_names = " / ".join(_name(quiz, key) for key in winners)
        for position, question in enumerate(quiz.questions, start=1):
            choice = question.choice(mine.get(question.key, ""))
            table.rows.append(
                [
                    number,
                    position,
                    question.key,
                    question.text,
                    choice.key if choice else "",
                    choice.text if choice else "",
                    choice.outcome if choice else "",
                    profile,
                    profile_names,
                ]
            )
    return table


def _csv_response(table, filename):
    buffer = io.StringIO()
    # A byte-order mark: without it, Excel reads UTF-8 as Windows-1252 and garbles accents.
    buffer.write("\ufeff")
    # Text cells that a spreadsheet would run as formulas are written inert.
    writer = csvsafe.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(table.header)
    writer.writerows(table.rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def aggregates_csv(workshop):
    return _csv_response(aggregates_table(workshop), f"atelier-{workshop.code}-agregats.csv")


def participants_csv(workshop):
    return _csv_response(participants_table(workshop), f"atelier-{workshop.code}-participants.csv")


def _xlsx_value(value):
    """A value openpyxl stores as it is: text without the control characters that the file
    format cannot hold (they would make openpyxl refuse the whole file)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _fill_sheet(sheet, table):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    widths = [len(str(cell)) for cell in table.header]
    for row in [table.header, *table.rows]:
        sheet.append([_xlsx_value(value) for value in row])
        for index, value in enumerate(row):
            widths[index] = max(widths[index], min(len(str(value)), 60))
    for cells in sheet.iter_rows():
        for cell in cells:
            # openpyxl takes any text starting with "=" for a formula: stored as a text cell,
            # Excel and LibreOffice show it as typed and never run it.
            if cell.data_type == "f":
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2


def _sheet_title(title):
    # A sheet's name: at most 31 characters, none of []:*?/\ (the format's rule).
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Feuille"


def xlsx(workshop):
    """The same two tables as the CSV files, one sheet each, and a sheet that says what the
    workbook is: its workshop, its date, where the questions come from, its licence."""
    from openpyxl import Workbook

    quiz = results.quiz_of(workshop)
    book = Workbook()
    first = True
    for table in (aggregates_table(workshop), participants_table(workshop)):
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = _sheet_title(table.title)
        _fill_sheet(sheet, table)
    if quiz.source == "sonar":
        source = _(
            "Ajout Sonar : ce diagnostic ne vient pas du journal Sonar 1.0 (France Urbaine et "
            "La 27e Région, 2018)."
        )
    else:
        source = _(
            "Questions et profils cités du journal Sonar 1.0 (France Urbaine et La 27e Région, "
            "2018)."
        )
    about = Table(
        _("À propos"),
        [_("rubrique"), _("valeur")],
        [
            [_("atelier"), workshop.title],
            [_("code"), workshop.code],
            [_("questionnaire"), quiz.title],
            [_("créé le"), timezone.localtime(workshop.created_at).strftime("%Y-%m-%d %H:%M")],
            [_("exporté le"), timezone.localtime().strftime("%Y-%m-%d %H:%M")],
            [_("source"), source],
            [
                _("licence"),
                _(
                    "Contenus de Sonar publiés sous Licence Ouverte 2.0 (Etalab) : https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
                ),
            ],
            [
                _("confidentialité"),
                _(
                    "Chaque participant est un numéro, dans l’ordre d’arrivée : ni pseudonyme, "
                    "ni date, ni adresse."
                ),
            ],
        ],
    )
    sheet = book.create_sheet(_sheet_title(about.title))
    _fill_sheet(sheet, about)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(workshop):
    response = HttpResponse(xlsx(workshop), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="atelier-{workshop.code}.xlsx"'
    return response
