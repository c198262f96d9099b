"""`sonar serve` (granian): X-Forwarded-For believed only from the proxies in FORWARDED_ALLOW_IPS,
many live streams at once, a main process without Django."""

import asyncio
import json
import subprocess
import sys

import pytest
from granian.constants import Interfaces
from granian.utils.proxies import wrap_asgi_with_proxy_headers

from sonar import serving, supervise

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (None, ["127.0.0.1"]),
        ("", ["127.0.0.1"]),
        ("*", "*"),
        ("10.0.0.1, 10.1.0.0/16", ["10.0.0.1", "10.1.0.0/16"]),
    ],
)
def test_the_trusted_proxies_come_from_forwarded_allow_ips(monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    else:
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", setting)
    assert serving.trusted_proxies() == expected


@pytest.mark.parametrize(
    ("peer", "seen"), [("127.0.0.1", "203.0.113.7"), ("198.51.100.9", "198.51.100.9")]
)
def test_a_forwarded_address_is_believed_only_from_a_trusted_proxy(peer, seen):
    scopes = []

    async def app(scope, receive, send):
        scopes.append(scope)

    wrapped = wrap_asgi_with_proxy_headers(app, trusted_hosts=["127.0.0.1"])
    scope = {
        "type": "http",
        "client": (peer, 5000),
        "headers": [(b"x-forwarded-for", b"203.0.113.7"), (b"x-forwarded-proto", b"https")],
    }
    asyncio.run(wrapped(scope, None, None))
    assert scopes[0]["client"][0] == seen


def test_serve_lets_many_live_streams_run_at_once(monkeypatch):
    """granian's default (1,024 requests at once per worker) stalled every new request once 50
    workshops of 20 had their streams open; the ceiling is ours and can be set."""
    from sonar.core.management.commands import serve

    monkeypatch.delenv("SONAR_MAX_CONCURRENT_REQUESTS", raising=False)
    assert serve.max_concurrent_requests() == 8192
    monkeypatch.setenv("SONAR_MAX_CONCURRENT_REQUESTS", "300")
    assert serve.max_concurrent_requests() == 300

    given = {}

    class FakeGranian:
        def __init__(self, target, **options):
            given.update(options, target=target)

        def serve(self):
            pass

    executed = []
    monkeypatch.setattr("granian.Granian", FakeGranian)
    monkeypatch.setattr(serve.os, "execve", lambda program, args, env: executed.append(args))
    monkeypatch.setattr(serve.Command, "collect_static_files", lambda self: None)
    serve.Command().handle(host="127.0.0.1", port=8999, workers=2)
    [args] = executed
    assert args[1:3] == ["-m", "sonar.supervise"]
    supervise.main(args[3:])
    assert given["backpressure"] == 300
    assert given["backlog"] >= 2048
    assert given["target"] == "sonar.serving:application"
    assert given["interface"] == Interfaces.ASGINL
    assert (given["address"], given["port"], given["workers"]) == ("127.0.0.1", 8999, 2)


def test_granian_main_process_runs_without_django():
    """`sonar serve` hands its process over to granian's main process, which only looks after
    the workers: without Django it takes about 28 MB instead of 65 (bench/workshop.py)."""
    from sonar.core.management.commands import serve

    options = json.dumps(serve.granian_options("127.0.0.1", 8999, 1))
    code = (
        "import sys; from sonar import supervise; "
        f"supervise.granian_options({options!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'sonar')))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "['sonar', 'sonar.supervise']"
