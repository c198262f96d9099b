"""Backups of the whole database, and restores that never leave it half-written.

Rules:
- A backup is taken while Sonar keeps running: SQLite through its online backup API (a
  consistent snapshot even while others write), PostgreSQL through `pg_dump --format=custom`.
- Next to the backup FILE, `FILE.sha256` holds its checksum: a restore refuses a file whose
  checksum does not match (truncated copy, disk error).
- A restore first checks that the file is a readable, intact Sonar database of the same kind
  (it has Django's migration table and Sonar's own tables); otherwise nothing is touched.
- A restore lands entirely or not at all: SQLite copies the verified file into the live
  database in one write transaction; PostgreSQL restores in a single transaction.
"""

import contextlib
import hashlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.translation import gettext as _

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# The tables that make a database a Sonar one, not just any Django project's.
SONAR_TABLES = ("django_migrations", "core_revision", "quiz_questionnaire")


class BackupError(Exception):
    """A backup or a restore that cannot go ahead; the message says why, in French."""


def refused(path, reason):
    return BackupError(
        _("%(file)s n’est pas une sauvegarde de Sonar utilisable : %(reason)s. Rien n’a changé.")
        % {"file": Path(path).name, "reason": reason}
    )


def checksum_path(path):
    path = Path(path)
    return path.with_name(path.name + ".sha256")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def engine(settings_dict=None):
    settings_dict = settings_dict or connection.settings_dict
    return "postgresql" if "postgresql" in settings_dict["ENGINE"] else "sqlite"


def backup(path):
    """Write a backup of the current database to `path`, and its checksum next to it."""
    path = Path(path).resolve()
    if not path.parent.is_dir():
        raise BackupError(_("Le dossier %(dir)s n’existe pas.") % {"dir": path.parent})
    # Written under a temporary name and renamed at the end: an interrupted backup never
    # leaves a file that looks complete.
    with _temporary_file(path.parent, f".{path.name}.") as tmp:
        if engine() == "postgresql":
            _pg_dump(connection.settings_dict, tmp)
        else:
            _sqlite_backup(tmp)
        os.replace(tmp, path)
    checksum_path(path).write_text(f"{sha256(path)}  {path.name}\n", encoding="utf-8")
    return path


def verify(path, settings_dict=None):
    """Raise BackupError unless `path` is a backup this database can be restored from."""
    path = _existing(path)
    _verify_checksum(path)
    if engine(settings_dict) == "postgresql":
        _pg_verify(path)
    else:
        with _temporary_file(None, ".verify.") as tmp:
            shutil.copyfile(path, tmp)
            _sqlite_verify(tmp, path)


def restore(path, settings_dict=None):
    """Replace the current database by the backup at `path`, once verified."""
    path = _existing(path)
    _verify_checksum(path)
    if engine(settings_dict) == "postgresql":
        _pg_verify(path)
        _pg_restore(settings_dict or connection.settings_dict, path)
    else:
        _sqlite_restore(path)
    # The restored ids may differ from the ones this process has cached.
    ContentType.objects.clear_cache()


def _existing(path):
    path = Path(path).resolve()
    if not path.is_file():
        raise BackupError(_("Le fichier %(file)s n’existe pas.") % {"file": path})
    return path


def _verify_checksum(path):
    """A missing checksum file is accepted (a copy made by hand); a wrong one never is."""
    sidecar = checksum_path(path)
    if sidecar.exists() and sidecar.read_text(encoding="utf-8").split()[:1] != [sha256(path)]:
        raise refused(
            path,
            _("il ne correspond pas à son empreinte %(sidecar)s, il est incomplet ou abîmé")
            % {"sidecar": sidecar.name},
        )


@contextlib.contextmanager
def _temporary_file(directory, prefix):
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _header(path, size=16):
    with open(path, "rb") as f:
        return f.read(size)


# SQLite --------------------------------------------------------------------------------------


def _sqlite_backup(tmp):
    if connection.in_atomic_block:
        # SQLite would wait forever for the transaction this very connection holds.
        raise BackupError(_("Une sauvegarde ne peut pas se faire au milieu d’une transaction."))
    connection.ensure_connection()
    target = sqlite3.connect(tmp)
    try:
        # One step: the source is read in one consistent snapshot while writers go on (WAL).
        connection.connection.backup(target)
        # The copy is self-contained: no -wal or -shm file is needed to read it.
        target.execute("PRAGMA journal_mode=DELETE")
        if target.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(_("La copie de la base est abîmée ; la sauvegarde a échoué."))
    finally:
        target.close()


