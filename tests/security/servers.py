"""A real Sonar server for the tests that need one (bodies read off the socket, live streams):
`sonar serve` (granian) or uvicorn, on a copy of the faults' golden SQLite database (migrated,
with the style quiz), on a free port; stopped at the end of the test.

Each test that uses it runs in the SQLite pass only: the server uses its own database, so the
PostgreSQL pass would run the same thing again (tests/faults/conftest.py).
"""

import os
import signal
import subprocess
import sys
from contextlib import suppress

import pytest

from tests.faults.conftest import (  # noqa: F401 (only_in_sqlite_pass: for the tests)
    ROOT,
    SONAR,
    Server,
    base_env,
    only_in_sqlite_pass,
    wait_until,
)

SERVERS = ("granian", "uvicorn")


class RunningSonar(Server):
    """The faults' Server, run as `sonar serve` (granian) or uvicorn, in a session of its own:
    stopping it stops granian's workers with it."""

    def __init__(self, kind, var_dir, **env):
        super().__init__(base_env(var_dir, **env))
        self.kind = kind

    def start(self):
        if self.kind == "granian":
            command = [SONAR, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        else:
            command = [sys.executable, "-m", "uvicorn", "sonar.asgi:application"]
            command += ["--port", str(self.port), "--lifespan", "off", "--log-level", "warning"]
            command += ["--timeout-graceful-shutdown", "1"]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True
            )
        wait_until(self._listening, 60, f"{self.kind} did not start: {self.logs()}")
        return self

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def sonar_server(sqlite_var_dir):  # the faults' fixture, brought in by tests/security/conftest.py
    """start(kind, **env): a running Sonar of that kind, stopped at the end of the test."""
    started = []

    def start(kind, **env):
        server = RunningSonar(kind, sqlite_var_dir, **env).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def read_head(sock):
    """(status line and headers, what came after them) of the answer on `sock`."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def raw_response(sock, timeout):
    """(status, headers text, body so far) of the answer on `sock`, read until the body's
    declared length or the end of the connection."""
    sock.settimeout(timeout)
    head, body = read_head(sock)
    lines = head.decode("latin-1").split("\r\n")
    length = next(
        (
            int(line.split(":", 1)[1])
            for line in lines
            if line.lower().startswith("content-length:")
        ),
        None,
    )
    with suppress(OSError):
        while length is None or len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
    return int(lines[0].split()[1]), "\n".join(lines[1:]), body
