"""Absolute links follow one rule (issue 12, finding 9): SONAR_BASE_URL, or, when it is not set,
the address `make run` and `sonar serve` listen on (HOST and PORT). Share links, the PDF card's
QR code, e-mails and workshop links all start with it, whatever Host a request named."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sonar.core import baseurl
from tests.core.test_security import run_django

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://sonar.exemple-metropole.fr"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "18901"}, "http://127.0.0.1:18901"),
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        ({"HOST": "::1"}, "http://[::1]:8000"),
        ({"HOST": " ", "PORT": ""}, "http://127.0.0.1:8000"),
        ({"SONAR_BASE_URL": "https://sonar.ville.fr/", "PORT": "18901"}, "https://sonar.ville.fr"),
    ],
)
def test_the_base_url_comes_from_sonar_base_url_or_else_host_and_port(environ, expected):
    assert baseurl.derive(environ, lan_address=lambda: "192.0.2.10") == expected


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])  # noqa: S104 (addresses, no bind)
def test_listening_everywhere_gives_links_to_the_machine_s_network_address(host):
    assert baseurl.derive({"HOST": host, "PORT": "8080"}, lambda: "192.0.2.10") == (
        "http://192.0.2.10:8080"
    )
    assert baseurl.derive({"HOST": host}, lambda: None) == "http://127.0.0.1:8000"


def test_settings_take_the_port_of_make_run(tmp_path):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sonar.settings'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.SONAR_BASE_URL, '127.0.0.1' in settings.ALLOWED_HOSTS)"
    )
    done = run_django(tmp_path, code, PORT="18901", HOST="127.0.0.1")
    assert done.stdout.split() == ["http://127.0.0.1:18901", "True"], done.stderr


@pytest.fixture
def served(monkeypatch):
    """What `sonar serve` hands over to granian: its environment, and what it printed."""
    from sonar.core.management.commands import serve

    handed = {}
    monkeypatch.setattr(
        serve.os, "execve", lambda program, args, env: handed.update(args=args, env=env)
    )
    monkeypatch.setattr(serve.Command, "collect_static_files", lambda self: None)

    def run(port, environ=None):
        monkeypatch.delenv("SONAR_BASE_URL", raising=False)
        for name, value in (environ or {}).items():
            monkeypatch.setenv(name, value)
        out = io.StringIO()
        serve.Command(stdout=out).handle(host="127.0.0.1", port=port, workers=1)
        return handed["env"], out.getvalue()

    return run


def test_serve_gives_its_workers_the_address_it_listens_on(served):
    env, printed = served(18902)
    assert env["SONAR_BASE_URL"] == "http://127.0.0.1:18902"
    assert "Les liens envoyés ou imprimés" in printed.replace("\u00a0", " ")
    assert "http://127.0.0.1:18902 (partage, codes QR, courriels)" in printed


def test_serve_keeps_a_base_url_that_was_set(served):
    env, printed = served(18902, {"SONAR_BASE_URL": BASE})
    assert env["SONAR_BASE_URL"] == BASE
    assert f"{BASE} (partage, codes QR, courriels)" in printed


# Every link handed out follows the rule, whatever Host the request named ------------------


@pytest.fixture
def elsewhere(settings):
    settings.SONAR_BASE_URL = BASE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "autre-port.example"]
    return Client(HTTP_HOST="autre-port.example:18901")


def test_the_quiz_share_link_and_the_pdf_card_s_qr_code(elsewhere, reference_content, monkeypatch):
    from sonar.quiz import pdf

    coded = []
    monkeypatch.setattr(pdf, "qr_svg", lambda url: coded.append(url) or "<svg></svg>")
    for number in range(1, 7):
        answered = elsewhere.post(
            reverse("quiz:question", args=["style", number]), {"choice": f"q{number}a"}
        )
    page = elsewhere.get(answered.url).content.decode()
    shared = re.findall(r"https?://[^\s\"<]+/partage/[^\s\"<]+", page)
    assert shared and all(link.startswith(BASE + "/") for link in shared)
    assert elsewhere.get(answered.url + "fiche.pdf").status_code == 200
    assert coded and all(url.startswith(BASE + "/") for url in coded)


def test_the_workshop_join_link_and_its_qr_code(elsewhere, reference_content, monkeypatch):
    from sonar.workshops import exports

    coded = []
    monkeypatch.setattr(exports, "qr_svg", lambda url: coded.append(url) or "<svg></svg>")
    form = {"questionnaire": "style", "title": "Atelier", "mode": "paced"}
    created = elsewhere.post(reverse("workshops:create"), form)
    page = elsewhere.get(created.url, follow=True).content.decode()
    assert "autre-port.example" not in page
    assert coded and all(url.startswith(BASE + "/") for url in coded)


def test_the_workshop_api_links(elsewhere, reference_content):
    answer = elsewhere.post(
        "/api/v1/workshops",
        {"questionnaire": "style", "title": "Atelier", "mode": "paced"},
        content_type="application/json",
    ).json()
    assert answer["join_url"].startswith(BASE + "/")
    assert answer["facilitator_url"].startswith(BASE + "/")


def test_the_confirmation_e_mail(elsewhere, db):
    elsewhere.post(reverse("accounts:signup"), {"email": "anne@ville.fr"})
    [message] = mail.outbox
    assert f"{BASE}/compte/confirmer/" in message.body
    assert "autre-port.example" not in message.body


def test_no_link_is_built_from_the_request_s_host():
    """The rule holds by construction: nothing in Sonar asks the request for its address."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "sonar").rglob("*.py")
        if "build_absolute_uri" in path.read_text()
    ]
    assert offenders == []
