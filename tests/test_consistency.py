"""Guards for the project's conventions: documented settings, migrations, translations."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent

ROOT = Path(__file__).resolve().parent.parent
PO_FILE = ROOT / "sonar" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def settings_variables():
    source = (ROOT / "sonar" / "settings.py").read_text()
    return sorted(set(re.findall(r'env(?:bool|int|url)?\(\s*"([A-Z_]+)"', source)))


@pytest.mark.parametrize("name", settings_variables())
def test_every_environment_variable_is_documented_in_the_readme(name):
    assert f"`{name}`" in (ROOT / "README.md").read_text()


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_every_message_has_a_complete_english_translation():
    catalogue = polib.pofile(str(PO_FILE))
    missing = [e.msgid for e in catalogue if not e.translated() and not e.obsolete]
    assert missing == [], f"Messages sans traduction anglaise : {missing}"


def test_compiled_catalogue_matches_the_po_file():
    po = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO_FILE)) if e.translated()}
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(PO_FILE.with_suffix(".mo")))}
    mo.pop((None, ""), None)
    assert po == mo, "django.mo est en retard sur django.po : lancez `make messages`."


@pytest.mark.skipif(
    not shutil.which("xgettext"), reason="GNU gettext absent (make test l’installe)"
)
def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    copy = tmp_path / "sonar"
    shutil.copytree(ROOT / "sonar", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "en", "--no-location"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(copy / "locale/en/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO_FILE)) if not e.obsolete}
    assert sorted(fresh - known) == [], "Chaînes absentes du catalogue : lancez `make messages`."
