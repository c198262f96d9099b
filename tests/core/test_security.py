"""Security by default: headers, production settings, and bad input that never ends in a 500."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connections
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "SONAR_BASE_URL": "https://sonar.example.org",
    "ALLOWED_HOSTS": "sonar.example.org",
}


def run_django(tmp_path, code, **env):
    """Run Python with Sonar's settings in a fresh process, with only `env` configured."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SONAR_BASE_URL", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "SONAR_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
    )


# Headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("X-Frame-Options", "DENY"),
        ("Permissions-Policy", "camera=()"),
        ("Permissions-Policy", "geolocation=()"),
        ("Content-Security-Policy", "default-src 'self'"),
        ("Content-Security-Policy", "frame-ancestors 'none'"),
    ],
)
@pytest.mark.parametrize(
    "request_page",
    [
        pytest.param(lambda client: client.get("/"), id="home"),
        pytest.param(lambda client: client.get("/nulle-part/"), id="not-found"),
        pytest.param(
            lambda client: client.post("/", "x" * 300_000, "application/x-www-form-urlencoded"),
            id="too-large",
        ),
    ],
)
def test_every_page_carries_the_security_headers(client, db, request_page, header, expected):
    response = request_page(client)

    assert expected in response[header]


def test_the_content_security_policy_forbids_inline_scripts(client, db):
    policy = client.get("/")["Content-Security-Policy"]

    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


# Features of the Permissions Policy registry's "standardized features" (w3c/webappsec-
# permissions-policy, features.md) that a site like Sonar may want to turn off, and directives
# browsers have dropped: a browser warns about an unknown directive on every page, and an
# obsolete one protects against nothing.
CURRENT_FEATURES = {
    "accelerometer", "ambient-light-sensor", "autoplay", "battery", "bluetooth", "camera",
    "display-capture", "encrypted-media", "fullscreen", "gamepad", "geolocation", "gyroscope",
    "hid", "identity-credentials-get", "idle-detection", "local-fonts", "magnetometer",
    "microphone", "midi", "otp-credentials", "payment", "picture-in-picture",
    "publickey-credentials-create", "publickey-credentials-get", "screen-wake-lock", "serial",
    "speaker-selection", "storage-access", "usb", "web-share", "window-management",
    "xr-spatial-tracking",
}  # fmt: skip
OBSOLETE_FEATURES = {
    "interest-cohort", "vr", "wake-lock", "speaker", "vibrate", "layout-animations",
    "legacy-image-formats", "oversized-images", "unoptimized-images", "unsized-media",
    "document-write", "sync-script", "lazyload", "conversion-measurement",
}  # fmt: skip


def test_the_permissions_policy_lists_no_obsolete_directive(client, db):
    policy = client.get("/")["Permissions-Policy"]

    directives = {part.split("=", 1)[0].strip() for part in policy.split(",") if part.strip()}
    assert directives
    assert not directives & OBSOLETE_FEATURES
    assert directives <= CURRENT_FEATURES, directives - CURRENT_FEATURES


# Production settings ------------------------------------------------------------------------


def test_production_mode_passes_the_deploy_checks_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, "SONAR_VAR_DIR": str(tmp_path), **PRODUCTION},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DEBUG", "False"),
        ("SECURE_SSL_REDIRECT", "True"),
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_HSTS_SECONDS", "31536000"),
    ],
)
def test_production_mode_enforces_https(tmp_path, name, expected):
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = run_django(tmp_path, code, DJANGO_SETTINGS_MODULE="sonar.settings", **PRODUCTION)

    assert result.stdout.strip() == expected, result.stderr


def test_debug_is_off_when_nothing_is_configured(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = run_django(tmp_path, code, DJANGO_SETTINGS_MODULE="sonar.settings")

    assert result.stdout.strip() == "False", result.stderr


# Bad input ----------------------------------------------------------------------------------


def assert_french_page(response, status, title):
    """What a visitor sees: a page of Sonar, in French, saying what happened."""
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert '<html lang="fr">' in text
    assert title in text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    ("method", "path", "status", "title"),
    [
        ("get", "/nulle-part/", 404, "Page introuvable"),
        ("get", "/diagnostic/inconnu/", 404, "Page introuvable"),
        ("post", "/", 405, "Méthode non permise"),
        ("delete", "/a-propos/", 405, "Méthode non permise"),
    ],
)
def test_a_bad_address_or_method_gets_a_french_page(client, db, method, path, status, title):
    response = getattr(client, method)(path)

    assert_french_page(response, status, title)


