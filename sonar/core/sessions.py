"""Django's database sessions, with keys checked before they reach the database.

A session key is 32 letters and digits (Django makes them so). A cookie that carries anything
else did not come from Sonar: it is taken as no session at all, as an unknown key would be,
instead of being looked up. Looked up as it was, a key holding a NUL made PostgreSQL refuse the
query, and every page answered 500 to that browser.
"""

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and key.isascii() and key.isalnum()
