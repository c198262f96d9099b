"""The one-page PDF result card: the profile, the chart, and a QR code back to the result.

Rendered by WeasyPrint from a template and the same Report as the pages; the chart is the
page's SVG and the QR code is SVG too, so the card stays sharp at any size.
"""

import segno
import weasyprint
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from sonar.quiz.report import CHART


def _no_fetching(url, *args, **kwargs):
    # Everything the card shows is in its HTML; it must never reach out to another address.
    raise ValueError(f"La fiche n’a pas à charger de ressource externe ({url}).")


def qr_svg(url):
    """A QR code of `url` as inline SVG markup."""
    return mark_safe(  # noqa: S308 - segno's own SVG output, with no visitor-supplied markup
        segno.make(url, error="m").svg_inline(scale=4, dark="#0b2545", border=2)
    )


def result_card(report, share_url):
    """The PDF bytes of a result card that links back to `share_url`."""
    html = render_to_string(
        "quiz/card.html",
        {
            "report": report,
            "quiz": report.quiz,
            "chart": CHART,
            "chart_id": "card-chart",
            "share_url": share_url,
            "qr": qr_svg(share_url),
        },
    )
    stylesheet = weasyprint.CSS(filename=finders.find("quiz/card.css"))
    document = weasyprint.HTML(string=html, url_fetcher=_no_fetching)
    return document.write_pdf(stylesheets=[stylesheet])