def _sqlite_verify(copy, original):
    """Check a private copy of `original`: an intact SQLite file holding a Sonar database."""
    header = _header(copy)
    if header.startswith(PG_DUMP_HEADER):
        raise refused(original, _("c’est une sauvegarde PostgreSQL, et la base est SQLite"))
    if header != SQLITE_HEADER:
        raise refused(original, _("ce n’est pas une base SQLite"))
    # A private copy: opening it read-write lets SQLite read a file left in WAL mode too.
    db = sqlite3.connect(copy)
    try:
        if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise refused(original, _("la base est abîmée (integrity_check)"))
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise refused(original, _("la base est illisible (%s)") % exc) from exc
    finally:
        db.close()
    missing = [table for table in SONAR_TABLES if table not in tables]
    if missing:
        raise refused(original, _("il y manque les tables %s") % ", ".join(missing))


def _sqlite_restore(path):
    # Copied next to the live database and verified there: what is applied is exactly what
    # was checked, even if the original file changes meanwhile.
    directory = None
    if not connection.is_in_memory_db():
        directory = Path(connection.settings_dict["NAME"]).parent
    with _temporary_file(directory, ".restore.") as tmp:
        shutil.copyfile(path, tmp)
        _sqlite_verify(tmp, path)
        connection.ensure_connection()
        source = sqlite3.connect(tmp)
        try:
            # The backup API writes the whole copy into the live database in one transaction:
            # a failure leaves it as it was, and other connections and the live WAL stay
            # coherent. Swapping the file under a WAL database would not be safe.
            source.backup(connection.connection)
        except sqlite3.Error as exc:
            raise BackupError(
                _("La restauration a échoué (%s) ; la base est restée telle quelle.") % exc
            ) from exc
        finally:
            source.close()


# PostgreSQL ----------------------------------------------------------------------------------


def _pg_env(settings_dict):
    """libpq reads the connection from the environment: the password never shows in `ps`."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    for key, value in {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
    }.items():
        if value:
            env[key] = str(value)
    return env


def _run(command, settings_dict=None):
    if shutil.which(command[0]) is None:
        raise BackupError(
            _("La commande %(tool)s est introuvable : installez les outils clients de PostgreSQL.")
            % {"tool": command[0]}
        )
    env = _pg_env(settings_dict) if settings_dict else None
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603


def _pg_dump(settings_dict, tmp):
    result = _run(["pg_dump", "--format=custom", f"--file={tmp}"], settings_dict)
    if result.returncode != 0:
        raise BackupError(_("pg_dump a échoué : %s") % result.stderr.strip())


def _pg_verify(path):
    if _header(path) == SQLITE_HEADER:
        raise refused(path, _("c’est une sauvegarde SQLite, et la base est PostgreSQL"))
    result = _run(["pg_restore", "--list", str(path)])
    if result.returncode != 0:
        raise refused(path, _("pg_restore ne sait pas la lire"))
    tables = set()
    # A table's entry reads "215; 1259 16390 TABLE public quiz_choice owner".
    for line in result.stdout.splitlines():
        words = line.split()
        if not line.startswith(";") and "TABLE" in words:
            after = words[words.index("TABLE") + 1 :]
            if len(after) >= 2 and after[0] != "DATA":
                tables.add(after[1])
    missing = [table for table in SONAR_TABLES if table not in tables]
    if missing:
        raise refused(path, _("il y manque les tables %s") % ", ".join(missing))


def _pg_restore(settings_dict, path):
    if settings_dict["NAME"] == connection.settings_dict["NAME"]:
        # Our own idle connection must not hold a lock the restore would wait for.
        connection.close()
    result = _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--no-owner",
            f"--dbname={settings_dict['NAME']}",
            str(path),
        ],
        settings_dict,
    )
    if result.returncode != 0:
        raise BackupError(
            _("La restauration a échoué ; la base est restée telle quelle.\n%s")
            % result.stderr.strip()
        )
