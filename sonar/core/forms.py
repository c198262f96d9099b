"""What every form of Sonar shares: a field that is one line on the page takes one line.

A browser never puts a line break in a one-line field (a title, a name, an address): one that
comes in was typed by a script, and, kept, it would break what expects one line (an e-mail's
subject, a header, a CSV cell, a Markdown heading). TextGuard refuses it with a French form
error, on every character field whose widget is not a text area. Every form class of Sonar
includes it (tests/core/test_text_guard.py fails when one does not). Characters no form can
hold (NUL, control characters) are refused before any form sees them
(sonar/core/middleware.py, MalformedTextMiddleware).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy


def one_line(value):
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        raise ValidationError(
            gettext_lazy(
                "Ce champ tient sur une ligne : retirez les retours à la ligne, puis "
                "envoyez à nouveau."
            ),
            code="one_line",
        )


class TextGuard:
    """Mixin for a form (before django.forms.Form in its bases): one-line fields refuse line
    breaks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.Textarea):
                field.validators.append(one_line)
