"""The `sonar` command: load the content, export it, back it up and restore it."""

import csv
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from sonar import cli
from sonar.core import opendata
from sonar.core.actions import save_revision
from sonar.core.models import Revision
from sonar.quiz.models import Choice, Outcome, Question, Questionnaire
from tests.core.conftest import MINI, MINI_OBJECTS, write_quiz

SONAR = Path(sys.executable).parent / "sonar"
ON_POSTGRESQL = connection.vendor == "postgresql"


def sonar(*args):
    """Run `sonar ARGS` in this process, on the test database; return the exit code."""
    return cli.main([str(arg) for arg in args])


def isolated_environment(tmp_path):
    """A fresh SQLite database under tmp_path, whatever the test run is configured with."""
    unset = {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return {**env, "SONAR_VAR_DIR": str(tmp_path / "var")}


def exported(directory):
    """Every file an export wrote, as text."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(directory.iterdir())}


# Help and running from anywhere -------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("serve", "Sert le site"),
        ("migrate", "base de données"),
        ("load-content", "contenu de référence"),
        ("export", "données ouvertes"),
        ("backup", "Sauvegarde"),
        ("restore", "sauvegarde"),
    ],
)
def test_help_lists_every_command_in_plain_french(tmp_path, command, words):
    result = subprocess.run(
        [SONAR, "--help"],
        cwd=tmp_path,
        env=isolated_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )

    [line] = [line for line in result.stdout.splitlines() if line.startswith(f"  {command} ")]
    assert words in line


def test_every_command_is_also_reachable_through_manage_py(tmp_path):
    result = subprocess.run(
        [sys.executable, Path(__file__).parents[2] / "manage.py", "help", "--commands"],
        cwd=tmp_path,
        env=isolated_environment(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )

    commands = set(result.stdout.split())
    assert {"serve", "migrate", "load_content", "export", "backup", "restore"} <= commands


def test_an_unknown_command_is_named_and_the_help_shown(capsys):
    assert sonar("sauvegarder") == 2
    error = capsys.readouterr().err
    assert "« sauvegarder » n’est pas une commande de Sonar." in error
    assert "load-content" in error


def test_the_command_works_from_any_directory_on_a_fresh_machine(tmp_path):
    env = isolated_environment(tmp_path)

    def run(*args):
        return subprocess.run(
            [SONAR, *args], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    steps = [run("migrate", "-v0"), run("load-content"), run("export", "donnees")]

    assert [step.returncode for step in steps] == [0, 0, 0], [step.stderr for step in steps]
    assert "créés : " in steps[1].stdout
    assert (tmp_path / "donnees" / "sonar.json").exists()
    assert (tmp_path / "var" / "sonar.sqlite3").exists()


# load-content ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_content_prints_a_french_report(content_dir, capsys):
    assert sonar("load-content", "--directory", content_dir) == 0

    report = capsys.readouterr().out
    for line in (
        "fichiers lus : 1",
        f"créés : {MINI_OBJECTS}",
        "mis à jour : 0",
        "inchangés : 0",
        "conflits : 0",
    ):
        assert f"  {line}\n" in report


@pytest.mark.django_db
def test_a_second_load_changes_nothing_and_adds_no_revision(content_dir, capsys):
    sonar("load-content", "--directory", content_dir)
    revisions = Revision.objects.count()
    capsys.readouterr()

    assert sonar("load-content", "--directory", content_dir) == 0

    report = capsys.readouterr().out
    assert f"inchangés : {MINI_OBJECTS}" in report
    assert "Rien à changer : la base est à jour." in report
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_the_reference_content_loads_and_reloads_without_change(capsys):
    assert sonar("load-content") == 0
    revisions = Revision.objects.count()

    assert sonar("load-content") == 0

    assert revisions > 0
    assert Revision.objects.count() == revisions
    assert "Rien à changer" in capsys.readouterr().out


@pytest.mark.django_db
def test_dry_run_reports_what_would_change_and_writes_nothing(content_dir, capsys):
    assert sonar("load-content", "--directory", content_dir, "--dry-run") == 0

    assert "rien n’a été écrit" in capsys.readouterr().out
    assert Questionnaire.objects.count() == 0


@pytest.mark.django_db
def test_load_content_reports_an_edit_as_a_conflict_and_force_replaces_it(content_dir, capsys):
    sonar("load-content", "--directory", content_dir)
    question = Question.objects.get(key="q1")
    question.text_fr = "Vers où mettre le cap ?"
    save_revision(question, Revision.Origin.EDIT, based_on=question.revision)
    capsys.readouterr()

    sonar("load-content", "--directory", content_dir)
    kept = Question.objects.get(key="q1").text_fr
    conflict_report = capsys.readouterr().out
    sonar("load-content", "--directory", content_dir, "--force")

    assert kept == "Vers où mettre le cap ?"
    assert "conflits : 1" in conflict_report
    assert "« mini/q1 » a été modifié dans Sonar" in conflict_report
    assert Question.objects.get(key="q1").text_fr == "Où partir ?"


@pytest.mark.django_db
def test_invalid_content_prints_each_error_and_exits_non_zero(content_dir, capsys):
    broken = MINI.replace('fr: "Où partir ?"', 'fr: ""')
    write_quiz(content_dir, broken)
    line = broken.splitlines().index('      fr: ""') + 1

    code = sonar("load-content", "--directory", content_dir)

    error = capsys.readouterr().err
    assert code != 0
    assert (
        f"content/quiz/mini.yaml, ligne {line}, champ « questions.0.text.fr » : texte vide\n"
        in error
    )
    assert "Contenu invalide (1 erreur) : rien n’a été écrit." in error
    assert Questionnaire.objects.count() == 0


# export ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_writes_json_and_csv_under_the_open_licence(content_dir, tmp_path, capsys):
    sonar("load-content", "--directory", content_dir)

    assert sonar("export", tmp_path / "export") == 0

    directory = tmp_path / "export"
    document = json.loads((directory / "sonar.json").read_text(encoding="utf-8"))
    package = json.loads((directory / "datapackage.json").read_text(encoding="utf-8"))
    assert document["licence"]["title"] == "Licence Ouverte 2.0 (Etalab)"
    assert "La 27e Région" in document["attribution"]
    assert package["licenses"] == [document["licence"]]
    assert {r["path"] for r in package["resources"]} >= {
        "questionnaires.csv",
        "outcomes.csv",
        "questions.csv",
        "choices.csv",
    }
    assert all(r["licenses"] == package["licenses"] for r in package["resources"])
    assert "Licence Ouverte 2.0" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("dataset", "model"),
    [
        ("questionnaires", Questionnaire),
        ("outcomes", Outcome),
        ("questions", Question),
        ("choices", Choice),
    ],
)
@pytest.mark.django_db
def test_export_holds_every_object_in_json_and_csv(content_dir, tmp_path, dataset, model):
    sonar("load-content", "--directory", content_dir)

    sonar("export", tmp_path)

    document = json.loads((tmp_path / "sonar.json").read_text(encoding="utf-8"))
    with open(tmp_path / f"{dataset}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(document["datasets"][dataset]) == model.objects.count() > 0
    assert rows == [{k: str(v) for k, v in row.items()} for row in document["datasets"][dataset]]


@pytest.mark.django_db
def test_export_names_related_objects_by_key_in_both_languages(content_dir, tmp_path):
    sonar("load-content", "--directory", content_dir)

    sonar("export", tmp_path)

    with open(tmp_path / "choices.csv", encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))
    assert first == {
        "questionnaire": "mini",
        "question": "q1",
        "key": "q1a",
        "position": "1",
        "outcome": "mer",
        "text_fr": "Au large",
        "text_en": "Offshore",
        "rationale_fr": "Le large, c’est la mer.",
        "rationale_en": "Offshore means the sea.",
    }


def test_an_app_adds_its_datasets_by_declaring_exports(monkeypatch):
    from sonar.quiz import content as quiz_content

    extra = opendata.Dataset("extra", "Essai", Questionnaire, {"key": "key"})
    monkeypatch.setattr(quiz_content, "EXPORTS", [extra], raising=False)

    names = [d.name for d in opendata.datasets()]
    assert "extra" in names
    assert "questionnaires" not in names


# backup and restore ---------------------------------------------------------------------------


def change_everything():
    """What happens between a backup and a restore: edits, new content."""
    question = Question.objects.first()
    question.text_fr = "Une question réécrite"
    save_revision(question, Revision.Origin.EDIT, based_on=question.revision)
    Questionnaire.objects.update(title_fr="Titre changé")


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite round trip; PostgreSQL has its own test")
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_identical_exports(content_dir, tmp_path, capsys):
    sonar("load-content", "--directory", content_dir)
    sonar("export", tmp_path / "before")
    revisions = Revision.objects.count()

    assert sonar("backup", tmp_path / "sonar.backup") == 0
    change_everything()
    assert sonar("restore", tmp_path / "sonar.backup", "--no-input") == 0

    sonar("export", tmp_path / "after")
    assert exported(tmp_path / "after") == exported(tmp_path / "before")
    assert Revision.objects.count() == revisions
    out = capsys.readouterr().out
    assert "Sauvegarde écrite" in out
    assert "Base restaurée depuis" in out


@pytest.mark.django_db(transaction=True)
def test_a_backup_comes_with_its_checksum(tmp_path):
    sonar("backup", tmp_path / "sonar.backup")

    checksum = (tmp_path / "sonar.backup.sha256").read_text().split()

    assert checksum[1] == "sonar.backup"
    assert len(checksum[0]) == 64


def garbage(tmp_path):
    path = tmp_path / "garbage.backup"
    path.write_bytes(b"ceci n'est pas une sauvegarde\n" * 100)
    return path


def foreign_sqlite(tmp_path):
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE django_migrations (id integer, app text, name text)")
    db.commit()
    db.close()
    return path


def tampered_backup(tmp_path):
    path = tmp_path / "sonar.backup"
    sonar("backup", path)
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)
    return path


def foreign_pg_dump(tmp_path):
    """A valid custom-format dump of a database that is not Sonar's."""
    name = f"sonar_foreign_{os.getpid()}"
    with scratch_database(name) as settings_dict:
        path = tmp_path / "foreign.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={path}", name],
            env=pg_env(settings_dict),
            check=True,
        )
    return path


