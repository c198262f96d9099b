"""Sonar's local directory (SONAR_VAR_DIR, var/ by default): the SQLite database, the static
files, and the secret key a clone uses when SECRET_KEY is not set.

Reading the settings writes nothing: the commands that start or prepare Sonar (`sonar serve`,
`sonar migrate`, every `sonar` and manage.py command) call `prepare()` before Django loads the
settings, so that a clone works with no configuration and its sessions survive a restart.
"""

import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
KEY_FILE = "secret_key"


def path():
    return Path(os.environ.get("SONAR_VAR_DIR") or BASE_DIR / "var")


def secret_key():
    """The key kept in var/, or "" when there is none yet."""
    try:
        return (path() / KEY_FILE).read_text().strip()
    except FileNotFoundError:
        return ""


def prepare():
    """Create var/ and, unless SECRET_KEY is set, a secret key kept there (never committed:
    var/ is ignored by git), readable by its owner only."""
    directory = path()
    directory.mkdir(parents=True, exist_ok=True)
    if os.environ.get("SECRET_KEY") or secret_key():
        return
    # Written aside, then linked into place: a reader never sees a half-written key, and a
    # key another process has just created is never replaced.
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".secret_key-")
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
        os.link(temporary, directory / KEY_FILE)
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
