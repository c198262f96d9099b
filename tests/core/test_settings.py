"""Settings fail loudly: a malformed value stops start-up with the variable's name, and reading
the settings writes nothing (var/ and its secret key are made by the commands)."""

import os
import runpy
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sonar import vardir

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent

SETTINGS = Path(vardir.__file__).with_name("settings.py")
# Variables a developer's or CI's shell may set, which would change what is read.
READ = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "SONAR_BASE_URL",
    "LOG_LEVEL",
    "SONAR_PAGE_CACHE_SECONDS",
)


def read_settings(monkeypatch, tmp_path, **values):
    """The settings module read afresh with these variables (and a var/ of the test's own)."""
    for name in READ:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SONAR_VAR_DIR", str(tmp_path / "var"))
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "yes please"),
        ("DEBUG", "2"),
        ("SONAR_PAGE_CACHE_SECONDS", "abc"),
        ("SONAR_PAGE_CACHE_SECONDS", "-5"),
        ("SONAR_WORKSHOP_RETENTION_DAYS", "ninety"),
        ("SONAR_MAX_BODY_BYTES", "1.5e6"),
        ("SONAR_DB_POOL_SIZE", "ten"),
        ("EMAIL_PORT", "smtp"),
        ("EMAIL_USE_TLS", "maybe"),
        ("SONAR_STATIC_MANIFEST", "sometimes"),
        ("DATABASE_URL", "postgres//sonar@db/sonar"),
        ("DATABASE_URL", "nosuchdb://sonar@db/sonar"),
        ("DATABASE_URL", "postgres://sonar@db:port/sonar"),
        ("REDIS_URL", "localhost:6379"),
        ("REDIS_URL", "http://127.0.0.1:6379/0"),
        ("SONAR_BASE_URL", "sonar.example.fr"),
        ("SONAR_BASE_URL", "ftp://sonar.example.fr"),
        ("SONAR_BASE_URL", "https://"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_malformed_value_stops_start_up_naming_the_variable(monkeypatch, tmp_path, name, value):
    values = {name: value}
    if name == "SONAR_DB_POOL_SIZE":  # read with PostgreSQL only
        values["DATABASE_URL"] = "postgres://sonar@db/sonar"
    with pytest.raises(ImproperlyConfigured, match=name):
        read_settings(monkeypatch, tmp_path, **values)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), ("yes", True), (" on ", True), ("0", False), ("off", False)],
)
def test_a_yes_no_variable_reads_the_usual_words(monkeypatch, tmp_path, value, expected):
    assert read_settings(monkeypatch, tmp_path, DEBUG=value)["DEBUG"] is expected


def test_empty_variables_keep_their_defaults(monkeypatch, tmp_path):
    read = read_settings(
        monkeypatch, tmp_path, DEBUG="", SONAR_PAGE_CACHE_SECONDS=" ", REDIS_URL="", LOG_LEVEL=""
    )
    assert read["DEBUG"] is False
    assert read["SONAR_PAGE_CACHE_SECONDS"] == 600
    assert read["REDIS_URL"] == ""
    assert read["LOGGING"]["root"]["level"] == "INFO"


def test_well_formed_addresses_are_read_as_given(monkeypatch, tmp_path):
    read = read_settings(
        monkeypatch,
        tmp_path,
        DATABASE_URL="postgres://sonar:secret@db.example.fr:5433/sonar",
        REDIS_URL="redis://cache.example.fr:6380/2",
        SONAR_BASE_URL="https://sonar.example.fr/",
    )
    database = read["DATABASES"]["default"]
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example.fr",
        5433,
        "sonar",
    )
    assert read["CACHES"]["default"]["LOCATION"] == "redis://cache.example.fr:6380/2"
    assert read["SONAR_BASE_URL"] == "https://sonar.example.fr"
    assert "sonar.example.fr" in read["ALLOWED_HOSTS"]


def test_reading_the_settings_writes_no_file(monkeypatch, tmp_path):
    read = read_settings(monkeypatch, tmp_path)
    assert not (tmp_path / "var").exists()
    assert len(read["SECRET_KEY"]) >= 50


def test_the_settings_read_the_key_that_the_commands_keep(monkeypatch, tmp_path):
    monkeypatch.setenv("SONAR_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    vardir.prepare()
    kept = (tmp_path / "var" / "secret_key").read_text()
    assert read_settings(monkeypatch, tmp_path)["SECRET_KEY"] == kept
    assert read_settings(monkeypatch, tmp_path, SECRET_KEY="from-the-environment" * 3)[
        "SECRET_KEY"
    ] == ("from-the-environment" * 3)


def test_the_kept_key_is_made_once_and_readable_by_its_owner_only(monkeypatch, tmp_path):
    monkeypatch.setenv("SONAR_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    vardir.prepare()
    key_file = tmp_path / "var" / "secret_key"
    first = key_file.read_text()
    vardir.prepare()
    assert key_file.read_text() == first
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["secret_key"]


def test_no_key_is_written_when_the_environment_gives_one(monkeypatch, tmp_path):
    monkeypatch.setenv("SONAR_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SECRET_KEY", "k" * 60)
    vardir.prepare()
    assert list((tmp_path / "var").iterdir()) == []


def test_a_sonar_command_on_a_fresh_clone_makes_var_and_its_key(tmp_path):
    unset = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env["SONAR_VAR_DIR"] = str(tmp_path / "var")
    subprocess.run(
        [str(Path(sys.executable).parent / "sonar"), "migrate", "-v", "0"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert (tmp_path / "var" / "secret_key").is_file()
    assert (tmp_path / "var" / "sonar.sqlite3").is_file()


@pytest.mark.parametrize(
    ("command", "name", "value"),
    [
        ("migrate", "DEBUG", "yes please"),
        ("serve", "PORT", "80a"),
        ("serve", "WEB_CONCURRENCY", "0"),
    ],
)
def test_a_malformed_value_stops_a_sonar_command_with_the_variable_named(
    tmp_path, command, name, value
):
    env = {**os.environ, "SONAR_VAR_DIR": str(tmp_path / "var"), name: value}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "sonar"), command],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Configuration invalide")
    assert f"{name} must be" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("logger", ["weasyprint", "weasyprint.progress", "fontTools.subset"])
def test_pdf_rendering_logs_its_warnings_but_not_each_step(logger):
    # WeasyPrint writes "Step 1 - Fetching and parsing HTML"… at INFO for every PDF.
    import logging

    assert not logging.getLogger(logger).isEnabledFor(logging.INFO)
    assert logging.getLogger(logger).isEnabledFor(logging.WARNING)
