"""Throwaway services for the fault tests: each test breaks its own PostgreSQL, Redis and Sonar
processes, never the machine's shared ones (other runs and CI workers use those).

A migrated database with the style quiz is built once per test run (a PostgreSQL data directory
and a SQLite file, under a lock shared by the xdist workers) and copied for each test module,
so breaking one costs a copy, not a migration.

Each test runs in exactly one of the CI's two passes: the PostgreSQL and Redis faults in the
pass whose DATABASE_URL is PostgreSQL, the SQLite ones in the other. They start their own
services either way; the split only keeps them from running twice.
"""

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from http.client import HTTPConnection, HTTPException
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SONAR = str(Path(sys.executable).with_name("sonar"))
POSTGRES_PASS = os.environ.get("DATABASE_URL", "").startswith("postgres")

only_in_postgres_pass = pytest.mark.skipif(
    not POSTGRES_PASS,
    reason="Runs once per CI, in the PostgreSQL and Redis pass (it starts its own services)",
)
only_in_sqlite_pass = pytest.mark.skipif(
    POSTGRES_PASS, reason="Runs once per CI, in the SQLite pass (it is about SQLite)"
)

# Longer than the suite's default (pyproject.toml): the first fault test of a worker builds the
# golden clusters (initdb, migrate), or waits for another worker to finish building them.
TIMEOUT_SECONDS = 300


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.timeout(TIMEOUT_SECONDS))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout, message, interval=0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(interval)


# Sonar, as a client sees it.


def base_env(var_dir, **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith("PYTEST")
    }
    return env | {
        "SONAR_VAR_DIR": str(var_dir),
        "SECRET_KEY": "fault-tests-key-" + "x" * 40,
        "SONAR_STATIC_MANIFEST": "0",
        "DEBUG": "0",
        **extra,
    }


