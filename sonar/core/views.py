import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponseNotAllowed, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from sonar.core import errors, pagecache


@require_safe
@pagecache.kept(sessions=True)
def home(request):
    return render(request, "core/home.html")


@require_safe
@pagecache.kept(sessions=True)
def about(request):
    return render(request, "core/about.html")


@require_safe
@pagecache.kept(sessions=True)
def accessibility(request):
    from sonar.core import accessibility as rgaa

    found = rgaa.audit()
    context = {
        "audit": found,
        "counts": {
            "conforme": len(found.with_status(rgaa.CONFORMS)),
            "non_conforme": len(found.with_status(rgaa.FAILS)),
            "a_verifier": len(found.with_status(rgaa.UNCHECKED)),
            "non_applicable": len(found.with_status(rgaa.NOT_APPLICABLE)),
        },
        "failures": found.with_status(rgaa.FAILS),
        "unchecked": found.with_status(rgaa.UNCHECKED),
    }
    return render(request, "core/accessibility.html", context)


@require_safe
@pagecache.kept(sessions=True)
def privacy(request):
    return render(request, "core/privacy.html")


@require_safe
@pagecache.kept(sessions=True)
def legal(request):
    return render(request, "core/legal.html")


@require_safe
@never_cache
def healthz(request):
    """Ok when every backing service answers; 503 naming the part that does not."""
    report = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        report["database"] = "error"
    if settings.REDIS_URL:
        report["redis"] = _redis_status()
    failing = [part for part, state in report.items() if state == "error"]
    if failing:
        report["status"] = "error"
        report["failing"] = failing
        return JsonResponse(report, status=503)
    return JsonResponse(report)


def _redis_status():
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
        )
        client.ping()
    except redis.RedisError:
        return "error"
    return "ok"


def _allowed_methods(view):
    """The methods a view declares with Django's require_http_methods (or require_safe,
    require_POST…), found through the decorators' closures; None when it declares none."""
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            return list(cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def csrf_failure(request, reason=""):
    """CSRF runs before the view's method check: a POST, PUT or DELETE to a page that never
    accepts it would read "the form expired", which is wrong and unhelpful. Such a request
    gets the 405 it deserves (FrenchErrorPagesMiddleware words it); a real form gets the 403."""
    match = getattr(request, "resolver_match", None)
    allowed = _allowed_methods(match.func) if match else None
    if allowed is not None and request.method not in allowed:
        return HttpResponseNotAllowed(allowed)
    message = _(
        "Le formulaire a expiré ou n’a pas été envoyé depuis Sonar. "
        "Revenez à la page précédente, rechargez-la, puis envoyez à nouveau."
    )
    return errors.respond(request, 403, message)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return errors.too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return errors.respond(request, 400)


def permission_denied(request, exception=None):
    return errors.respond(request, 403)


def page_not_found(request, exception=None):
    moved = _in_its_language(request)
    if moved is not None:
        return moved
    return errors.respond(request, 404)


def _prefix(language):
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def _in_its_language(request):
    """An address written with the other language's words (a French address under /en/, or
    the English slug an older release used on the French site) is sent, for good, to the
    same page with the words of its language: /en/carte/ressources/ → /en/map/resources/,
    /diagnostic/maturity/ → /diagnostic/maturite/. Only for GET and HEAD: a form always
    posts to the address its page gave it."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path_info
    here = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    rest = path[len(_prefix(here)) :] if path.startswith(_prefix(here) + "/") else path
    for language, _name in settings.LANGUAGES:
        if language == here:
            continue
        with translation.override(language):
            try:
                match = resolve(_prefix(language) + rest)
            except Resolver404:
                continue
        with translation.override(here):
            try:
                target = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                continue
        if target != path and target != request.path:
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))
    return None


def server_error(request):
    """Called while the exception is being handled: a database that is away (restarting,
    unreachable) is a 503 that asks to retry shortly, not a 500; the next request connects
    afresh (no persistent connections), so the site comes back with the database."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = errors.respond(request, 503)
        response["Retry-After"] = "30"
        return response
    return errors.respond(request, 500)
