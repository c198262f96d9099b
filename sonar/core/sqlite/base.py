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
"""

import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# One per process: every connection of the process (one per thread) shares it.
_writers = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    holds_write_turn = False

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
