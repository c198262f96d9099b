"""`sonar serve` (granian) believes X-Forwarded-For only from the proxies in FORWARDED_ALLOW_IPS."""

import asyncio

import pytest
from granian.utils.proxies import wrap_asgi_with_proxy_headers

from sonar.core import serving


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

    monkeypatch.setattr("granian.Granian", FakeGranian)
    monkeypatch.setattr(serve.Command, "collect_static_files", lambda self: None)
    serve.Command().handle(host="127.0.0.1", port=8999, workers=2)
    assert given["backpressure"] == 300
    assert given["backlog"] >= 2048
    assert given["target"] == "sonar.core.serving:application"
