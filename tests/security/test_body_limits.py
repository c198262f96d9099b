"""Oversized bodies are refused before they are read, under a real server (issue 12,
finding 4): a declared length past the limit gets its 413 at once, with nothing read; a body
sent without a length (chunked) is cut at the limit. The French page, or the API's error shape,
as for any 413. Under `sonar serve` (granian) and uvicorn: the guard is Sonar's ASGI
application's (sonar/core/admission.py), not a server's option."""

import json
import socket
import threading

import pytest

from tests.security.servers import SERVERS, only_in_sqlite_pass, raw_response

pytestmark = [only_in_sqlite_pass, pytest.mark.timeout(180)]

TEN_GB = 10 * 1024**3
# Past this, a body the server kept reading is one it would read for ever.
SENDER_GIVES_UP = 64 * 1024**2

FORM = ("/compte/inscription/", "application/x-www-form-urlencoded")
API = ("/api/v1/workshops", "application/json")


def headers(path, content_type, port, length=None):
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Content-Type: {content_type}"]
    lines.append(f"Content-Length: {length}" if length else "Transfer-Encoding: chunked")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def assert_refused(path, status, body):
    assert status == 413
    if path.startswith("/api/"):
        answer = json.loads(body)
        assert set(answer) == {"error", "fields"}
        assert "dépasse la taille permise" in answer["error"]
    else:
        page = body.decode()
        assert '<html lang="fr"' in page
        assert "dépasse la taille permise" in page


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize(("path", "content_type"), [FORM, API], ids=["form", "api"])
def test_a_declared_ten_gigabytes_gets_its_413_at_once(sonar_server, server, path, content_type):
    port = sonar_server(server).port
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(headers(path, content_type, port, length=TEN_GB))
        sock.sendall(b"email=" + b"a" * 1000)
        # The answer comes while 10 GB are still to come: nothing waited for them.
        status, _headers, body = raw_response(sock, timeout=20)
    assert_refused(path, status, body)


@pytest.mark.parametrize("server", SERVERS)
@pytest.mark.parametrize(("path", "content_type"), [FORM, API], ids=["form", "api"])
def test_an_endless_body_without_a_length_is_cut_at_the_limit(
    sonar_server, server, path, content_type
):
    port = sonar_server(server).port
    answered = threading.Event()
    sent = []

    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(headers(path, content_type, port))

        def send_for_ever():
            chunk = b"%x\r\n%s\r\n" % (65536, b"a" * 65536)
            total = 0
            try:
                while not answered.is_set() and total < SENDER_GIVES_UP:
                    sock.sendall(chunk)
                    total += 65536
            except OSError:
                pass  # the server closed the connection: it stopped reading
            sent.append(total)

        sender = threading.Thread(target=send_for_ever, daemon=True)
        sender.start()
        try:
            status, _headers, body = raw_response(sock, timeout=60)
        finally:
            answered.set()
            sender.join(timeout=30)
    assert_refused(path, status, body)
    assert sent and sent[0] < SENDER_GIVES_UP


@pytest.mark.parametrize("server", SERVERS)
def test_a_body_within_the_limit_still_reaches_its_page(sonar_server, server):
    port = sonar_server(server).port
    body = json.dumps({"questionnaire": "style", "title": "Atelier", "mode": "paced"}).encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(headers(API[0], API[1], port, length=len(body)) + body)
        status, _headers, answer = raw_response(sock, timeout=20)
    assert status == 201, answer
    assert "code" in json.loads(answer)
