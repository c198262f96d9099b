"""The OpenAPI document at /api/v1/openapi.json describes the whole API, and nothing else.

The document is generated from the routers (sonar/core/api); both directions come from the URL
conf: an API URL without a description fails (a view added to the URL conf beside the routers,
say), and so does a described path that no longer resolves.
"""

import re

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from sonar.urls import API

DOCUMENT = API.get_openapi_schema()

API_PREFIX = "api/v1/"
METHODS = {"get", "post", "put", "patch", "delete"}


def _api_routes(patterns=None, prefix=""):
    """Every route under /api/v1/ as an OpenAPI path ("/api/v1/quiz/{key}")."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _api_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and route.startswith(API_PREFIX):
            yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


ROUTES = sorted(set(_api_routes()))
DOCUMENTED = sorted(DOCUMENT["paths"])


def test_the_url_conf_has_api_routes_to_check():
    assert len(ROUTES) >= 15


@pytest.mark.parametrize("path", ROUTES)
def test_every_api_url_of_the_url_conf_is_described(path):
    assert path in DOCUMENT["paths"], f"{path} manque au document (sonar/core/api)"


@pytest.mark.parametrize("path", DOCUMENTED)
def test_every_described_path_resolves_to_an_api_view(path):
    # An id is a number; any other parameter takes text.
    concrete = re.sub(r"\{\w+\}", "abc", re.sub(r"\{\w+_id\}", "1", path))
    try:
        match = resolve(concrete)
    except Resolver404:
        pytest.fail(f"{path} ne correspond à aucune URL")
    assert match.url_name.startswith("api-"), (path, match.url_name)


@pytest.mark.parametrize("path", DOCUMENTED)
def test_every_operation_has_its_path_parameters_an_answer_and_the_error_shape(path):
    item = DOCUMENT["paths"][path]
    operations = {m: op for m, op in item.items() if m in METHODS}
    assert operations
    for operation in operations.values():
        names = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        for name in re.findall(r"\{(\w+)\}", path):
            assert name in names, (path, name)
        statuses = set(operation["responses"])
        assert any(s.startswith("2") for s in statuses)
        assert "405" in statuses
        for status in statuses - {"200", "201", "204"}:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)


def test_the_error_shape_is_described_once():
    error = DOCUMENT["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "fields"]
    assert error["additionalProperties"] is False


def test_every_operation_but_the_document_takes_the_lang_parameter():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            names = [p["name"] for p in operation["parameters"] if p["in"] == "query"]
            expected = path != "/api/v1/openapi.json"
            assert ("lang" in names) is expected, (method, path)


def test_the_document_is_served_as_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    served = response.json()
    assert served["openapi"] == "3.1.0"
    assert served["paths"].keys() == DOCUMENT["paths"].keys()
    assert served["paths"]["/api/v1/quiz/{key}"]["get"]["summary"].startswith("Un diagnostic")
    assert "Toute erreur a la même forme" in served["info"]["description"]


def test_the_document_only_answers_get(client):
    response = client.post("/api/v1/openapi.json")
    assert response.status_code == 405
    assert set(response.json()) == {"error", "fields"}
