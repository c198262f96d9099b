"""What a facilitator takes home: two CSV files and a one-page PDF report.

The aggregates CSV has one row per choice and one per profile; the participants CSV has one
anonymous row per participant (a number, their answers, their profile: no pseudonym, no date).
The PDF is rendered by WeasyPrint from the same TeamReport as the projector.
"""

import io

import segno
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sonar.core import csvsafe
from sonar.workshops import results
from sonar.workshops.debrief import TeamReport
from sonar.workshops.models import Answer

__all__ = ["aggregates_csv", "participants_csv", "qr_svg", "report_pdf"]


def qr_svg(url):
    """The join link as an inline SVG QR code (WeasyPrint is not loaded for it)."""
    return mark_safe(  # noqa: S308 - segno's own SVG output, with no visitor-supplied markup
        segno.make(url, error="m").svg_inline(
            scale=8, dark="#0b2545", border=2, svgclass="qr__code", omitsize=True
        )
    )


def _csv_response(rows, filename):
    buffer = io.StringIO()
    # A byte-order mark so that spreadsheet software reads the accents right.
    buffer.write("\ufeff")
    # Text cells that a spreadsheet would run as formulas are written inert.
    csvsafe.writer(buffer).writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def aggregates_rows(workshop):
    quiz = results.quiz_of(workshop)
    tally = results.tally(workshop, quiz)
    # On a ladder the outcomes are stages: the same columns, named for what they hold.
    outcome_word = _("étape") if quiz.ladder else _("profil")
    rows = [[_("type"), _("question"), _("clé"), _("intitulé"), outcome_word, _("nombre")]]
    for question in quiz.questions:
        counts = tally["answers"].get(question.key, {})
        for choice in question.choices:
            rows.append(
                [
                    _("réponse"),
                    question.key,
                    choice.key,
                    choice.text,
                    choice.outcome,
                    counts.get(choice.key, 0),
                ]
            )
    for outcome in quiz.outcomes:
        rows.append(
            [
                outcome_word,
                "",
                outcome.key,
                outcome.name,
                outcome.symbol,
                tally["profiles"][outcome.key],
            ]
        )
    rows.append([_("participants"), "", "", "", "", tally["participants"]])
    if quiz.ladder:
        team = TeamReport(workshop, quiz, tally).team_stage
        rows.append(
            [
                _("étape de l’équipe"),
                "",
                team.key if team else "",
                team.name if team else "",
                team.symbol if team else "",
                "",
            ]
        )
    return rows


def aggregates_csv(workshop):
    return _csv_response(aggregates_rows(workshop), f"atelier-{workshop.code}-agregats.csv")


def participants_rows(workshop):
    """One row per participant, numbered in the order they joined: no one can be recognised."""
    quiz = results.quiz_of(workshop)
    outcome_word = _("étape") if quiz.ladder else _("profil")
    rows = [[_("participant"), *(q.key for q in quiz.questions), outcome_word]]
    if workshop.purged_at is not None:
        return rows
    answers = {}
    for participant_id, question_key, choice_key in Answer.objects.filter(
        participant__workshop=workshop
    ).values_list("participant_id", "question_key", "choice_key"):
        answers.setdefault(participant_id, {})[question_key] = choice_key
    for number, participant_id in enumerate(
        workshop.participants.order_by("joined_at", "pk").values_list("pk", flat=True), start=1
    ):
        mine = quiz.known_answers(answers.get(participant_id, {}))
        winners = quiz.score(mine).winners
        rows.append([number, *(mine.get(q.key, "") for q in quiz.questions), " ".join(winners)])
    return rows


def participants_csv(workshop):
    return _csv_response(participants_rows(workshop), f"atelier-{workshop.code}-participants.csv")


def _no_fetching(url, *args, **kwargs):
    raise ValueError(f"Le rapport n’a pas à charger de ressource externe ({url}).")


def guide_pdf(template):
    """The facilitator guide of a déroulé, as a PDF (WeasyPrint, no outside resource)."""
    import weasyprint

    html = render_to_string(
        "workshops/guide.html",
        {"template": template, "steps": template.specs(), "printed_at": timezone.now()},
    )
    stylesheet = weasyprint.CSS(filename=finders.find("workshops/report.css"))
    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[stylesheet]
    )


def report_pdf(workshop):
    import weasyprint

    quiz = results.quiz_of(workshop)
    report = TeamReport(workshop, quiz, results.tally(workshop, quiz))
    html = render_to_string(
        "workshops/report.html",
        {"workshop": workshop, "quiz": quiz, "report": report, "printed_at": timezone.now()},
    )
    stylesheet = weasyprint.CSS(filename=finders.find("workshops/report.css"))
    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[stylesheet]
    )
