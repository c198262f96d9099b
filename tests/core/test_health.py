"""GET /healthz: what a load balancer or a supervisor asks before sending traffic."""

import pytest
from django.db import OperationalError, connections
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_when_every_part_answers(client, settings):
    expected = {"status": "ok", "database": "ok"}
    if settings.REDIS_URL:
        expected["redis"] = "ok"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == expected
    assert "no-store" in response["Cache-Control"]


def test_healthz_names_the_database_when_it_fails(client, monkeypatch):
    def broken(self, *args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "cursor", broken)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["failing"] == ["database"]


def test_healthz_names_redis_when_it_is_unreachable(client, settings):
    # Nothing listens on port 1.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "redis": "error",
        "failing": ["redis"],
    }


def test_healthz_answers_over_plain_http_when_https_is_enforced(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
