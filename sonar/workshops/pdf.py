"""The workshop's PDFs: the one-page report and the debrief pack, rendered by WeasyPrint.

A PDF takes WeasyPrint a second or more; the HTML it is made from, a few milliseconds. So, as
the logbook does (sonar/logbook/exports.py), a PDF is kept in the cache under a digest of its
HTML and of its stylesheet: while the workshop reads the same (same answers, participants,
reveal, language, and the same print date, a day), every request gets the kept PDF; the first
change of any of them makes another digest, hence a new PDF. Nothing needs to forget a kept
PDF: an old one is never asked for again and leaves the cache after KEEP_SECONDS.
"""

import hashlib

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from sonar.workshops import results
from sonar.workshops.debrief import TeamReport

__all__ = ["report"]

KEEP_SECONDS = 24 * 60 * 60


def _no_fetching(url, *args, **kwargs):
    raise ValueError(f"Le rapport n’a pas à charger de ressource externe ({url}).")


def _kept(name, template, context, stylesheet):
    """The PDF of `template` with `context`: the kept one while its HTML reads the same."""
    html = render_to_string(template, context)
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
