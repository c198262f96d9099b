"""Two server processes share one PostgreSQL and one Redis: a participant answering through
one is seen, live, by the facilitator connected to the other."""

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.client import HTTPConnection, HTTPException
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from tests.workshops.conftest import choice_for

pytestmark = pytest.mark.django_db(transaction=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port, env):
    command = [sys.executable, "-m", "uvicorn", "sonar.asgi:application", "--port", str(port)]
    # No lifespan in Django; a short grace period, since open event streams never end.
    command += ["--lifespan", "off", "--log-level", "warning", "--timeout-graceful-shutdown", "1"]
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"The server on port {port} did not start")


def call(port, method, path, body=None, token=None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def read_events(port, path, token, events, stop):
    """Put each snapshot of the stream into `events` until `stop` is set."""
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    buffer = ""
    while not stop.is_set():
        try:
            chunk = response.read1(65536)
        except (OSError, HTTPException):
            break  # the server went away at the end of the test
        if not chunk:
            break
        buffer += chunk.decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
            if data:
                events.put(json.loads("".join(data)))
    conn.close()


def test_an_answer_through_one_server_is_seen_by_the_facilitator_on_the_other(
    reference_content, quiz, tmp_path
):
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip(
            "Needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL), as in the CI's second run: "
            "two processes share nothing else."
        )
    url = urlsplit(os.environ["DATABASE_URL"])
    database_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": "two-servers-test-key-" + "x" * 40,
        "SONAR_VAR_DIR": str(tmp_path),
        "SONAR_STATIC_MANIFEST": "0",
        "DEBUG": "0",
    }
    first, second = free_port(), free_port()
    servers = [start_server(first, env), start_server(second, env)]
    stop = threading.Event()
    try:
        status, created = call(
            first, "POST", "/api/v1/workshops",
            {"questionnaire": "style", "title": "Deux serveurs", "mode": "self-paced"},
        )  # fmt: skip
        assert status == 201
        code, facilitator = created["code"], created["facilitator_token"]
        events = queue.Queue()
        reader = threading.Thread(
            target=read_events,
            args=(second, f"/ateliers/{code}/flux", facilitator, events, stop),
            daemon=True,
        )
        reader.start()
        assert events.get(timeout=10)["answers"] == 0
        _status, joined = call(first, "POST", f"/api/v1/workshops/{code}/participants")
        choice = choice_for(quiz, "q1", "usages")
        status, stored = call(
            first, "PUT", f"/api/v1/workshops/{code}/answers/q1", {"choice": choice},
            joined["participant_token"],
        )  # fmt: skip
        assert status == 200
        deadline = time.monotonic() + 10
        while True:
            snapshot = events.get(timeout=max(deadline - time.monotonic(), 0.01))
            if snapshot["version"] >= stored["version"]:
                break
        assert snapshot["answers"] == 1
        assert snapshot["answered"]["q1"] == 1
    finally:
        stop.set()
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
