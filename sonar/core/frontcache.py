"""Kept pages served before Django, for visitors without a session (under `sonar serve`).

sonar/core/pagecache.py keeps the page a view renders; serving it still runs every
middleware and starts a thread for the request, which costs more than the page itself: kept
pages came out at 0.7 to 0.9 × a view that returns a fixed string, with a p99 above 100 ms
at 50 connections (bench/pages.py). This layer, in front of the Django application, keeps the
whole response as the middleware left it (headers included) and sends it back without
entering Django.

The rules are pagecache's, checked the same way:
- only a GET or HEAD without a session cookie and without a conditional header is answered
  here; the key holds the content version, the scheme, the Host and forwarding headers, the
  path and the query string, so it names one page for one site and one language (the language
  comes from the path);
- a response is kept here only when pagecache kept its page (`request.front_version` set by
  `pagecache.for_anonymous`), with a 200, no cookie but the CSRF one, the session untouched;
- the visitor's CSRF token is swapped for a placeholder before keeping, and each visitor
  served gets a token of their own, from the CSRF cookie they carry or a new one, set as
  Django's CSRF middleware would.

A kept page without a form (so without a token) is also kept gzip-compressed, and sent so to
browsers that accept it: the sea chart's 130 KB of HTML travel as about 20 KB.
"""

import gzip
import hashlib
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.http.cookie import parse_cookie
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _get_new_csrf_string,
    _mask_cipher_secret,
)
from django.utils.cache import patch_vary_headers

from sonar.core import pagecache

logger = logging.getLogger(__name__)

# Headers that change the page Django would answer with, or who may get it.
KEY_HEADERS = (b"host", b"x-forwarded-proto", b"x-forwarded-host", b"x-forwarded-port")
CONDITIONAL = (b"if-none-match", b"if-modified-since", b"range")
# Smaller pages gain too little from compression to pay for it.
COMPRESS_FROM = 1024
DROPPED = {"set-cookie", "content-length", "x-page-cache"}


def key(scope, version):
    headers = dict(scope.get("headers") or ())
    parts = [
        scope.get("scheme", "http"),
        scope.get("root_path", ""),
        scope["path"],
        scope.get("query_string", b"").decode("latin-1"),
        *(headers.get(name, b"").decode("latin-1") for name in KEY_HEADERS),
    ]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return f"frontcache:{version}:{digest[:40]}"


def store(request, response):
    """Keep the final response of a page pagecache kept (called by FrontCacheMiddleware)."""
    version = getattr(request, "front_version", None)
    scope = getattr(request, "scope", None)
    if (
        version is None
        or scope is None
        or request.method != "GET"
        or response.status_code != 200
        or response.streaming
        or set(response.cookies) - {settings.CSRF_COOKIE_NAME}
        or getattr(getattr(request, "session", None), "modified", False)
    ):
        return
    content, csrf = pagecache._without_csrf(request, response.content)
    if content is None or len(content) > pagecache.LARGEST_PAGE:
        return
    compressed = None
    if not csrf and len(content) >= COMPRESS_FROM and not response.has_header("Content-Encoding"):
        # No token in the page, nor anything else of a visitor's: nothing for a compression
        # side channel (BREACH) to find. A page with a form is sent as it is.
        compressed = gzip.compress(content, compresslevel=6, mtime=0)
        if len(compressed) >= len(content):
            compressed = None
        else:
            patch_vary_headers(response, ("Accept-Encoding",))
    headers = [
        (name.encode("latin-1"), value.encode("latin-1"))
        for name, value in response.items()
        if name.lower() not in DROPPED
    ]
    entry = {
        "status": response.status_code,
        "headers": headers,
        "body": content,
        "gzip": compressed,
        "csrf": csrf,
    }
    pagecache.keep(key(scope, version), entry)


class FrontCacheMiddleware:
    """First in MIDDLEWARE: sees the response as every other middleware left it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            store(request, response)
        except Exception:
            # A page not kept is only a slower next visit.
            logger.warning("Could not keep %s", request.path, exc_info=True)
        return response


def _csrf_cookie(secret):
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return response.cookies[settings.CSRF_COOKIE_NAME].output(header="").strip()


def _valid_secret(value):
    return (
        value is not None
        and len(value) == CSRF_SECRET_LENGTH
        and all(char in CSRF_ALLOWED_CHARS for char in value)
    )


def _lookup(scope):
    """The kept entry for this request and the visitor's cookies, or (None, None)."""
    if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
        return None, None
    if not pagecache.seconds():
        return None, None
    headers = scope.get("headers") or ()
    raw_cookies = b""
    for name, value in headers:
        if name in CONDITIONAL:
            return None, None
        if name == b"cookie":
            raw_cookies += value + b"; "
    cookies = parse_cookie(raw_cookies.decode("latin-1")) if raw_cookies else {}
    if settings.SESSION_COOKIE_NAME in cookies:
        return None, None
    entry = cache.get(key(scope, pagecache.content_version()))
    if entry is not None and entry.get("gzip") and _accepts_gzip(headers):
        entry = {**entry, "body": entry["gzip"], "encoding": b"gzip"}
    return entry, cookies


def _accepts_gzip(headers):
    for name, value in headers:
        if name == b"accept-encoding":
            for part in value.decode("latin-1").lower().split(","):
                coding, _, params = part.strip().partition(";")
                if coding.strip() == "gzip":
                    return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class FrontCache:
    """ASGI application in front of Sonar's: answers kept pages, passes everything else on."""

    def __init__(self, app):
        self.app = app
        # With Redis, looking up means a network round trip: off the event loop.
        self.lookup = (
            sync_to_async(lambda scope: _lookup(scope), thread_sensitive=False)
            if settings.REDIS_URL
            else None
        )

    async def __call__(self, scope, receive, send):
        try:
            if self.lookup is not None:
                entry, cookies = await self.lookup(scope)
            else:
                entry, cookies = _lookup(scope)
        except Exception:
            # The cache away is a miss: Django answers, and says what is wrong in /healthz.
            entry = None
        if entry is None:
            return await self.app(scope, receive, send)
        body = entry["body"]
        headers = list(entry["headers"])
        if entry["csrf"]:
            secret = cookies.get(settings.CSRF_COOKIE_NAME)
            if not _valid_secret(secret):
                secret = _get_new_csrf_string()
            token = _mask_cipher_secret(secret).encode()
            body = body.replace(pagecache.placeholder().encode(), token)
            headers.append((b"set-cookie", _csrf_cookie(secret).encode("latin-1")))
        if entry.get("encoding"):
            headers.append((b"content-encoding", entry["encoding"]))
        headers.append((b"content-length", str(len(body)).encode()))
        headers.append((b"x-page-cache", b"hit"))
        await send({"type": "http.response.start", "status": entry["status"], "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
