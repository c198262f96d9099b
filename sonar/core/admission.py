"""What a request may take before Django sees it: the size of its body.

Django's ASGI handler reads a request's whole body before anything else runs, spooling it to a
temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE: a body declared at 50 MB was written to disk
before the 413, and with 10 GB declared the reading went on. BodyLimit sits in front of it, in
Sonar's ASGI application (so under `sonar serve` and uvicorn alike), and:

- refuses on the declared Content-Length: past the limit, Django is handed an empty body and
  nothing is read from the connection;
- counts what arrives when no length is declared (chunked): at the limit it stops reading and
  hands Django what came so far, in memory (the limits are far below the spooling size).

Either way the request is marked (scope["sonar.body_too_large"]), and Django's middleware
(sonar/core/middleware.py) answers with the 413 of the site: the French page, or the API's error
shape, with every security header and in the visitor's language. The limit is the forms'
(SONAR_MAX_BODY_BYTES, 256 KB) or, under /api/, the API's (64 KB): `body_limit`.
"""

import asyncio

from django.conf import settings

from sonar.core.errors import is_api_path

TOO_LARGE = "sonar.body_too_large"


def body_limit(path):
    """The largest body, in bytes, that a request to `path` may send."""
    if is_api_path(path):
        return settings.API_MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _declared_length(scope):
    for name, value in scope.get("headers", ()):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _never():
    """What a refused body's later receive() calls wait for: the response is on its way, and
    Django stops listening once it is sent; the rest of the body is never read."""
    await asyncio.Future()


class BodyLimit:
    """ASGI middleware: a request's body stops at its limit, before Django reads it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = body_limit(scope.get("path", ""))
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            scope[TOO_LARGE] = True
            return await self.app(scope, _cut(), send)
        return await self.app(scope, _counted(scope, receive, limit), send)


def _cut():
    """A receive() that ends the body now (without reading anything more), then waits."""
    ended = False

    async def cut():
        nonlocal ended
        if ended:
            return await _never()
        ended = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return cut


def _counted(scope, receive, limit):
    """A receive() that passes the body on until it passes `limit`, then ends it there."""
    received = 0
    complete = False
    cut = None

    async def counted():
        nonlocal received, complete, cut
        if cut is not None:
            return await cut()
        if complete:
            return await receive()  # after the body: the client's disconnection
        message = await receive()
        if message["type"] != "http.request":
            return message
        received += len(message.get("body", b""))
        if received > limit:
            scope[TOO_LARGE] = True
            cut = _cut()
            return await cut()
        if not message.get("more_body", False):
            complete = True
        return message

    return counted
