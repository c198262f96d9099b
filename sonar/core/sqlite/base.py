"""Django's SQLite backend, with the writers of one process taking turns instead of polling.

Every transaction opens with BEGIN IMMEDIATE (settings: `transaction_mode`), which takes
SQLite's write lock at once. When it is taken, SQLite's busy handler makes the waiting
connection sleep and retry, with sleeps growing to 100 ms: with dozens of requests writing
at once (a workshop where everybody answers), the lock is handed out by chance, most of
the time sits unused between sleeps, and some answers waited tens of seconds
(bench/scale.py, 50 workshops of 20).

Here the transactions of one process queue on a lock of the process first, and only the
holder asks SQLite: it is woken the moment the previous writer commits. Other processes on
the same file still meet SQLite's own lock and its busy timeout, as before.

Second, each process keeps one connection to the database file open for as long as it runs.
A request's connection is closed when the request ends; when it is the last one open on the
file, SQLite copies the write-ahead log back into the database, syncs it to disk and deletes
the log, and the next request creates it again: 5 ms of a workshop participant's 17 ms join
were that close, 3.5 ms the commit into a new log (measured with Django's test client). With
a connection left open, the log stays and is copied back every thousand pages instead
(SQLite's automatic checkpoint).
"""

import os
import sqlite3
import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# One per process: every connection of the process (one per thread) shares it.
_writers = threading.Lock()


# The connection each process keeps open, by database file, with the process it belongs to
# (a connection must not be used across a fork: a child opens its own).
_kept_open = {}
_kept_open_lock = threading.Lock()


def keep_open(path):
    key = str(path)
    with _kept_open_lock:
        kept = _kept_open.get(key)
        if kept is not None and kept[0] == os.getpid():
            return
        connection = sqlite3.connect(key, check_same_thread=False)
        # A connection takes its part in the log only once it has read the database.
        connection.execute("PRAGMA schema_version").fetchone()
        _kept_open[key] = (os.getpid(), connection)


class DatabaseWrapper(base.DatabaseWrapper):
    holds_write_turn = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            keep_open(conn_params["database"])
        return connection

    def _start_transaction_under_autocommit(self):
        timeout = self.settings_dict["OPTIONS"].get("timeout", 5)
        if not _writers.acquire(timeout=timeout):
            # What SQLite itself says when its busy timeout runs out.
            raise OperationalError("database is locked")
        self.holds_write_turn = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_write_turn()
            raise

    def _end_write_turn(self):
        if self.holds_write_turn:
            self.holds_write_turn = False
            _writers.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_write_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_write_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_write_turn()