def sonar(env, *args):
    """Run `sonar ARGS`; the completed process (output kept)."""
    done = subprocess.run(
        [SONAR, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, f"sonar {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done


class Server:
    """One Sonar process that a test may kill and restart: Sonar's ASGI application under
    uvicorn, a single process (`sonar serve` runs it under granian, whose main process would
    start a new worker by itself: here the test decides when the server comes back)."""

    def __init__(self, env, port=None):
        self.env = env
        self.port = port or free_port()
        self.process = None
        self.log = Path(env["SONAR_VAR_DIR"]) / f"server-{self.port}.log"

    def start(self):
        command = [sys.executable, "-m", "uvicorn", "sonar.asgi:application"]
        command += ["--port", str(self.port), "--lifespan", "off", "--log-level", "warning"]
        command += ["--timeout-graceful-shutdown", "1"]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log
            )
        wait_until(self._listening, 30, f"Sonar on port {self.port} did not start: {self.logs()}")
        return self

    def _listening(self):
        if self.process.poll() is not None:
            raise AssertionError(f"Sonar on port {self.port} exited: {self.logs()}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return False
        return True

    def logs(self):
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def call(port, method, path, body=None, token=None, timeout=10, accept="application/json"):
    """(status, parsed JSON or text, headers); HTTP errors are answers too, not exceptions."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", "Accept": accept}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, headers = error.code, error.read(), error.headers
    text = raw.decode()
    if headers.get("Content-Type", "").startswith("application/json"):
        return status, json.loads(text), headers
    return status, text, headers


class Room:
    """A workshop driven over plain HTTP, keeping every answer the server acknowledged."""

    def __init__(self, port, title="Atelier en panne"):
        status, created, _headers = call(
            port, "POST", "/api/v1/workshops",
            {"questionnaire": "style", "title": title, "mode": "self-paced"},
        )  # fmt: skip
        assert status == 201, created
        self.code = created["code"]
        self.facilitator = created["facilitator_token"]
        _status, quiz, _headers = call(port, "GET", "/api/v1/quiz/style")
        self.questions = [(q["key"], [c["key"] for c in q["choices"]]) for q in quiz["questions"]]
        # (participant token, question) -> the choice acknowledged last
        self.acknowledged = {}
        self.refused = []

    def join(self, port):
        status, body, _headers = call(port, "POST", f"/api/v1/workshops/{self.code}/participants")
        assert status == 201, body
        return body["participant_token"]

    def answer(self, port, token, question, choice, timeout=10):
        """Send one answer; the workshop's version when acknowledged, else None. A connection
        error is not an answer."""
        try:
            status, body, _headers = call(
                port, "PUT", f"/api/v1/workshops/{self.code}/answers/{question}",
                {"choice": choice}, token, timeout=timeout,
            )  # fmt: skip
        except (OSError, HTTPException):
            return None
        if status == 200:
            self.acknowledged[(token, question)] = choice
            return body["version"]
        self.refused.append((status, body))
        return None

    def answer_until_acknowledged(self, ports, token, question, choice, timeout=30):
        """As a phone does: try again (on the next server, if there are several) until the
        answer is acknowledged."""
        deadline = time.monotonic() + timeout
        attempt = 0
        while not self.answer(ports[attempt % len(ports)], token, question, choice):
            attempt += 1
            if time.monotonic() > deadline:
                raise AssertionError(f"Never acknowledged; refusals: {self.refused[-3:]}")
            time.sleep(0.1)

    def snapshot(self, port):
        status, body, _headers = call(port, "GET", f"/api/v1/workshops/{self.code}")
        assert status == 200, body
        return body


def first_event(port, path, token=None, timeout=10):
    """The first snapshot of an event stream, and whether the stream then ended by itself
    (the polling fallback) or stayed open (live)."""
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
    response = conn.getresponse()
    assert response.status == 200, response.read()
    return EventReader(conn, response)


class EventReader:
    def __init__(self, conn, response):
        self.conn = conn
        self.response = response
        self.buffer = ""
        self.ended = False

    def next(self, timeout=10):
        """The next snapshot, or None when the stream ends (or nothing comes in time)."""
        self.conn.sock.settimeout(timeout)
        while "\n\n" not in self.buffer or not self._has_data():
            try:
                chunk = self.response.read1(65536)
            except (OSError, HTTPException):
                return None
            if not chunk:
                self.ended = True
                return None
            self.buffer += chunk.decode()
        while True:
            block, self.buffer = self.buffer.split("\n\n", 1)
            data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
            if data:
                return json.loads("".join(data))

    def _has_data(self):
        blocks = self.buffer.split("\n\n")[:-1]
        return any("data: " in block for block in blocks)

    def close(self):
        self.conn.close()


# The database, as the test reads it back.


def stored_answers(connect, code):
    """{(participant token digest, question): choice} of the workshop, read straight from
    the database."""
    with connect() as db:
        rows = db.execute(
            "SELECT p.token_digest, a.question_key, a.choice_key "
            "FROM workshops_answer a JOIN workshops_participant p ON a.participant_id = p.id "
            "JOIN workshops_workshop w ON p.workshop_id = w.id WHERE w.code = "
            + ("%s" if "psycopg" in type(db).__module__ else "?"),
            [code],
        ).fetchall()
    return {(digest, question): choice for digest, question, choice in rows}


def assert_every_acknowledged_answer_stored(room, connect):
    from sonar.workshops.models import digest

    stored = stored_answers(connect, room.code)
    expected = {
        (digest(token), question): choice for (token, question), choice in room.acknowledged.items()
    }
    missing = {key: choice for key, choice in expected.items() if stored.get(key) != choice}
    assert not missing, f"{len(missing)} acknowledged answers are not stored as acknowledged"
    return stored


# PostgreSQL.


def pg_bin(name):
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    for directory in reversed(versions):
        if (directory / name).exists():
            return str(directory / name)
    return shutil.which(name)


def as_postgres(command):
    """PostgreSQL refuses to run as root: as root, run its commands as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def own(path):
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")


class Postgres:
    """A PostgreSQL cluster of our own on a free port, trust authentication, fsync off."""

    def __init__(self, data_dir):
        self.data_dir = Path(data_dir)
        self.port = free_port()

    @property
    def url(self):
        return self.url_of("sonar")

    def _ctl(self, *args):
        options = f"-p {self.port} -k {self.data_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        command = [pg_bin("pg_ctl"), "-D", str(self.data_dir), "-w", "-t", "30"]
        command += ["-l", str(self.data_dir / "server.log"), "-o", options, *args]
        subprocess.run(as_postgres(command), check=True, capture_output=True, timeout=60)

    def start(self):
        self._ctl("start")
        return self

    def stop(self):
        # Fast shutdown: open connections are cut, as when the database server goes away.
        self._ctl("stop", "-m", "fast")

    def connect(self, dbname="sonar", **options):
        import psycopg

        return psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}", **options
        )

    def url_of(self, dbname):
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"


