"""Kept pages answered before Django, under `sonar serve` (ASGI).

The page cache (sonar/core/pagecache.py) is one layer: one key, one store, one set of rules.
Inside Django, its middleware still runs every other middleware and starts a thread for the
request, which costs more than answering a kept page: kept pages came out below the framework's
floor that way (bench/pages.py). This ASGI application, in front of Django's, asks the same
`pagecache.lookup` for the request Django would build, and answers a kept page with the same
`pagecache.answer`: the visitor's CSRF token and cookie come from Django's own CSRF middleware.
Anything else (a miss, a request with a session, a POST) goes on to Django.
"""

import io
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.handlers.asgi import ASGIRequest

from sonar.core import pagecache

logger = logging.getLogger(__name__)


def _answer(scope):
    """The kept page for this request, as `pagecache.answer` gives it, or None."""
    if scope.get("type") != "http" or scope.get("method") not in ("GET", "HEAD"):
        return None
    if not pagecache.seconds():
        return None
    request = ASGIRequest(scope, io.BytesIO())
    _key, entry = pagecache.lookup(request)
    if entry is None:
        return None
    return pagecache.answer(request, entry)


class FrontCache:
    """ASGI application in front of Sonar's: answers kept pages, passes everything else on."""

    def __init__(self, app):
        self.app = app
        # With Redis, looking up means a network round trip: off the event loop.
        self.answer = sync_to_async(_answer, thread_sensitive=False) if settings.REDIS_URL else None

    async def __call__(self, scope, receive, send):
        try:
            response = await self.answer(scope) if self.answer else _answer(scope)
        except Exception:
            # The cache away is a miss: Django answers, and says what is wrong in /healthz.
            logger.warning("Page cache lookup failed", exc_info=True)
            response = None
        if response is None:
            return await self.app(scope, receive, send)
        status, headers, body, cookies = response
        raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        raw += [
            (b"set-cookie", cookie.output(header="").strip().encode("latin-1"))
            for cookie in (cookies or {}).values()
        ]
        raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
