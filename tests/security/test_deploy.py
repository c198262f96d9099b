"""Production settings: `check --deploy` passes without a warning (tests/core/test_security.py,
`test_production_mode_passes_the_deploy_checks_without_a_warning`, runs it with every installed
app's checks, django-axes' among them). Here: the settings that check cannot see, read once in
a fresh process started with only the production environment."""

import json

import pytest

from tests.core.test_security import PRODUCTION, run_django

# Run once, on SQLite only, unless a test asks for the database (tests/conftest.py, runs_once).
pytestmark = pytest.mark.engine_independent

NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_FAILURE_VIEW",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
    "AXES_RESET_ON_SUCCESS",
    "AXES_LOCKOUT_PARAMETERS",
    "MIDDLEWARE",
    "AUTHENTICATION_BACKENDS",
    "PASSWORD_HASHERS",
    "CONTENT_SECURITY_POLICY",
]


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {NAMES!r}}}, default=str))"
    )
    result = run_django(
        tmp_path_factory.mktemp("production"),
        code,
        DJANGO_SETTINGS_MODULE="sonar.settings",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DEBUG", False),
        ("SESSION_COOKIE_SECURE", True),
        ("SESSION_COOKIE_HTTPONLY", True),
        ("SESSION_COOKIE_SAMESITE", "Lax"),
        ("CSRF_COOKIE_SECURE", True),
        ("CSRF_FAILURE_VIEW", "sonar.core.views.csrf_failure"),
        ("SECURE_SSL_REDIRECT", True),
        ("SECURE_CONTENT_TYPE_NOSNIFF", True),
        ("X_FRAME_OPTIONS", "DENY"),
        ("AXES_RESET_ON_SUCCESS", True),
    ],
)
def test_production_settings_protect_sessions_and_forms(production, name, expected):
    assert production[name] == expected


def test_production_counts_failed_log_ins(production):
    assert production["AXES_ENABLED"] in (True, None)  # None: axes' default, enabled
    assert 1 <= production["AXES_FAILURE_LIMIT"] <= 10
    assert "axes.middleware.AxesMiddleware" in production["MIDDLEWARE"]
    assert production["AUTHENTICATION_BACKENDS"][0].startswith("axes.")


def test_production_hashes_passwords_with_argon2(production):
    assert "Argon2" in production["PASSWORD_HASHERS"][0]


def test_production_keeps_hsts_for_a_year(production):
    assert production["SECURE_HSTS_SECONDS"] >= 31536000


def test_production_policy_allows_no_inline_script_nor_style(production):
    directives = production["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in json.dumps(directives)
