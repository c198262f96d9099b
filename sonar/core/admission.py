"""What a request may take before Django sees it: the size of its body, and, for a live
stream, one of the process's request slots.

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

A live stream holds a request slot for as long as it is open, hours for a workshop. The slots
of a process are SONAR_MAX_CONCURRENT_REQUESTS (granian's backpressure under `sonar serve`): one
anonymous client's streams could take them all, and pages, /healthz and the API then waited for
ever. StreamAdmission lets streams in within StreamCaps only.
"""

import asyncio
import json
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_from_path, gettext_lazy, override

from sonar.core.clients import scope_client_key
from sonar.core.errors import is_api_path
from sonar.environment import envint

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


# Live streams -------------------------------------------------------------------------------


def max_concurrent_requests():
    """Requests (live streams included) one process runs at once: SONAR_MAX_CONCURRENT_REQUESTS,
    8,192 by default (about 0.3 MB each, measured with open streams in bench/scale.py). `sonar
    serve` gives it to granian as its backpressure; the streams' budget is taken from it."""
    return envint("SONAR_MAX_CONCURRENT_REQUESTS", 8192, least=1)


@dataclass(frozen=True)
class StreamCaps:
    """How many live streams one process holds open, of its `capacity` request slots.

    - A reserve of a tenth of the slots (16 at least) is never given to a stream: pages,
      /healthz, the API and answers always find a slot, whatever the streams do.
    - One workshop holds at most half of the streams' slots: at the default capacity, 3,686
      for a room the design sizes at 500 people; one busy (or attacked) workshop leaves the
      others live.
    - One client (a network address, an IPv6 /64: sonar/core/clients.py) holds at most an
      eighth of them: 921 at the default capacity, so a whole room behind one town hall's NAT
      still follows live, while one client alone cannot take every slot.

    A stream refused is answered at once (429 for a client past its share, 503 otherwise); the
    page then polls the workshop's snapshot instead, as it does without EventSource.
    """

    capacity: int

    @property
    def reserve(self):
        return min(self.capacity // 2, max(16, self.capacity // 10))

    @property
    def streams(self):
        return self.capacity - self.reserve

    @property
    def per_workshop(self):
        return max(1, self.streams // 2)

    @property
    def per_client(self):
        return max(1, self.streams // 8)


class StreamAdmission:
    """ASGI middleware: a live stream is let in only within StreamCaps; everything else passes.

    `stream_of(path)` says which workshop a request's path streams (its code), or None for
    any other request. Counts are this process's (its cap is per process), kept on the event
    loop's thread without a lock: nothing awaits between a check and its count.
    """

    def __init__(self, app, stream_of, capacity=None):
        self.app = app
        self.stream_of = stream_of
        self.caps = StreamCaps(capacity or max_concurrent_requests())
        self.open = 0
        self.by_workshop = Counter()
        self.by_client = Counter()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        workshop = self.stream_of(scope.get("path", ""))
        if workshop is None:
            return await self.app(scope, receive, send)
        client = scope_client_key(scope)
        if self.by_client[client] >= self.caps.per_client:
            return await _refuse(scope, send, 429)
        if self.open >= self.caps.streams or self.by_workshop[workshop] >= self.caps.per_workshop:
            return await _refuse(scope, send, 503)
        self.open += 1
        self.by_workshop[workshop] += 1
        self.by_client[client] += 1
        try:
            return await self.app(scope, receive, send)
        finally:
            self.open -= 1
            for counts, key in ((self.by_workshop, workshop), (self.by_client, client)):
                counts[key] -= 1
                if counts[key] <= 0:
                    del counts[key]


REFUSALS = {
    429: gettext_lazy(
        "Trop de flux en direct sont déjà ouverts depuis ce réseau. La page se met à jour "
        "toutes les quelques secondes à la place."
    ),
    503: gettext_lazy(
        "Sonar suit déjà autant de flux en direct qu’il le peut. La page se met à jour toutes "
        "les quelques secondes à la place."
    ),
}


async def _refuse(scope, send, status):
    language = get_language_from_path(scope.get("path", "")) or settings.LANGUAGE_CODE
    with override(language):
        body = json.dumps({"error": str(REFUSALS[status]), "fields": {}}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"retry-after", b"30"),
        # The connection goes with the refusal: left open, it would keep holding a request slot
        # of the server (granian counts connections against its backpressure).
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
