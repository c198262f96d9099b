"""Redis stopped during a workshop run by two Sonar processes: answers are still stored and
acknowledged, screens fall back to polling (the event stream serves one snapshot and ends, so
the browser comes back after its retry hint; the snapshot endpoint serves live.js's polling),
/healthz names Redis as down, and live fan-out between the processes resumes once Redis is
back, without restarting Sonar."""

import time

from tests.faults.conftest import (
    Room,
    Server,
    assert_every_acknowledged_answer_stored,
    base_env,
    call,
    first_event,
    only_in_postgres_pass,
)

pytestmark = only_in_postgres_pass


def stream_path(room):
    return f"/ateliers/{room.code}/flux"


def live_delivery(room, writer_port, reader_port, token, question, choice):
    """Open the facilitator's stream on one process, answer through the other, and return the
    snapshot the open stream delivers for that answer (None if it ends or nothing comes)."""
    events = first_event(reader_port, stream_path(room), room.facilitator)
    try:
        if events.next() is None:
            return None  # a one-snapshot stream: polling, not live
        version = room.answer(writer_port, token, question, choice)
        assert version, room.refused[-1:]
        while (seen := events.next(timeout=3)) is not None:
            if seen["version"] >= version:
                return seen
        return None
    finally:
        events.close()


def test_a_workshop_goes_on_while_redis_is_stopped_and_goes_live_again_after(
    postgres, redis_server, servers, tmp_path
):
    env = base_env(tmp_path, DATABASE_URL=postgres.url, REDIS_URL=redis_server.url)
    a, b = Server(env).start(), Server(env).start()
    servers += [a, b]
    room = Room(a.port, "Atelier sans Redis")
    (q1, choices1), (q2, choices2), (q3, choices3) = room.questions[:3]
    first, second = room.join(a.port), room.join(b.port)
    # Live through Redis: an answer through A reaches the stream open on B.
    assert live_delivery(room, a.port, b.port, first, q1, choices1[0])["answered"][q1] == 1
    open_stream = first_event(b.port, stream_path(room), room.facilitator)
    assert open_stream.next() is not None

    redis_server.stop()

    status, health, _headers = call(a.port, "GET", "/healthz")
    assert (status, health["redis"], health["database"]) == (503, "error", "ok")
    assert health["failing"] == ["redis"]
    # The stream that was open ends: its browser comes back after the retry hint.
    assert open_stream.next(timeout=5) is None
    open_stream.close()
    # Joining and answering, through either process, are acknowledged.
    third = room.join(b.port)
    for port, token in ((a.port, second), (b.port, third), (a.port, first)):
        assert room.answer(port, token, q2, choices2[0]), room.refused[-1:]
    # Polling: the snapshot endpoint and a reconnecting stream both show the new counts.
    polled = room.snapshot(b.port)
    assert (polled["participants"], polled["answered"][q2]) == (3, 3)
    reconnected = first_event(b.port, stream_path(room), room.facilitator)
    try:
        assert reconnected.next()["answered"][q2] == 3
        assert reconnected.next(timeout=5) is None, "a stream without Redis must not stay open"
    finally:
        reconnected.close()

    redis_server.start()

    deadline = time.monotonic() + 20
    while (seen := live_delivery(room, a.port, b.port, third, q3, choices3[0])) is None:
        assert time.monotonic() < deadline, "live fan-out did not come back with Redis"
        time.sleep(0.5)
    assert seen["answered"][q3] == 1
    status, health, _headers = call(a.port, "GET", "/healthz")
    assert (status, health["status"]) == (200, "ok")
    stored = assert_every_acknowledged_answer_stored(room, postgres.connect)
    assert len(stored) == 5
