"""PostgreSQL restarted under a running Sonar: while it is away every request gets a prompt 503
(the French page, or the API's error shape) instead of a 500 or a hang; once it is back Sonar
works again without being restarted, since each request opens its own connection."""

import time

import pytest

from tests.faults.conftest import (
    Room,
    Server,
    assert_every_acknowledged_answer_stored,
    base_env,
    call,
    only_in_postgres_pass,
)

pytestmark = only_in_postgres_pass


@pytest.fixture(scope="module")
def stopped_database(postgres, tmp_path_factory):
    """A workshop with two participants on a server whose database has just stopped."""
    env = base_env(tmp_path_factory.mktemp("var"), DATABASE_URL=postgres.url)
    server = Server(env).start()
    room = Room(server.port, "Atelier sans base")
    tokens = [room.join(server.port) for _ in range(2)]
    question, choices = room.questions[0]
    assert room.answer(server.port, tokens[0], question, choices[0])
    postgres.stop()
    yield server, room, tokens
    server.stop()


def timed_call(port, method, path, **kwargs):
    started = time.monotonic()
    status, body, headers = call(port, method, path, timeout=15, **kwargs)
    return status, body, headers, time.monotonic() - started


def test_an_answer_gets_a_prompt_503_in_the_api_error_shape_while_the_database_is_away(
    stopped_database,
):
    server, room, tokens = stopped_database
    question, choices = room.questions[1]
    status, body, headers, seconds = timed_call(
        server.port, "PUT", f"/api/v1/workshops/{room.code}/answers/{question}",
        body={"choice": choices[0]}, token=tokens[1],
    )  # fmt: skip
    assert status == 503
    assert set(body) == {"error", "fields"}
    assert "Réessayez" in body["error"]
    assert headers["Retry-After"]
    assert seconds < 5


@pytest.mark.parametrize("path", ["/ateliers/{code}/", "/ateliers/{code}/animation/"])
def test_a_workshop_page_gets_the_french_503_page_while_the_database_is_away(
    stopped_database, path
):
    server, room, _tokens = stopped_database
    status, body, _headers, seconds = timed_call(
        server.port, "GET", path.format(code=room.code), accept="text/html"
    )
    assert status == 503
    assert "Service momentanément indisponible" in body
    assert "Réessayez dans une minute" in body
    assert seconds < 5


def test_healthz_names_the_database_while_it_is_away(stopped_database):
    server, _room, _tokens = stopped_database
    status, body, _headers, seconds = timed_call(server.port, "GET", "/healthz")
    assert (status, body["database"], body["failing"]) == (503, "error", ["database"])
    assert seconds < 5


def test_sonar_works_again_once_the_database_is_back_without_a_restart(stopped_database, postgres):
    server, room, tokens = stopped_database
    postgres.start()
    question, choices = room.questions[1]
    for token in tokens:
        assert room.answer(server.port, token, question, choices[1]), room.refused[-1:]
    assert call(server.port, "GET", "/healthz")[0] == 200
    assert room.snapshot(server.port)["answers"] == 3
    stored = assert_every_acknowledged_answer_stored(room, postgres.connect)
    assert len(stored) == 3
