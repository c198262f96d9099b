"""Cross-cutting HTTP behaviour: security headers, body size limit, malformed text, French error
pages."""

import re

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sonar.core import admission, errors


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not set (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class BodySizeLimitMiddleware:
    """Answers 413 for a body larger than the limit, before anything reads it.

    Under ASGI, sonar/core/admission.py has already stopped reading such a body and marked the
    request; under WSGI and the test client, the declared length tells. The API's limit (64 KB)
    is smaller than the forms' one: a JSON payload never needs more. It comes late in
    MIDDLEWARE so that its page gets every security header and the visitor's language; nothing
    reads a body before it (views and CSRF's process_view run after).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = admission.body_limit(request.path_info)
        cut = getattr(request, "scope", {}).get(admission.TOO_LARGE, False)
        if cut or length > limit:
            return errors.too_large(request, limit)
        return self.get_response(request)


# Characters nobody types and no browser sends from a form: the C0 controls but tab, line feed
# and carriage return (NUL among them, which PostgreSQL refuses in text), DEL, and lone
# surrogates (they cannot be encoded, so they fail wherever the text is written).
MALFORMED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def malformed(text):
    return isinstance(text, str) and MALFORMED.search(text) is not None


class MalformedTextMiddleware:
    """Refuses, in one place, text that no form can hold, wherever it enters: the path, the query
    string, a form's fields (names and values). The French error page, or the API's error
    shape, with a 400; the view never sees it, so no query, file or e-mail ever receives it.

    A line break is not refused here (a text area holds several lines); a field that is one line
    on the page refuses it in its form (sonar/core/forms.py). Bodies sent to the API are the
    API's to check (JSON); its paths and query strings are checked here.
    It comes after BodySizeLimitMiddleware, so that an oversized body is never parsed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cleaned = self._cleaned_query(request)
        if cleaned is not None:
            return HttpResponseRedirect(request.path + (f"?{cleaned}" if cleaned else ""))
        if self._refused(request):
            return errors.respond(
                request,
                400,
                _(
                    "Ce que vous avez envoyé contient un caractère invisible que Sonar n’accepte "
                    "pas (un caractère de contrôle, par exemple). Retapez le texte, puis "
                    "envoyez-le à nouveau."
                ),
            )
        return self.get_response(request)

    @staticmethod
    def _cleaned_query(request):
        """A page asked for with invisible characters in its query string (a search pasted from
        elsewhere, a link cut badly) is asked for again without them: the visitor keeps what
        they typed, and the view never sees the characters. The API keeps its 400."""
        if request.method not in ("GET", "HEAD") or errors.is_api(request):
            return None
        if malformed(request.path_info):
            return None
        pairs = [(key, value) for key, values in request.GET.lists() for value in values]
        if not any(malformed(key) or malformed(value) for key, value in pairs):
            return None
        return urlencode(
            [(MALFORMED.sub("", key), MALFORMED.sub("", value)) for key, value in pairs]
        )

    @staticmethod
    def _refused(request):
        if malformed(request.path_info):
            return True
        sources = [request.GET]
        # A page's form, as its view will read it; the API reads its body itself (JSON), and
        # parsing it here as a form would leave the view nothing to read.
        if (
            request.method == "POST"
            and not errors.is_api(request)
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            sources.append(request.POST)
        for data in sources:
            for key, values in data.lists():
                if malformed(key) or any(malformed(value) for value in values):
                    return True
        return False


class FrenchErrorPagesMiddleware:
    """Gives a body to the bare error responses Django builds without a template (405 from
    require_http_methods, for instance), so a user always reads a sentence, in their language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content:
            allowed = response.get("Allow", "")
            if errors.is_api(request):
                new = JsonResponse(
                    {
                        "error": _("Cette méthode n’est pas acceptée ici (méthodes permises : %s).")
                        % allowed,
                        "fields": {},
                    },
                    status=405,
                )
            else:
                new = errors.page(request, 405)
            new["Allow"] = allowed
            return new
        return response
