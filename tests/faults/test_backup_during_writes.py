"""`sonar backup` taken while participants keep answering, then `sonar restore` into a fresh
var dir: the restored database is exactly the backup (same `sonar export`, same rows in every
table), and the backup is a consistent moment of the source: every answer acknowledged before
it began is in it, nothing in it was never sent, and the workshop's version (raised in the same
transaction as each write) matches the writes it holds."""

import filecmp
import shutil
import sqlite3
import threading
from contextlib import closing

from tests.faults.conftest import Room, Server, base_env, only_in_sqlite_pass, sonar

pytestmark = only_in_sqlite_pass

PARTICIPANTS = 6


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


def exported(var_dir, target):
    sonar(base_env(var_dir), "export", str(target))
    return target


def same_files(left, right):
    names = sorted(p.name for p in left.iterdir())
    assert names == sorted(p.name for p in right.iterdir())
    _match, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    return not mismatch and not errors


def test_a_backup_taken_during_writes_restores_to_an_identical_database(
    sqlite_var_dir, golden_sqlite, servers, tmp_path
):
    server = Server(base_env(sqlite_var_dir)).start()
    servers.append(server)
    room = Room(server.port, "Atelier sauvegardé")
    created_version = room.snapshot(server.port)["version"]
    tokens = [room.join(server.port) for _ in range(PARTICIPANTS)]
    sent = set()
    acknowledged_in_order = []
    stop = threading.Event()

    def write():
        for question, choices in room.questions:
            for token in tokens:
                if stop.is_set():
                    return
                sent.add((token, question))
                if room.answer(server.port, token, question, choices[0]):
                    acknowledged_in_order.append((token, question))

    writer = threading.Thread(target=write)
    writer.start()
    while len(acknowledged_in_order) < 5:
        threading.Event().wait(0.05)
    acknowledged_before = set(acknowledged_in_order)
    backup_file = tmp_path / "sonar.backup"
    sonar(base_env(sqlite_var_dir), "backup", str(backup_file))
    writes_during_backup = len(acknowledged_in_order) - len(acknowledged_before)
    stop.set()
    writer.join(timeout=60)

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
        exported(fresh, tmp_path / "export-restored"),
        exported(as_backup, tmp_path / "export-backup"),
    )
    from sonar.workshops.models import digest

    with closing(sqlite3.connect(as_backup / "sonar.sqlite3")) as db:
        (version,) = db.execute(
            "SELECT version FROM workshops_workshop WHERE code = ?", [room.code]
        ).fetchone()
        answers = set(
            db.execute(
                "SELECT p.token_digest, a.question_key FROM workshops_answer a "
                "JOIN workshops_participant p ON a.participant_id = p.id"
            ).fetchall()
        )
    by_digest = {digest(token): token for token in tokens}
    in_backup = {(by_digest[d], question) for d, question in answers}
    assert acknowledged_before <= in_backup
    assert in_backup <= sent
    assert version == created_version + PARTICIPANTS + len(in_backup)
    # Writes went on while the backup ran, or the test proved nothing about them.
    assert writes_during_backup > 0 or len(in_backup) < len(sent)
