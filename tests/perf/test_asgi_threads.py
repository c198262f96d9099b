"""sonar.asgi: a request's synchronous code runs on one thread borrowed from a pool, not on a
thread created (and joined by another new one) for each request."""

import asyncio
import threading

import pytest
from django.http import HttpResponse
from django.urls import path

from sonar.asgi import Executors, PooledASGIHandler

threads_seen = []


def where(request):
    threads_seen.append(threading.get_ident())
    return HttpResponse(str(threading.get_ident()))


urlpatterns = [path("where/", where)]


def scope(path="/where/"):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }


async def call(app):
    sent = []
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if messages:
            return messages.pop()
        await asyncio.sleep(3600)

    async def send(message):
        sent.append(message)

    await app(scope(), receive, send)
    return sent


@pytest.fixture
def app(settings):
    settings.ROOT_URLCONF = __name__
    settings.ALLOWED_HOSTS = ["testserver"]
    threads_seen.clear()
    return PooledASGIHandler()


def test_requests_one_after_another_reuse_one_thread(app):
    async def run():
        for _ in range(5):
            sent = await call(app)
            assert sent[0]["status"] == 200

    before = threading.active_count()
    asyncio.run(run())
    assert len(set(threads_seen)) == 1
    assert threading.active_count() <= before + 1


def test_requests_at_once_get_a_thread_each_and_give_them_back(app):
    async def run():
        await asyncio.gather(*(call(app) for _ in range(8)))

    asyncio.run(run())
    assert len(threads_seen) == 8
    # Every executor went back to the pool, and the next requests take them again.
    idle = len(app.executors._idle)
    assert 1 <= idle <= 8
    asyncio.run(run())
    assert len(app.executors._idle) == idle


def test_the_pool_keeps_only_so_many_idle_executors():
    executors = Executors(kept=2)
    taken = [executors.take() for _ in range(4)]
    for executor in taken:
        executor.submit(lambda: None).result()
        executors.give(executor)
    assert executors._idle == taken[:2]
    assert all(executor._shutdown for executor in taken[2:])
    assert not any(executor._shutdown for executor in taken[:2])
