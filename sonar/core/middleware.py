"""Cross-cutting HTTP behaviour: security headers, body size limit, French error pages."""

from django.conf import settings
from django.http import JsonResponse
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
