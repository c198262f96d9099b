"""A logbook to take away: Markdown (plain text anyone can edit) and PDF (WeasyPrint).

Both are rendered from the same Logbook as the pages, and neither contains an e-mail address:
members appear by name only, so an export can be forwarded as it is.
"""

from django.contrib.staticfiles import finders
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


def pdf(book):
    import weasyprint

    html = render_to_string("logbook/pdf.html", _context(book))
    stylesheet = weasyprint.CSS(filename=finders.find("logbook/pdf.css"))
    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf(
        stylesheets=[stylesheet]
    )