REFUSED = [
    pytest.param(garbage, "n’est pas une sauvegarde de Sonar utilisable", id="garbage"),
    pytest.param(foreign_sqlite, "n’est pas une sauvegarde de Sonar utilisable", id="not-sonar"),
    pytest.param(tampered_backup, "ne correspond pas à son empreinte", id="truncated"),
    pytest.param(
        foreign_pg_dump,
        "il y manque les tables django_migrations",
        id="not-sonar-postgresql",
        marks=pytest.mark.skipif(not ON_POSTGRESQL, reason="needs PostgreSQL"),
    ),
]


@pytest.mark.parametrize(("make_file", "reason"), REFUSED)
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_it_cannot_verify_and_changes_nothing(
    content_dir, tmp_path, capsys, make_file, reason
):
    sonar("load-content", "--directory", content_dir)
    path = make_file(tmp_path)
    sonar("export", tmp_path / "before")
    capsys.readouterr()

    code = sonar("restore", path, "--no-input")

    sonar("export", tmp_path / "after")
    error = capsys.readouterr().err
    assert code == 1
    assert reason in error
    assert "Rien n’a changé." in error
    assert exported(tmp_path / "after") == exported(tmp_path / "before")


@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_a_no_changes_nothing(content_dir, tmp_path, monkeypatch, capsys):
    sonar("load-content", "--directory", content_dir)
    sonar("backup", tmp_path / "sonar.backup")
    Questionnaire.objects.update(title_fr="Titre changé")
    monkeypatch.setattr("builtins.input", lambda prompt: "non")

    code = sonar("restore", tmp_path / "sonar.backup")

    assert code == 1
    assert "Restauration annulée : rien n’a changé." in capsys.readouterr().err
    assert Questionnaire.objects.get().title_fr == "Titre changé"


