"""The workshop's PDFs: the one-page report and the debrief pack, rendered by WeasyPrint.

A PDF takes WeasyPrint a second or more; the HTML it is made from, a few milliseconds. So, as
the logbook does (sonar/logbook/exports.py), a PDF is kept in the cache under a digest of its
HTML and of its stylesheet: while the workshop reads the same (same answers, participants,
reveal, language, and the same print date, a day), every request gets the kept PDF; the first
change of any of them makes another digest, hence a new PDF. Nothing needs to forget a kept
PDF: an old one is never asked for again and leaves the cache after KEEP_SECONDS.
"""

import hashlib
import re

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from sonar.workshops import results
from sonar.workshops.debrief import TeamReport
from sonar.workshops.pack import DebriefPack

__all__ = ["pack", "report"]

KEEP_SECONDS = 24 * 60 * 60


def _no_fetching(url, *args, **kwargs):
    raise ValueError(f"Le rapport n’a pas à charger de ressource externe ({url}).")


# What the PDF's fonts cannot draw. WeasyPrint would print an empty box, and the text set in
# the same font around it would no longer copy, search or read aloud. Emoji are drawn from
# Noto Color Emoji (report.css, pack.css); other scripts DejaVu Sans lacks (CJK, kana,
# hangul, the planes beyond the first but the emoji's) show as the replacement character,
# which the font has: the reader sees that something was there.
_UNDRAWN = re.compile(
    "[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00010000-\U0001efff\U0001fb00-\U000e001f"
    "\U000e0080-\U0010ffff]"
)
# Control characters draw nothing; bidirectional overrides and isolates would turn the rest of
# a line around.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(html):
    """`html` with only what the PDF's fonts can draw (see above); markup is untouched."""
    html = _UNDRAWN.sub("\ufffd", html)
    return _CONTROLS.sub("", html)


def _kept(name, template, context, stylesheet):
    """The PDF of `template` with `context`: the kept one while its HTML reads the same."""
    html = printable(render_to_string(template, context))
    with open(finders.find(stylesheet), "rb") as file:
        css = file.read()
    key = f"workshops:pdf:{name}:" + hashlib.sha256(html.encode() + b"\0" + css).hexdigest()
    kept = cache.get(key)
    if kept is None:
        kept = _lay_out(html, css)
        cache.set(key, kept, KEEP_SECONDS)
    return kept


def _lay_out(html, css):
    import weasyprint

    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[weasyprint.CSS(string=css.decode())]
    )


def report(workshop):
    """The one-page report: the team's profile and the answers per question."""
    quiz = results.quiz_of(workshop)
    context = {
        "workshop": workshop,
        "quiz": quiz,
        "report": TeamReport(workshop, quiz, results.tally(workshop, quiz)),
        "printed_at": timezone.localdate(),
    }
    return _kept("report", "workshops/report.html", context, "workshops/report.css")


def pack(workshop):
    """The debrief pack for élus and directors (sonar/workshops/pack.py), at any time: during
    the session it gives the results so far."""
    debrief = DebriefPack(workshop)
    context = {
        "workshop": workshop,
        "quiz": debrief.quiz,
        "pack": debrief,
        "report": debrief.report,
        "printed_at": timezone.localdate(),
    }
    return _kept("pack", "workshops/pack.html", context, "workshops/pack.css")


def guide(template):
    """The facilitator guide of a déroulé: its steps, timings, script and discussion questions."""
    context = {"template": template, "steps": template.specs(), "printed_at": timezone.localdate()}
    return _kept(f"guide-{template.key}", "workshops/guide.html", context, "workshops/report.css")
