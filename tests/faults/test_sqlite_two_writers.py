"""Two Sonar processes writing to one SQLite file at once (a metropole that runs two workers
without PostgreSQL): writers wait their turn (IMMEDIATE transactions, a busy timeout), so no
"database is locked" ever reaches a participant, and every acknowledged answer is stored."""

import random
import sqlite3
import threading
from contextlib import closing

from tests.faults.conftest import (
    Room,
    Server,
    assert_every_acknowledged_answer_stored,
    base_env,
    only_in_sqlite_pass,
)

pytestmark = only_in_sqlite_pass

PARTICIPANTS = 16


def test_two_processes_on_one_sqlite_file_acknowledge_and_store_every_answer(
    sqlite_var_dir, servers
):
    env = base_env(sqlite_var_dir)
    a, b = Server(env).start(), Server(env).start()
    servers += [a, b]
    room = Room(a.port, "Atelier à deux serveurs")
    ports = [a.port, b.port]
    failures = []

    def participant(index):
        rng = random.Random(index)  # noqa: S311 - varied answers, not secrets
        port = ports[index % 2]
        try:
            token = room.join(port)
            for question, choices in room.questions:
                if not room.answer(port, token, question, rng.choice(choices)):
                    failures.append(room.refused[-1:] or "no answer from the server")
        except Exception as exc:  # reported by the test, not lost in a thread
            failures.append(exc)

    threads = [threading.Thread(target=participant, args=(i,)) for i in range(PARTICIPANTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures[:3]
    total = PARTICIPANTS * len(room.questions)
    assert len(room.acknowledged) == total

    def connect():
        return closing(sqlite3.connect(sqlite_var_dir / "sonar.sqlite3"))

    stored = assert_every_acknowledged_answer_stored(room, connect)
    assert len(stored) == total
    for server in servers:
        assert "database is locked" not in server.logs()
