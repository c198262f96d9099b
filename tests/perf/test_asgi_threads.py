"""sonar.asgi: a request's synchronous code runs on one thread borrowed from a pool, not on a
thread created (and joined by another new one) for each request; a thread idle for a while
(a live stream's, waiting for hours) ends."""

import asyncio
import threading
import time

import pytest
from django.db import connection, connections
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path

from sonar.asgi import Executors, IdleEndingExecutor, PooledASGIHandler

threads_seen = []


def where(request):
    threads_seen.append(threading.get_ident())
    return HttpResponse(str(threading.get_ident()))


urlpatterns = [path("where/", where), path("stream/", lambda request: stream(request))]


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
    assert all(executor._shut for executor in taken[2:])
    assert not any(executor._shut for executor in taken[:2])


def wait_until(condition, seconds=5):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.01)


def test_an_executor_runs_calls_in_order_on_one_thread_and_passes_errors_on():
    executor = IdleEndingExecutor(idle=5)
    order = []
    futures = [
        executor.submit(lambda n=n: order.append((n, threading.get_ident()))) for n in range(20)
    ]
    for future in futures:
        future.result(timeout=5)
    assert [n for n, _ in order] == list(range(20))
    assert len({ident for _, ident in order}) == 1

    def fails():
        raise ValueError("raté")

    with pytest.raises(ValueError, match="raté"):
        executor.submit(fails).result(timeout=5)
    executor.shutdown()
    assert not executor.has_thread or not any(
        t.name == "sonar-request" and t.ident == order[0][1] for t in threading.enumerate()
    )
    with pytest.raises(RuntimeError):
        executor.submit(lambda: None)


@pytest.mark.django_db(transaction=True)
def test_an_idle_thread_ends_and_closes_its_database_connection():
    executor = IdleEndingExecutor(idle=0.2)
    seen = {}

    def query():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        opened = connections["default"]
        close = opened.close

        def closing():
            seen["closed in"] = threading.get_ident()
            close()

        opened.close = closing  # an in-memory test database ignores close(): watch the call
        return threading.get_ident()

    first = executor.submit(query).result(timeout=5)
    wait_until(lambda: not executor.has_thread)
    wait_until(lambda: "closed in" in seen)
    assert seen["closed in"] == first  # by its own thread, as it ended
    assert not any(t.ident == first and t.is_alive() for t in threading.enumerate())
    # The next call gets a thread again.
    assert executor.submit(threading.get_ident).result(timeout=5)
    executor.shutdown()


async def waiting_stream():
    yield "début\n"
    await asyncio.sleep(3600)


def stream(request):
    threads_seen.append(threading.get_ident())
    return StreamingHttpResponse(waiting_stream())


def test_an_open_stream_holds_no_thread_once_idle(app, monkeypatch):
    """A live stream waits for hours after its first milliseconds of synchronous work: its
    thread ends meanwhile (a room of 500 held 500 threads, about 0.1 MB each)."""
    monkeypatch.setattr("sonar.asgi.IDLE_SECONDS", 0.2)

    async def run():
        sent = []

        def receiver():
            messages = [{"type": "http.request", "body": b"", "more_body": False}]

            async def receive():
                if messages:
                    return messages.pop()
                await asyncio.sleep(3600)  # the client stays

            return receive

        async def send(message):
            sent.append(message)

        tasks = [asyncio.create_task(app(scope("/stream/"), receiver(), send)) for _ in range(10)]
        while sum(1 for m in sent if m.get("body") == b"d\xc3\xa9but\n") < 10:
            await asyncio.sleep(0.01)
        threads = set(threads_seen)
        assert len(threads) == 10
        deadline = time.monotonic() + 5
        while any(t.ident in threads and t.is_alive() for t in threading.enumerate()):
            assert time.monotonic() < deadline, "the streams' threads did not end"
            await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(run())
