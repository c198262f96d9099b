"""Open live streams cannot freeze the site (issue 12, finding 5). Each stream holds one of the
process's request slots (SONAR_MAX_CONCURRENT_REQUESTS, granian's backpressure) for as long as
it is open: with the cap at 100, one anonymous client's 100 streams left `/`, `/healthz` and the
API unanswered. Streams are now capped per client and per workshop, and all of them together
leave a reserve of slots to everything else (sonar/core/admission.py); a refused stream gets a
French JSON answer, and the page falls back to polling.

With the cap at 100: a reserve of 16, 84 slots for streams, at most 42 to one workshop and 10 to
one client."""

import json
import socket
import urllib.request
from contextlib import ExitStack, closing

import pytest

from tests.faults.conftest import Room
from tests.security.servers import only_in_sqlite_pass, read_head

pytestmark = [only_in_sqlite_pass, pytest.mark.timeout(240)]

CAP = 100
BUDGET, PER_WORKSHOP, PER_CLIENT = 84, 42, 10


def open_stream(port, code, client="127.0.0.1"):
    """A stream opened from `client` (any 127.x address is this machine): (status, socket)."""
    sock = socket.socket()
    sock.bind((client, 0))
    sock.settimeout(15)
    sock.connect(("127.0.0.1", port))
    sock.sendall(
        f"GET /ateliers/{code}/flux HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    head, _rest = read_head(sock)
    return int(head.split()[1]), sock


def get(port, path, timeout=10):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def assert_the_site_answers(port):
    assert get(port, "/")[0] == 200
    status, body = get(port, "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"
    assert get(port, "/api/v1/quiz/style")[0] == 200


@pytest.fixture
def server(sonar_server):
    return sonar_server("granian", SONAR_MAX_CONCURRENT_REQUESTS=str(CAP))


def test_one_client_opening_a_hundred_streams_does_not_stop_the_site(server):
    code = Room(server.port).code
    with ExitStack() as streams:
        statuses = []
        for _ in range(CAP):
            status, sock = open_stream(server.port, code)
            streams.enter_context(closing(sock))
            statuses.append(status)

        assert_the_site_answers(server.port)
        assert statuses.count(200) == PER_CLIENT
        assert set(statuses[PER_CLIENT:]) == {429}
        # Another client still follows the workshop live.
        status, sock = open_stream(server.port, code, client="127.0.0.2")
        streams.enter_context(closing(sock))
        assert status == 200


def test_a_refused_stream_says_why_in_french(server):
    code = Room(server.port).code
    with ExitStack() as streams:
        for _ in range(PER_CLIENT):
            streams.enter_context(closing(open_stream(server.port, code)[1]))
        with closing(socket.create_connection(("127.0.0.1", server.port))) as sock:
            sock.sendall(f"GET /ateliers/{code}/flux HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            sock.settimeout(15)
            answer = b""
            while chunk := sock.recv(65536):
                answer += chunk
                if b"}" in chunk:
                    break
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 429")
    assert b"retry-after" in head.lower()
    message = json.loads(body)
    assert set(message) == {"error", "fields"}
    assert "flux en direct" in message["error"]


def test_one_workshop_cannot_take_every_stream(server):
    crowded, other = Room(server.port).code, Room(server.port).code
    with ExitStack() as streams:
        admitted = 0
        for n in range(2, 2 + 60):
            status, sock = open_stream(server.port, crowded, client=f"127.0.0.{n}")
            streams.enter_context(closing(sock))
            admitted += status == 200
        assert admitted == PER_WORKSHOP
        status, sock = open_stream(server.port, other, client="127.0.1.1")
        streams.enter_context(closing(sock))
        assert status == 200
        assert_the_site_answers(server.port)


def test_streams_from_many_clients_leave_the_reserve_to_the_site(server):
    codes = [Room(server.port).code for _ in range(3)]
    with ExitStack() as streams:
        admitted = 0
        for n in range(2, 2 + 2 * CAP):
            status, sock = open_stream(server.port, codes[n % 3], client=f"127.0.2.{n % 250}")
            streams.enter_context(closing(sock))
            admitted += status == 200
        assert admitted == BUDGET
        assert_the_site_answers(server.port)
