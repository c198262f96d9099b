"""The live stream: Server-Sent Events carrying the full snapshot, ids that only go up,
Last-Event-ID honoured, heartbeats, and a clean stop when the screen goes away."""

import asyncio
import contextlib
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient

from sonar.workshops import actions, live
from tests.workshops.conftest import choice_for, join

pytestmark = pytest.mark.django_db(transaction=True)


def parse(chunk):
    return dict(
        line.split(": ", 1) for line in chunk.strip().splitlines() if not line.startswith(":")
    )


class Stream:
    """Reads a response's chunks in a task of its own, so that waiting with a timeout never
    cancels the server's generator (which would end the stream)."""

    def __init__(self, chunks):
        self.chunks = chunks
        self.queue = asyncio.Queue()
        self.task = asyncio.ensure_future(self._read())

    async def _read(self):
        async for chunk in self.chunks:
            await self.queue.put(chunk.decode() if isinstance(chunk, bytes) else chunk)

    async def next_chunk(self, timeout=5):
        return await asyncio.wait_for(self.queue.get(), timeout)

    async def aclose(self):
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.chunks.aclose()


async def next_event(stream, timeout=5):
    """The next snapshot event, skipping the retry hint and heartbeats."""
    while True:
        fields = parse(await stream.next_chunk(timeout))
        if fields.get("event") == "snapshot":
            return int(fields["id"]), json.loads(fields["data"])


async def open_stream(workshop, token=None, last_id=None):
    headers = {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if last_id is not None:
        headers["Last-Event-ID"] = str(last_id)
    response = await AsyncClient().get(f"/ateliers/{workshop.code}/flux", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    return Stream(response.streaming_content)


def test_the_stream_sends_the_snapshot_at_once_then_each_answer_with_a_higher_id(
    make_workshop, quiz
):
    workshop = make_workshop()
    person = join(workshop)

    async def scenario():
        chunks = await open_stream(workshop, workshop.token)
        first_id, first = await next_event(chunks)
        assert (first["participants"], first["answers"]) == (1, 0)
        await sync_to_async(actions.answer)(
            workshop, person, "q1", choice_for(quiz, "q1", "usages")
        )
        second_id, second = await next_event(chunks)
        assert second_id > first_id
        assert second["answers"] == 1 and second["answered"]["q1"] == 1
        await chunks.aclose()

    async_to_sync(scenario)()


def test_a_client_that_saw_the_current_version_gets_only_newer_ones(make_workshop, quiz):
    workshop = make_workshop()
    person = join(workshop)
    seen = workshop.__class__.objects.get(pk=workshop.pk).version

    async def scenario():
        chunks = await open_stream(workshop, workshop.token, last_id=seen)
        with pytest.raises(TimeoutError):
            await next_event(chunks, timeout=0.5)
        version = await sync_to_async(actions.answer)(
            workshop, person, "q1", choice_for(quiz, "q1", "usages")
        )
        event_id, _snapshot = await next_event(chunks)
        assert event_id == version > seen
        await chunks.aclose()

    async_to_sync(scenario)()


def test_a_client_that_missed_versions_gets_the_current_snapshot_at_once(make_workshop):
    workshop = make_workshop()
    join(workshop)
    join(workshop)

    async def scenario():
        chunks = await open_stream(workshop, workshop.token, last_id=1)
        event_id, snapshot = await next_event(chunks, timeout=2)
        assert event_id > 1 and snapshot["participants"] == 2
        await chunks.aclose()

    async_to_sync(scenario)()


def test_participants_get_stage_changes_not_every_count(make_workshop, quiz):
    workshop = make_workshop()
    person = join(workshop)

    async def scenario():
        chunks = await open_stream(workshop)
        await next_event(chunks)
        await sync_to_async(actions.answer)(
            workshop, person, "q1", choice_for(quiz, "q1", "usages")
        )
        with pytest.raises(TimeoutError):
            await next_event(chunks, timeout=0.5)
        await sync_to_async(actions.change)(workshop, revealed=True)
        _id, snapshot = await next_event(chunks)
        assert snapshot["revealed"] and snapshot["results"]["profiles"]["usages"] == 1
        await chunks.aclose()

    async_to_sync(scenario)()


def test_an_idle_stream_sends_heartbeats_and_a_retry_hint(make_workshop, monkeypatch):
    workshop = make_workshop()
    monkeypatch.setattr(live, "HEARTBEAT_SECONDS", 0.05)

    async def scenario():
        chunks = await open_stream(workshop, workshop.token)
        received = [await chunks.next_chunk(2) for _ in range(3)]
        await chunks.aclose()
        return received

    retry, _snapshot, heartbeat = async_to_sync(scenario)()
    assert retry == f"retry: {live.RETRY_MILLISECONDS}\n\n"
    assert heartbeat.startswith(":")


def test_a_closed_stream_leaves_no_subscriber_behind(make_workshop):
    workshop = make_workshop()

    async def scenario():
        chunks = await open_stream(workshop, workshop.token)
        await next_event(chunks)
        assert live.hub._subscribers.get(workshop.code)
        await chunks.aclose()
        return live.hub._subscribers.get(workshop.code)

    assert not async_to_sync(scenario)()


def test_a_stream_of_an_unknown_code_is_a_404(db):
    async def scenario():
        return await AsyncClient().get("/ateliers/ZZZZZZ/flux")

    assert async_to_sync(scenario)().status_code == 404


def test_head_on_a_stream_gives_the_headers_and_holds_nothing_open(make_workshop):
    workshop = make_workshop()

    async def scenario():
        response = await AsyncClient().head(f"/ateliers/{workshop.code}/flux")
        content = response.streaming_content
        chunks = [c async for c in content] if hasattr(content, "__aiter__") else list(content)
        return response, chunks, live.hub._subscribers.get(workshop.code)

    response, chunks, subscribers = async_to_sync(scenario)()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    assert chunks == []
    assert not subscribers