@pytest.mark.parametrize(
    ("request_page", "status", "title"),
    [
        pytest.param(lambda c: c.get("/en/nowhere/"), 404, "Page not found", id="not-found"),
        pytest.param(
            lambda c: c.post("/en/", "x" * 300_000, "application/x-www-form-urlencoded"),
            413,
            "Submission too large",
            id="too-large",
        ),
    ],
)
def test_an_english_address_gets_its_error_page_in_english(client, db, request_page, status, title):
    response = request_page(client)

    assert response.status_code == status
    assert '<html lang="en">' in response.content.decode()
    assert title in response.content.decode()


def test_a_wrong_method_says_which_methods_are_allowed(client, db):
    response = client.post("/")

    assert response["Allow"] == "GET, HEAD"


def test_a_wrong_method_on_the_health_check_gets_a_french_json_error(client, db):
    response = client.delete("/healthz")

    assert response.status_code == 405
    assert response.json() == {
        "error": "Cette méthode n’est pas acceptée ici (méthodes permises : GET, HEAD).",
        "fields": {},
    }


def test_an_unknown_api_address_gets_the_api_error_shape(client, db):
    response = client.get("/api/v1/nulle-part")

    assert response.status_code == 404
    assert set(response.json()) == {"error", "fields"}
    assert "aucune page" in response.json()["error"]


def test_an_oversized_form_gets_a_french_page(client, db):
    body = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post("/", data=body, content_type="application/x-www-form-urlencoded")

    assert_french_page(response, 413, "Envoi trop volumineux")
    assert "256 Ko au plus" in response.content.decode()


def test_an_oversized_api_payload_gets_the_api_error_shape(client, db):
    body = '{"answers": "' + "x" * django_settings.API_MAX_BODY_BYTES + '"}'

    response = client.post("/api/v1/quiz/style/score", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {
        "error": "Ce que vous avez envoyé dépasse la taille permise (64 Ko au plus).",
        "fields": {},
    }


def test_too_many_form_fields_get_a_french_page(client, reference_content, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    data = {f"champ{i}": "x" for i in range(20)}

    response = client.post("/diagnostic/style/question/1/", data=data)

    assert_french_page(response, 400, "Requête incorrecte")


def test_an_unknown_host_gets_a_french_page(client, db):
    response = client.get("/", HTTP_HOST="pirate.example")

    assert_french_page(response, 400, "Requête incorrecte")


@pytest.mark.parametrize(
    "path",
    [
        "/diagnostic/style/question/1/",
        "/diagnostic/style/recommencer/",
        "/diagnostic/maturite/commencer/",
    ],
)
def test_a_form_without_its_csrf_token_is_refused_with_a_french_explanation(
    reference_content, path
):
    client = Client(enforce_csrf_checks=True)

    response = client.post(path, {"answer": "q1a"})

    assert_french_page(response, 403, "Accès refusé")
    assert "Le formulaire a expiré" in response.content.decode()


@pytest.fixture
def failing_view(settings):
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    return Client(raise_request_exception=False)


def test_a_server_error_gets_a_french_page_without_any_detail(db, failing_view):
    response = failing_view.get("/essai/panne/")

    assert_french_page(response, 500, "Erreur du serveur")
    assert "détail interne" not in response.content.decode()
    assert "RuntimeError" not in response.content.decode()


def test_the_server_error_page_shows_even_when_the_database_is_down(db, failing_view, monkeypatch):
    # A returning visitor: their session lives in the database, which no longer answers.
    failing_view.cookies[django_settings.SESSION_COOKIE_NAME] = "a" * 32

    def broken(self, *args, **kwargs):
        raise OperationalError("the database is down")

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "cursor", broken)
        response = failing_view.get("/essai/panne/")

    assert_french_page(response, 500, "Erreur du serveur")
    # The page keeps the site's layout: the visitor can still find their way.
    assert "Aller au contenu" in response.content.decode()
