"""Redis away (stopped, unreachable): every page that does not itself need Redis still answers
200, from Django, with the page cache off for the time being (finding 1 of issue 12)."""

import socket

import pytest
from django.core.cache import caches
from django.test import Client


def a_closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.fixture
def redis_away(settings):
    url = f"redis://127.0.0.1:{a_closed_port()}/0"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "sonar.core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "sonar-redis-away",
        }
    }
    caches.__dict__.pop("settings", None)
    for alias in list(caches._settings):
        caches.__dict__.pop(alias, None)
    yield url
    caches.__dict__.pop("settings", None)


@pytest.mark.parametrize(
    "name",
    ["home", "sea chart", "catalogue", "search", "question", "api resources", "english home"],
)
def test_a_public_page_answers_200_while_redis_is_away(pages, redis_away, name):
    for _visit in range(2):
        response = Client().get(pages[name])
        assert response.status_code == 200, name


def test_the_trajectories_answer_200_while_redis_is_away(reference_content, redis_away):
    assert Client().get("/trajectoires/").status_code == 200


def test_health_names_redis_as_failing_while_it_is_away(db, redis_away):
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["redis"]
