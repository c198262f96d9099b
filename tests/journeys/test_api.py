"""The trajectories' JSON twins: same data as the pages, the site's one error shape."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_list_gives_the_ladder_in_order(client, loaded):
    body = client.get("/api/v1/trajectories").json()
    assert body["count"] == 5
    assert [s["key"] for s in body["results"]][:2] == ["a-quai", "premieres-sorties"]
    first = body["results"][0]
    assert first["rank"] == 1 and first["name"] == "À quai"
    assert first["url"].endswith("/trajectoires/a-quai/")


def test_a_trajectory_gives_every_part(client, loaded):
    body = client.get("/api/v1/trajectories/a-quai").json()
    assert body["stage"]["name"] == "À quai"
    assert body["milestones"][0] == {
        "key": "choisir-un-irritant",
        "position": 1,
        "title": "Choisir un problème concret",
        "description": body["milestones"][0]["description"],
        "anchor": "balise-choisir-un-irritant",
        "practices": [],
    }
    assert body["milestones"][2]["practices"] == ["Usagers", "Agents"]
    assert body["forks"][0]["branches"][0]["key"] == "irritant"
    assert body["principles"][0]["quote"] is True
    assert body["resources"][0]["slug"] == "immersion"
    assert body["previous"] is None and body["next"]["key"] == "premieres-sorties"


def test_english_with_lang_en(client, loaded):
    body = client.get("/api/v1/trajectories/a-quai?lang=en").json()
    assert body["stage"]["name"] == "Moored"
    assert body["milestones"][0]["title"] == "Choose a concrete problem"


@pytest.mark.parametrize(
    ("path", "status", "error", "fields"),
    [
        (
            "/api/v1/trajectories/nulle-part",
            404,
            "Aucune trajectoire pour l’étape « nulle-part ».",
            {},
        ),
        (
            "/api/v1/trajectories?lang=de",
            400,
            "Langue inconnue.",
            {"lang": "Choisissez « fr » ou « en »."},
        ),
        (
            "/api/v1/trajectories?page=2",
            400,
            "Paramètre inconnu.",
            {"page": "Paramètre inconnu : seul « lang » est accepté."},
        ),
        (
            "/api/v1/trajectories/a-quai?stage=x",
            400,
            "Paramètre inconnu.",
            {"stage": "Paramètre inconnu : seul « lang » est accepté."},
        ),
    ],
)
def test_bad_input_gets_the_french_error_shape(client, loaded, path, status, error, fields):
    response = client.get(path)
    assert response.status_code == status
    assert response.json() == {"error": error, "fields": fields}


def test_a_post_is_refused_with_405(client, loaded):
    assert client.post("/api/v1/trajectories").status_code == 405