@contextmanager
def _built_once(tmp_path_factory, name):
    """Run the block once per test run, whichever xdist worker comes first; yields the
    shared directory and whether this caller must build it."""
    root = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent  # shared by the workers of this run
    root = root / "faults-golden"
    root.mkdir(exist_ok=True)
    target = root / name
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield target, not (root / f"{name}.done").exists()
        (root / f"{name}.done").touch()


def _minimal_content(directory):
    """The style quiz alone: the workshops need nothing else, and it loads in a moment."""
    (directory / "quiz").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "content" / "quiz" / "style.yaml", directory / "quiz" / "style.yaml")
    return directory


def postgres_dir():
    """A fresh directory the postgres user owns: pytest's own temporary directories are
    private to root, and PostgreSQL refuses to run as root."""
    path = Path(tempfile.mkdtemp(prefix="sonar-faults-pg-"))
    own(path)
    return path


def copy_cluster(source, target):
    subprocess.run(["cp", "-a", str(source), str(target)], check=True, timeout=60)
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", str(target)], check=True, timeout=60)


@pytest.fixture(scope="session")
def golden_postgres(tmp_path_factory):
    """A stopped cluster holding a migrated `sonar` database with the style quiz."""
    if not pg_bin("initdb") or not pg_bin("pg_ctl"):
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    with _built_once(tmp_path_factory, "postgres") as (golden, build):
        if build:
            work = postgres_dir()
            data_dir = work / "data"
            try:
                subprocess.run(
                    as_postgres([pg_bin("initdb"), "-D", str(data_dir), "-A", "trust", "-U",
                                 "postgres", "-E", "UTF8", "--no-sync"]),
                    check=True, capture_output=True, timeout=120,
                )  # fmt: skip
                cluster = Postgres(data_dir).start()
                try:
                    subprocess.run(
                        as_postgres([pg_bin("createdb"), "-h", "127.0.0.1", "-p",
                                     str(cluster.port), "-U", "postgres", "sonar"]),
                        check=True, capture_output=True, timeout=60,
                    )  # fmt: skip
                    env = base_env(work, DATABASE_URL=cluster.url)
                    sonar(env, "migrate")
                    content = _minimal_content(work / "content")
                    sonar(env, "load-content", "--directory", str(content))
                finally:
                    cluster.stop()
                shutil.rmtree(golden, ignore_errors=True)
                subprocess.run(["cp", "-a", str(data_dir), str(golden)], check=True, timeout=60)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    return golden


@pytest.fixture(scope="module")
def postgres(golden_postgres):
    """This module's own cluster, a copy of the golden one, started."""
    work = postgres_dir()
    copy_cluster(golden_postgres, work / "data")
    cluster = Postgres(work / "data").start()
    yield cluster
    with suppress(subprocess.CalledProcessError):
        cluster.stop()  # unless the test left it stopped
    shutil.rmtree(work, ignore_errors=True)


# Redis.


class Redis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until(self._up, 10, "redis-server did not start")
        return self

    def _up(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return False
        return True

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = Redis().start()
    yield server
    server.stop()


# SQLite.


@pytest.fixture(scope="session")
def golden_sqlite(tmp_path_factory):
    """A migrated SQLite database with the style quiz."""
    with _built_once(tmp_path_factory, "sqlite") as (var_dir, build):
        if build:
            shutil.rmtree(var_dir, ignore_errors=True)
            var_dir.mkdir()
            env = base_env(var_dir)
            sonar(env, "migrate")
            sonar(env, "load-content", "--directory", str(_minimal_content(var_dir / "content")))
    return var_dir / "sonar.sqlite3"


@pytest.fixture
def sqlite_var_dir(golden_sqlite, tmp_path):
    """A var dir of its own, holding a copy of the golden database."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    shutil.copy(golden_sqlite, var_dir / "sonar.sqlite3")
    return var_dir


@pytest.fixture
def servers():
    """Every Sonar process a test starts, stopped at its end."""
    started = []
    yield started
    for server in started:
        server.stop()
