"""sonar/core/admission.py in one process: what the application behind BodyLimit is given, and
what BodyLimit asks of the connection (tests/security/test_body_limits.py does it with real
servers)."""

import asyncio

import pytest

from sonar.core.admission import TOO_LARGE, BodyLimit, StreamAdmission, StreamCaps, body_limit

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


# Live streams ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacity", "reserve", "streams", "per_workshop", "per_client"),
    [(100, 16, 84, 42, 10), (8192, 819, 7373, 3686, 921), (20, 10, 10, 5, 1)],
)
def test_the_streams_leave_a_reserve_and_share_what_is_left(
    capacity, reserve, streams, per_workshop, per_client
):
    caps = StreamCaps(capacity)
    assert (caps.reserve, caps.streams, caps.per_workshop, caps.per_client) == (
        reserve, streams, per_workshop, per_client,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/ateliers/k7mp3q/flux", "K7MP3Q"),
        ("/en/workshops/K7MP3Q/stream", "K7MP3Q"),
        ("/ateliers/K7MP3Q/", None),
        ("/api/v1/workshops/K7MP3Q", None),
        ("/nulle-part/flux", None),
    ],
)
def test_a_live_stream_is_known_by_its_route(path, code):
    from sonar.asgi import workshop_streamed

    assert workshop_streamed(path) == code


def stream_scope(code, client="203.0.113.7", method="GET"):
    return {
        "type": "http",
        "method": method,
        "path": f"/ateliers/{code}/flux",
        "headers": [],
        "client": (client, 5000),
    }


def test_a_stream_past_its_client_s_share_is_refused_at_once_and_its_slot_comes_back():
    async def scenario():
        release = asyncio.Event()

        async def stream(scope, receive, send):
            await release.wait()

        admission = StreamAdmission(stream, lambda path: path.split("/")[2], capacity=100)
        sent = []

        async def send(message):
            sent.append(message)

        # Ten streams from ten addresses of one IPv6 /64: one client, at its share.
        held = [
            asyncio.create_task(admission(stream_scope("AAAAAA", f"2001:db8::{n}"), None, send))
            for n in range(1, 11)
        ]
        await asyncio.sleep(0)
        await admission(stream_scope("AAAAAA", "2001:db8::ff"), None, send)
        refused = sent[0]["status"], dict(sent[0]["headers"])[b"connection"]
        release.set()
        await asyncio.gather(*held)
        return refused, admission.open, [m["status"] for m in sent if "status" in m]

    refused, still_open, statuses = asyncio.run(scenario())
    assert refused == (429, b"close")
    assert still_open == 0
    assert statuses == [429]


def test_a_head_request_or_a_page_passes_without_counting():
    async def scenario():
        async def app(scope, receive, send):
            pass

        admission = StreamAdmission(app, lambda path: None, capacity=20)
        for _ in range(50):
            await admission({"type": "http", "method": "GET", "path": "/", "client": None}, 0, 0)
        return admission.open

    assert asyncio.run(scenario()) == 0
