"""Django's database sessions, with keys checked before they reach the database, and read
with one plain statement.

A session key is 32 letters and digits (Django makes them so). A cookie that carries anything
else did not come from Sonar: it is taken as no session at all, as an unknown key would be,
instead of being looked up. Looked up as it was, a key holding a NUL made PostgreSQL refuse the
query, and every page answered 500 to that browser.

Every page for a visitor with a session reads the session first. Through the ORM, building
that one query cost more than the rest of a kept page spliced for them (bench/pages.py); it is
written once here instead, with the same condition as Django's (the key, and not expired).
"""

from functools import cache
from types import SimpleNamespace

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and key.isascii() and key.isalnum()

    def _get_session_from_db(self):
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_statement(self.model, alias), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])


@cache
def _statement(model, alias):
    quote = connections[alias].ops.quote_name
    field = model._meta.get_field
    # Names from the model, quoted; the key and the time are parameters.
    return (
        f"SELECT {quote(field('session_data').column)} "  # noqa: S608
        f"FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(field('session_key').column)} = %s "
        f"AND {quote(field('expire_date').column)} > %s"
    )