# PostgreSQL -----------------------------------------------------------------------------------


def pg_env(settings_dict):
    from sonar.core.backup import _pg_env

    return _pg_env(settings_dict)


class scratch_database:
    """A database of its own on the test server, created and dropped around a block, so that
    a restore never touches the test database."""

    def __init__(self, name):
        self.name = name
        self.settings_dict = {**connection.settings_dict, "NAME": name}

    def psql(self, sql, database="postgres"):
        return subprocess.run(
            ["psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
            env=pg_env(connection.settings_dict),
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def __enter__(self):
        self.psql(f'DROP DATABASE IF EXISTS "{self.name}"')
        self.psql(f'CREATE DATABASE "{self.name}"')
        return self.settings_dict

    def __exit__(self, *exc):
        self.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


CONTENT_TABLES = ("quiz_questionnaire", "quiz_outcome", "quiz_question", "quiz_choice")


def fingerprint(database):
    """Each content table's rows (and the revisions) summed up in one md5 per table."""
    query = " UNION ALL ".join(
        f"SELECT '{t}', count(*), md5(string_agg(x::text, '|' ORDER BY x.id)) FROM {t} x"  # noqa: S608
        for t in (*CONTENT_TABLES, "core_revision")
    )
    return scratch_database(database).psql(query, database=database)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs DATABASE_URL pointing at PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_round_trip_on_postgresql(content_dir, tmp_path):
    from sonar.core import backup

    # Committed (transaction=True), so pg_dump, a separate session, sees it.
    sonar("load-content", "--directory", content_dir)
    assert sonar("backup", tmp_path / "sonar.dump") == 0

    with scratch_database(f"sonar_restore_{os.getpid()}") as scratch:
        # Something to be replaced: the restore cleans what the backup holds.
        scratch_database(scratch["NAME"]).psql(
            "CREATE TABLE quiz_questionnaire (id int)", database=scratch["NAME"]
        )
        backup.restore(tmp_path / "sonar.dump", settings_dict=scratch)

        restored = fingerprint(scratch["NAME"])
    original = fingerprint(connection.settings_dict["NAME"])
    assert restored == original
    assert f"quiz_choice|{Choice.objects.count()}|" in restored


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs DATABASE_URL pointing at PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_failing_postgresql_restore_leaves_the_database_as_it_was(content_dir, tmp_path):
    from sonar.core import backup

    sonar("load-content", "--directory", content_dir)
    sonar("backup", tmp_path / "sonar.dump")

    with scratch_database(f"sonar_failing_{os.getpid()}") as scratch:
        db = scratch_database(scratch["NAME"])
        # A view on a table the restore must drop: the DROP fails half-way, after others.
        db.psql(
            "CREATE TABLE quiz_questionnaire (id int); CREATE TABLE quiz_question (id int);"
            "CREATE TABLE quiz_choice (id int); INSERT INTO quiz_choice VALUES (42);"
            "CREATE VIEW keep_me AS SELECT * FROM quiz_choice",
            database=scratch["NAME"],
        )
        with pytest.raises(backup.BackupError, match="restée telle quelle"):
            backup.restore(tmp_path / "sonar.dump", settings_dict=scratch)

        tables = db.psql(
            "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
            "WHERE schemaname = 'public'",
            database=scratch["NAME"],
        )
        assert tables.strip() == "quiz_choice,quiz_question,quiz_questionnaire"
        assert db.psql("SELECT id FROM quiz_choice", database=scratch["NAME"]).strip() == "42"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prepares_the_static_files_and_answers_on_port(tmp_path):
    port = free_port()
    env = {**isolated_environment(tmp_path), "PORT": str(port)}
    server = subprocess.Popen(
        [SONAR, "serve"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        health = None
        # Until the server answers (or stops): a loaded machine takes longer than a quiet one.
        deadline = time.monotonic() + 60
        while health is None and server.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    health = json.load(response)
            except OSError:
                time.sleep(0.1)
        manifest = json.loads((tmp_path / "var" / "static" / "staticfiles.json").read_text())
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/{manifest['paths']['sonar/sonar.css']}"
        ) as response:
            css = response.status, response.headers["Content-Type"]
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()

    assert health == {"status": "ok", "database": "ok"}, output
    assert css[0] == 200
    assert css[1].startswith("text/css")
    assert f"Sonar est servi sur http://127.0.0.1:{port}" in output
