"""A Sonar process killed with SIGKILL in the middle of a workshop (an out-of-memory kill, a
crashed machine) loses nothing it acknowledged: an answer is acknowledged only once it is
committed, and phones that meet a dead server simply try again until it is back."""

import random
import threading

from tests.faults.conftest import (
    Room,
    Server,
    assert_every_acknowledged_answer_stored,
    base_env,
    first_event,
    only_in_postgres_pass,
    wait_until,
)

pytestmark = only_in_postgres_pass

PARTICIPANTS = 8


def test_answers_survive_a_server_killed_mid_workshop_and_restarted(
    postgres, redis_server, servers, tmp_path
):
    env = base_env(tmp_path, DATABASE_URL=postgres.url, REDIS_URL=redis_server.url)
    server = Server(env).start()
    servers.append(server)
    room = Room(server.port, "Atelier coupé net")
    tokens = [room.join(server.port) for _ in range(PARTICIPANTS)]
    errors = []

    def participant(index, token):
        rng = random.Random(index)  # noqa: S311 - varied answers, not secrets
        try:
            for question, choices in room.questions:
                room.answer_until_acknowledged([server.port], token, question, rng.choice(choices))
        except Exception as exc:  # reported by the test, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=participant, args=item) for item in enumerate(tokens)]
    for thread in threads:
        thread.start()
    total = PARTICIPANTS * len(room.questions)
    wait_until(lambda: len(room.acknowledged) >= total // 3, 30, "No answers before the kill")
    server.kill()
    acknowledged_before_restart = len(room.acknowledged)
    server.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert acknowledged_before_restart < total, "the kill came after the workshop"
    assert len(room.acknowledged) == total
    stored = assert_every_acknowledged_answer_stored(room, postgres.connect)
    assert len(stored) == total
    events = first_event(server.port, f"/ateliers/{room.code}/flux", room.facilitator)
    try:
        seen = events.next()
    finally:
        events.close()
    assert seen["answers"] == total
    assert seen["participants"] == PARTICIPANTS
    assert all(count == PARTICIPANTS for count in seen["answered"].values())
