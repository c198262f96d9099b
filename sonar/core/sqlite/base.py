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

Third, a request's connection is not closed but handed back to the process, and the next
request takes it again instead of opening one. Opening costs more than a whole page for a
visitor with a session: Django registers some thirty SQL functions and runs its PRAGMAs on each
new connection, 1.8 ms measured, where the session and the user are read in 0.1 ms
(bench/pages.py, the "session" and "signed in" rows). A connection goes back only outside any
transaction, in autocommit, with foreign keys enforced; at most IDLE_PER_FILE wait, the others
are closed.
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


# Connections handed back at the end of a request, by database file and busy timeout (the
# connection's own parameters): [(process id, connection)].
_idle = {}
_idle_lock = threading.Lock()
IDLE_PER_FILE = 16


def idle_key(conn_params):
    return f"{conn_params['database']}\n{conn_params.get('timeout')}"


def take_idle(key):
    """A connection of `key` (`idle_key`) handed back earlier by this process, or None."""
    with _idle_lock:
        waiting = _idle.get(key)
        while waiting:
            pid, connection = waiting.pop()
            if pid == os.getpid():
                return connection
    return None


def give_back(key, connection):
    """Keep `connection` for the next request; False when it must be closed instead (inside a
    transaction, constraints off, or enough connections waiting already)."""
    try:
        if connection.in_transaction or not connection.execute("PRAGMA foreign_keys").fetchone()[0]:
            return False
    except sqlite3.Error:
        return False
    with _idle_lock:
        waiting = _idle.setdefault(key, [])
        if len(waiting) >= IDLE_PER_FILE:
            return False
        waiting.append((os.getpid(), connection))
    return True


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
    idle_key = None

    def get_new_connection(self, conn_params):
        self.idle_key = None if self.is_in_memory_db() else idle_key(conn_params)
        if self.idle_key is not None:
            reused = take_idle(self.idle_key)
            if reused is not None:
                return reused
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
            if (
                self.connection is not None
                and self.idle_key is not None
                and not self.in_atomic_block
                and give_back(self.idle_key, self.connection)
            ):
                return None
            return super()._close()
        finally:
            self._end_write_turn()
