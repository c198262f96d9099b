"""sonar/core/sqlite: one process's writers take turns on a lock of the process before asking
SQLite, so none of them sleeps in SQLite's busy handler while the database is free."""

import copy
import sqlite3
import threading
from contextlib import closing

import pytest
from django.db import OperationalError, connections

from sonar.core.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "sqlite", reason="SQLite's backend only"
)


def wrapper(path, timeout=20):
    settings = copy.deepcopy(connections["default"].settings_dict)
    settings["NAME"] = str(path)
    settings["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": timeout}
    return DatabaseWrapper(settings, alias="writers-test")


def begin(connection):
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(connection, commit=True):
    connection.commit() if commit else connection.rollback()
    connection.set_autocommit(True)


@pytest.fixture(autouse=True)
def _unblocked(django_db_blocker):
    # A database file of the test's own, outside Django's test database.
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "writers.sqlite3"
    # As a deployment's database: already in WAL mode when Sonar's processes open it.
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    connection = wrapper(path)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    connection.close()
    return path


def count(path):
    connection = wrapper(path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        value = cursor.fetchone()[0]
    connection.close()
    return value


def test_many_threads_writing_at_once_all_commit(database):
    errors = []

    def work():
        connection = wrapper(database)
        try:
            for _ in range(20):
                begin(connection)
                with connection.cursor() as cursor:
                    cursor.execute("UPDATE counter SET n = n + 1")
                end(connection)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(database) == 16 * 20


@pytest.mark.parametrize("finish", ["commit", "rollback", "close"])
def test_the_turn_is_given_back_however_the_transaction_ends(database, finish):
    first, second = wrapper(database), wrapper(database, timeout=2)
    begin(first)
    assert first.holds_write_turn
    if finish == "close":
        first.close()
    else:
        end(first, commit=finish == "commit")
    assert not first.holds_write_turn
    begin(second)  # would wait 2 s and fail if the turn had not been given back
    end(second)
    first.close()
    second.close()


def test_a_writer_that_waits_too_long_is_told_the_database_is_locked(database):
    first, second = wrapper(database), wrapper(database, timeout=0.2)
    begin(first)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            begin(second)
        assert not second.holds_write_turn
    finally:
        end(first)
        first.close()
        second.close()


def test_the_write_ahead_log_outlives_a_request_connection(database, monkeypatch):
    """Closing the last connection on the file would copy the log back, sync and delete it at
    every request; the connection the process keeps open prevents that."""
    from sonar.core.sqlite import base

    connection = wrapper(database)
    begin(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE counter SET n = n + 1")
    end(connection)
    connection.close()
    assert database.with_name(database.name + "-wal").exists()
    assert base._kept_open[str(database)][0] == base.os.getpid()

    # A forked child does not reuse its parent's connection: it opens its own.
    inherited = base._kept_open[str(database)][1]
    monkeypatch.setattr(base.os, "getpid", lambda: -1)
    base.keep_open(database)
    assert base._kept_open[str(database)] != (-1, inherited)
    assert base._kept_open[str(database)][0] == -1
