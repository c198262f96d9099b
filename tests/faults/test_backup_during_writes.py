"""`sonar backup` taken while participants keep answering, then `sonar restore` into a fresh
database: the restored database is exactly the backup (same `sonar export`, same rows), and the
backup is a consistent moment of the source: every answer acknowledged before it began is in
it, nothing in it was never sent, and the workshop's version (raised in the same transaction
as each write) matches the writes it holds.

SQLite (its online backup API) in the SQLite pass; PostgreSQL (`pg_dump --format=custom`,
restored in one transaction) in the PostgreSQL pass, on the faults' throwaway cluster."""

import filecmp
import shutil
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass, field

from tests.faults.conftest import (
    Room,
    Server,
    base_env,
    only_in_postgres_pass,
    only_in_sqlite_pass,
    sonar,
)


@dataclass
class Writes:
    """What the participants sent around the backup, and what was acknowledged before it."""

    tokens: list = field(default_factory=list)
    sent: set = field(default_factory=set)
    acknowledged_before: set = field(default_factory=set)


def backup_during_writes(port, room, take_backup):
    """Participants join one after another and answer every question, from a thread, until
    the backup is over: once a few answers are acknowledged, `take_backup()` runs while the
    joins and answers go on, so the backup is a moment in the middle of them."""
    writes = Writes()
    acknowledged = []
    stop = threading.Event()

    def write():
        while not stop.is_set():
            token = room.join(port)
            writes.tokens.append(token)
            for question, choices in room.questions:
                if stop.is_set():
                    return
                writes.sent.add((token, question))
                if room.answer(port, token, question, choices[0]):
                    acknowledged.append((token, question))

    writer = threading.Thread(target=write)
    writer.start()
    while len(acknowledged) < 5 and writer.is_alive():
        threading.Event().wait(0.05)
    writes.acknowledged_before = set(acknowledged)
    take_backup()
    still_writing = writer.is_alive()
    stop.set()
    writer.join(timeout=60)
    assert still_writing, "the writes stopped before the backup was over"
    return writes


def assert_a_consistent_moment(writes, participants, answers, version, created_version):
    """The backup's participants and answers (by token digest) and the workshop's version
    are one moment of the source, in the middle of the writes."""
    from sonar.workshops.models import digest

    by_digest = {digest(token): token for token in writes.tokens}
    assert set(participants) <= set(by_digest)
    in_backup = {(by_digest[d], question) for d, question in answers}
    assert writes.acknowledged_before <= in_backup
    assert in_backup <= writes.sent
    # Writes went on after the backup's moment: it did not just wait for them to end.
    assert len(in_backup) < len(writes.sent)
    assert version == created_version + len(participants) + len(in_backup)


def exported(env, target):
    sonar(env, "export", str(target))
    return target


def same_files(left, right):
    names = sorted(p.name for p in left.iterdir())
    assert names == sorted(p.name for p in right.iterdir())
    _match, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    return not mismatch and not errors


ANSWERS_SQL = (
    "SELECT p.token_digest, a.question_key FROM workshops_answer a "
    "JOIN workshops_participant p ON a.participant_id = p.id"
)
PARTICIPANTS_SQL = "SELECT token_digest FROM workshops_participant"


# SQLite.


def all_rows(path):
    """Every row of every table, sorted: two databases with the same rows compare equal."""
    with closing(sqlite3.connect(path)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            table: sorted(map(repr, db.execute(f'SELECT * FROM "{table}"')))  # noqa: S608
            for table in tables
        }


@only_in_sqlite_pass
def test_a_backup_taken_during_writes_restores_to_an_identical_database(
    sqlite_var_dir, golden_sqlite, servers, tmp_path
):
    server = Server(base_env(sqlite_var_dir)).start()
    servers.append(server)
    room = Room(server.port, "Atelier sauvegardé")
    created_version = room.snapshot(server.port)["version"]
    backup_file = tmp_path / "sonar.backup"
    writes = backup_during_writes(
        server.port, room, lambda: sonar(base_env(sqlite_var_dir), "backup", str(backup_file))
    )

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copy(golden_sqlite, fresh / "sonar.sqlite3")  # freshly migrated, no workshop
    sonar(base_env(fresh), "restore", "--no-input", str(backup_file))
    # The backup file itself, read as a database, next to the restored one.
    as_backup = tmp_path / "as-backup"
    as_backup.mkdir()
    shutil.copy(backup_file, as_backup / "sonar.sqlite3")

    assert all_rows(fresh / "sonar.sqlite3") == all_rows(as_backup / "sonar.sqlite3")
    assert same_files(
        exported(base_env(fresh), tmp_path / "export-restored"),
        exported(base_env(as_backup), tmp_path / "export-backup"),
    )
    with closing(sqlite3.connect(as_backup / "sonar.sqlite3")) as db:
        (version,) = db.execute(
            "SELECT version FROM workshops_workshop WHERE code = ?", [room.code]
        ).fetchone()
        participants = [d for (d,) in db.execute(PARTICIPANTS_SQL)]
        answers = db.execute(ANSWERS_SQL).fetchall()
    assert_a_consistent_moment(writes, participants, answers, version, created_version)


# PostgreSQL.


def pg_rows(db):
    """Every row of every table of the public schema, sorted."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]
    return {
        table: sorted(map(repr, db.execute(f'SELECT * FROM "{table}"')))  # noqa: S608
        for table in tables
    }


@only_in_postgres_pass
def test_a_pg_dump_taken_during_writes_restores_into_a_fresh_database(postgres, servers, tmp_path):
    # A fresh database, migrated with the style quiz and no workshop: a copy of the source
    # before anything is written to it.
    with postgres.connect(autocommit=True) as admin:
        admin.execute("CREATE DATABASE fresh TEMPLATE sonar")
    (tmp_path / "var").mkdir()
    source_env = base_env(tmp_path / "var", DATABASE_URL=postgres.url)
    server = Server(source_env).start()
    servers.append(server)
    room = Room(server.port, "Atelier sauvegardé")
    created_version = room.snapshot(server.port)["version"]
    backup_file = tmp_path / "sonar.dump"
    writes = backup_during_writes(
        server.port, room, lambda: sonar(source_env, "backup", str(backup_file))
    )
    server.stop()

    fresh_env = base_env(tmp_path / "var", DATABASE_URL=postgres.url_of("fresh"))
    sonar(fresh_env, "restore", "--no-input", str(backup_file))

    with postgres.connect() as source, postgres.connect("fresh") as restored:
        source_rows, restored_rows = pg_rows(source), pg_rows(restored)
        (version,) = restored.execute(
            "SELECT version FROM workshops_workshop WHERE code = %s", [room.code]
        ).fetchone()
        participants = [d for (d,) in restored.execute(PARTICIPANTS_SQL)]
        answers = restored.execute(ANSWERS_SQL).fetchall()
    # The restored database is the source at one moment: only the workshop's participants,
    # answers and version went on after it, and nothing it holds is missing from the source.
    changed = {t for t in source_rows if source_rows[t] != restored_rows.get(t)}
    assert set(restored_rows) == set(source_rows)
    assert changed <= {"workshops_answer", "workshops_participant", "workshops_workshop"}
    for table in ("workshops_answer", "workshops_participant"):
        assert set(restored_rows[table]) <= set(source_rows[table])
    assert same_files(
        exported(source_env, tmp_path / "export-source"),
        exported(fresh_env, tmp_path / "export-restored"),
    )
    assert_a_consistent_moment(writes, participants, answers, version, created_version)
