"""Kept pages answered before Django (sonar/core/frontcache.py): the same bytes and headers as
Django's, a CSRF token of each visitor's own, nothing for a visitor with a session, an edit
shown at once, the same key as Django's (only what Django reads of the request)."""

import asyncio
import gzip
import re

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse

from sonar.atlas.models import Resource
from sonar.core import frontcache, pagecache
from sonar.core.actions import save_revision

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
UNSTABLE = {b"set-cookie", b"content-length", b"x-page-cache", b"date"}


class Counting:
    """Django's ASGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = ASGIHandler()
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await self.handler(scope, receive, send)


@pytest.fixture
def app():
    return frontcache.FrontCache(Counting())


def call_with_host(app, path, headers):
    return call(app, path, headers=headers, host=None)


def call(app, path, method="GET", headers=(), query=b"", host=b"testserver"):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [*([(b"host", host)] if host else []), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent = []
    incoming = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if incoming:
            return incoming.pop()
        await asyncio.Event().wait()  # the client stays until the response ends

    async def send(message):
        sent.append(message)

    # From a synchronous test, Django's synchronous code runs in this thread and so sees the
    # test's transaction; as Django's test client does, the request must not close the test's
    # connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        async_to_sync(app)(scope, receive, send)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], [(n.lower(), v) for n, v in start["headers"]], body


def header(headers, name):
    values = [v.decode() for n, v in headers if n == name.encode()]
    return values[0] if values else None


def cookie(headers, name="csrftoken"):
    for value in [v.decode() for n, v in headers if n == b"set-cookie"]:
        if value.startswith(f"{name}="):
            return value.split(";")[0].split("=", 1)[1]
    return None


def stable(headers):
    return sorted((n, v) for n, v in headers if n not in UNSTABLE)


def test_every_page_of_the_benchmark_is_answered_before_django_the_same(app, pages):
    for name, url in pages.items():
        path, _, query = url.partition("?")
        status, headers, body = call(app, path, query=query.encode())
        assert status == 200, name
        assert int(header(headers, "content-length")) == len(body), name
        calls = app.app.calls
        again_status, again_headers, again_body = call(app, path, query=query.encode())
        assert app.app.calls == calls, f"{name}: Django answered a kept page"
        assert again_status == 200
        assert header(again_headers, "x-page-cache") == "hit"
        assert TOKEN.sub(b"", again_body) == TOKEN.sub(b"", body), name
        assert stable(again_headers) == stable(headers), name
        assert int(header(again_headers, "content-length")) == len(again_body)


def test_each_visitor_gets_a_token_of_their_own_matching_their_cookie(app, quiz_content):
    path = reverse("quiz:question", args=["style", 1])
    call(app, path)
    tokens = set()
    for _ in range(2):
        _status, headers, body = call(app, path)
        secret = cookie(headers)
        token = TOKEN.search(body).group(1).decode()
        assert _unmask_cipher_token(token) == secret
        tokens.add(token)
        assert pagecache.placeholder().encode() not in body
    assert len(tokens) == 2

    # A visitor who has a CSRF cookie keeps it; a malformed one is replaced.
    mine = "a" * 32
    _status, headers, body = call(app, path, headers=[(b"cookie", f"csrftoken={mine}".encode())])
    assert cookie(headers) == mine
    assert _unmask_cipher_token(TOKEN.search(body).group(1).decode()) == mine
    _status, headers, body = call(app, path, headers=[(b"cookie", b"csrftoken=<script>")])
    assert cookie(headers) not in (None, "<script>")


def test_a_page_without_a_form_sets_no_cookie(app, quiz_content):
    path = reverse("quiz:start", args=["style"])
    call(app, path)
    _status, headers, _body = call(app, path)
    assert header(headers, "x-page-cache") == "hit"
    assert cookie(headers) is None


def test_a_visitor_with_a_session_always_reaches_django(app, quiz_content):
    path = reverse("quiz:question", args=["style", 1])
    call(app, path)
    calls = app.app.calls
    call(app, path, headers=[(b"cookie", b"sessionid=whatever")])
    call(app, path, headers=[(b"cookie", b"a=b"), (b"cookie", b"sessionid=whatever")])
    assert app.app.calls == calls + 2


@pytest.mark.parametrize(
    "extra",
    [
        [(b"if-none-match", b'"x"')],
        [(b"if-modified-since", b"Thu, 26 Nov 2026 00:00:00 GMT")],
        [(b"range", b"bytes=0-10")],
    ],
)
def test_conditional_requests_reach_django(app, quiz_content, extra):
    path = reverse("quiz:start", args=["style"])
    call(app, path)
    calls = app.app.calls
    call(app, path, headers=extra)
    assert app.app.calls == calls + 1


def test_another_host_is_another_page(app, quiz_content, settings):
    settings.ALLOWED_HOSTS = ["testserver", "autre.example"]
    path = reverse("quiz:start", args=["style"])
    call(app, path)
    calls = app.app.calls
    scope_headers = [(b"host", b"autre.example")]
    # The second Host header is ignored by Django, as by the key: the page is the same.
    call(app, path, headers=[(b"x-forwarded-host", b"ailleurs.example")])
    assert app.app.calls == calls
    status, headers, _body = call_with_host(app, path, scope_headers)
    assert (status, header(headers, "x-page-cache")) == (200, "miss")


def test_a_forwarded_scheme_counts_only_where_django_reads_it(app, quiz_content, settings):
    path = reverse("quiz:start", args=["style"])
    call(app, path)
    calls = app.app.calls
    call(app, path, headers=[(b"x-forwarded-proto", b"https")])
    assert app.app.calls == calls  # Django does not read the header: the same page
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    call(app, path, headers=[(b"x-forwarded-proto", b"https")])
    assert app.app.calls == calls + 1


def test_a_disallowed_host_reaches_django_and_its_400(app, quiz_content):
    path = reverse("quiz:start", args=["style"])
    call(app, path)
    status, _headers, _body = call_with_host(app, path, [(b"host", b"evil.example")])
    assert status == 400


def test_head_is_answered_with_the_headers_only(app, quiz_content):
    path = reverse("quiz:start", args=["style"])
    _status, _headers, body = call(app, path)
    status, headers, head_body = call(app, path, method="HEAD")
    assert (status, head_body) == (200, b"")
    assert int(header(headers, "content-length")) == len(body)


def test_posts_always_reach_django(app, quiz_content):
    path = reverse("quiz:question", args=["style", 1])
    call(app, path)
    calls = app.app.calls
    status, _headers, _body = call(app, path, method="POST")
    assert status == 403  # no CSRF token: refused by Django, not answered from the cache
    assert app.app.calls == calls + 1


def test_an_edit_shows_at_once(app, reference_content):
    resource = Resource.objects.order_by("slug").first()
    path = reverse("atlas:resource", args=[resource.slug])
    call(app, path)
    assert header(call(app, path)[1], "x-page-cache") == "hit"
    resource.title_fr = "Un titre tout neuf"
    save_revision(resource, "edit", based_on=resource.revision)
    _status, headers, body = call(app, path)
    assert header(headers, "x-page-cache") == "miss"
    assert "Un titre tout neuf" in body.decode()


def test_the_language_comes_from_the_address_only(app, quiz_content):
    path = reverse("quiz:start", args=["style"])
    call(app, path)
    _status, headers, body = call(
        app, path, headers=[(b"accept-language", b"en"), (b"cookie", b"django_language=en")]
    )
    assert header(headers, "content-language") == "fr"
    assert b'lang="fr"' in body


def test_the_cache_away_is_a_miss_not_an_error(app, quiz_content, monkeypatch):
    path = reverse("quiz:start", args=["style"])
    call(app, path)

    def broken(*args, **kwargs):
        raise ConnectionError("cache away")

    monkeypatch.setattr(pagecache, "lookup", broken)
    status, _headers, _body = call(app, path)
    assert status == 200


def test_a_page_without_a_form_travels_compressed_to_whoever_accepts_it(app, reference_content):
    path = reverse("atlas:map")
    _status, _headers, body = call(app, path)
    gzip_please = [(b"accept-encoding", b"gzip, deflate, br")]
    _status, headers, compressed = call(app, path, headers=gzip_please)
    assert header(headers, "content-encoding") == "gzip"
    assert int(header(headers, "content-length")) == len(compressed) < len(body) / 3
    assert gzip.decompress(compressed) == body
    assert "Accept-Encoding" in header(headers, "vary")

    for refusal in (b"identity", b"gzip;q=0, identity", b"br"):
        _status, headers, plain = call(app, path, headers=[(b"accept-encoding", refusal)])
        assert header(headers, "content-encoding") is None
        assert plain == body
        assert "Accept-Encoding" in header(headers, "vary")


def test_a_page_with_a_token_is_never_compressed(app, quiz_content):
    path = reverse("quiz:question", args=["style", 1])
    call(app, path)
    _status, headers, body = call(app, path, headers=[(b"accept-encoding", b"gzip")])
    assert header(headers, "x-page-cache") == "hit"
    assert header(headers, "content-encoding") is None
    assert TOKEN.search(body)
