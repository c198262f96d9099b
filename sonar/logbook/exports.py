"""A logbook to take away: Markdown (plain text anyone can edit) and PDF (WeasyPrint).

Both are rendered from the same Logbook as the pages, and neither contains an e-mail address:
members appear by name only, so an export can be forwarded as it is.

A PDF takes WeasyPrint about two seconds; the HTML it is made from, a few milliseconds. So the
PDF is kept in the cache under a digest of that HTML and of its stylesheet: as long as the
logbook reads the same (same texts, milestones, experiments, positions, names, language, and
the same export date, a day), the kept PDF is served; the first change of any of them makes
another digest, hence a new PDF. Nothing needs to forget a kept PDF: an old one is never asked
for again and leaves the cache after KEEP_SECONDS. The team's export and the share link's are
the same document, kept once.
"""

import hashlib

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

__all__ = ["filename", "markdown", "pdf"]


def filename(project):
    return f"carnet-{slugify(project.title)[:50] or project.pk}"


def _context(book):
    return {"book": book, "project": book.project, "printed_at": timezone.now()}


def markdown(book):
    return render_to_string("logbook/export.md", _context(book))


def _no_fetching(url, *args, **kwargs):
    raise ValueError(f"Le carnet n’a pas à charger de ressource externe ({url}).")


KEEP_SECONDS = 7 * 24 * 60 * 60


def pdf(book):
    """The logbook as a PDF: the kept one while the logbook reads the same, else a new one."""
    context = _context(book)
    context["printed_at"] = timezone.localdate()
    html = render_to_string("logbook/pdf.html", context)
    with open(finders.find("logbook/pdf.css"), "rb") as stylesheet:
        css = stylesheet.read()
    key = "logbook:pdf:" + hashlib.sha256(html.encode() + b"\0" + css).hexdigest()
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
