"""sonar/core/admission.py in one process: what the application behind BodyLimit is given, and
what BodyLimit asks of the connection (tests/security/test_body_limits.py does it with real
servers)."""

import asyncio

import pytest

from sonar.core.admission import TOO_LARGE, BodyLimit, body_limit

CHUNK = 65536


def scope(path="/compte/inscription/", length=None):
    headers = [(b"host", b"testserver")]
    if length is not None:
        headers.append((b"content-length", str(length).encode()))
    return {"type": "http", "method": "POST", "path": path, "headers": headers}


class Connection:
    """A client that would send `total` bytes (for ever when None), then disconnect."""

    def __init__(self, total=None):
        self.total = total
        self.read = 0

    async def receive(self):
        if self.total is not None and self.read >= self.total:
            return {"type": "http.disconnect"}
        size = CHUNK if self.total is None else min(CHUNK, self.total - self.read)
        self.read += size
        more = self.total is None or self.read < self.total
        return {"type": "http.request", "body": b"a" * size, "more_body": more}


def run(connection, request_scope):
    """Read the body as Django's handler does; (body length, scope, next message)."""
    given = {}

    async def application(scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        given["body"] = len(body)
        try:
            given["next"] = await asyncio.wait_for(receive(), 0.2)
        except TimeoutError:
            given["next"] = None

    asyncio.run(BodyLimit(application)(request_scope, connection.receive, None))
    return given["body"], request_scope, given["next"]


def test_a_declared_length_past_the_limit_reads_nothing_from_the_connection():
    connection = Connection(total=None)
    body, request_scope, later = run(connection, scope(length=10 * 1024**3))
    assert (connection.read, body, later) == (0, 0, None)
    assert request_scope[TOO_LARGE] is True


def test_a_body_without_a_length_stops_being_read_at_the_limit():
    connection = Connection(total=None)
    body, request_scope, later = run(connection, scope())
    limit = body_limit("/compte/inscription/")
    assert body <= limit
    assert connection.read <= limit + CHUNK
    assert request_scope[TOO_LARGE] is True
    assert later is None


@pytest.mark.parametrize("path", ["/api/v1/workshops", "/healthz"])
def test_the_api_has_its_smaller_limit(path, settings):
    assert body_limit(path) == settings.API_MAX_BODY_BYTES < settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    connection = Connection(total=None)
    run(connection, scope(path))
    assert connection.read <= settings.API_MAX_BODY_BYTES + CHUNK


def test_a_body_within_the_limit_passes_whole_and_then_the_disconnection():
    connection = Connection(total=3 * CHUNK)
    body, request_scope, later = run(connection, scope(length=3 * CHUNK))
    assert body == 3 * CHUNK
    assert TOO_LARGE not in request_scope
    assert later == {"type": "http.disconnect"}
