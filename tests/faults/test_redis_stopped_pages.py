"""Redis stopped: every public page 200. The pages kept in Redis are rendered instead while it
is away (the page cache treats Redis away as a miss, finding 1 of issue 12), /healthz names
Redis, and pages are kept again once Redis is back, without restarting Sonar."""

import time

from tests.faults.conftest import Server, base_env, call, only_in_postgres_pass

pytestmark = only_in_postgres_pass

PUBLIC_PAGES = [
    "/",
    "/en/",
    "/carte/",
    "/carte/ressources/",
    "/carte/ressources/?kind=methode&vision=democratie",
    "/glossaire/",
    "/recherche/?q=design",
    "/diagnostic/style/",
    "/diagnostic/style/question/1/",
    "/trajectoires/",
    "/ateliers/",
    "/api/v1/resources",
    "/api/v1/quiz/style",
]


def status_and_cache(port, path):
    status, _body, headers = call(port, "GET", path, accept="text/html")
    return status, headers.get("X-Page-Cache")


def test_redis_stopped_every_public_page_200(postgres, redis_server, servers, tmp_path):
    env = base_env(tmp_path, DATABASE_URL=postgres.url, REDIS_URL=redis_server.url)
    server = Server(env).start()
    servers.append(server)
    for path in PUBLIC_PAGES:  # kept in Redis, those whose view keeps them
        assert status_and_cache(server.port, path)[0] == 200, path
    assert status_and_cache(server.port, "/")[1] == "hit"

    redis_server.stop()

    for path in PUBLIC_PAGES:
        for _visit in range(2):
            status, kept = status_and_cache(server.port, path)
            assert (status, kept) in ((200, "miss"), (200, None)), (path, server.logs())
    status, health, _headers = call(server.port, "GET", "/healthz")
    assert (status, health["failing"]) == (503, ["redis"])

    redis_server.start()

    deadline = time.monotonic() + 20
    while status_and_cache(server.port, "/") != (200, "hit"):
        assert time.monotonic() < deadline, "pages were not kept again once Redis was back"
        time.sleep(0.5)
    status, health, _headers = call(server.port, "GET", "/healthz")
    assert (status, health["status"]) == (200, "ok")
