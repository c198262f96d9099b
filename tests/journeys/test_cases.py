"""Each trajectory links one to three real cases of the map, checked at load and shown on its
page and in its JSON; the journal's words a trajectory quotes do not recur from one to the next."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from sonar.journeys.models import Trajectory
from tests.journeys.test_loading import STAGES, content_copy, edit, errors_of  # noqa: F401
from tests.quiz.test_visitor_path import text

pytestmark = pytest.mark.django_db

TRAJECTORIES = Path(settings.SONAR_CONTENT_DIR) / "journeys/trajectories"


def test_every_trajectory_links_one_to_three_cases_of_the_map(loaded):
    for trajectory in Trajectory.objects.all():
        assert 1 <= len(trajectory.case_links) <= 3, trajectory.key


def test_the_trajectory_page_shows_its_cases_and_why(client, loaded):
    page = text(client.get("/trajectoires/premieres-sorties/"))
    assert "Des cas réels sur cette route" in page
    assert "La Transfo" in page or "Transfo" in page
    assert "Après trois ans de tests, une Région crée son propre laboratoire" in page
    html = client.get("/trajectoires/premieres-sorties/").content.decode()
    assert 'href="http' in html and "/cas/le-labo-champagne-ardenne/" in html


def test_the_json_twin_carries_the_cases(client, loaded):
    body = client.get("/api/v1/trajectories/flottille").json()
    assert [c["slug"] for c in body["cases"]] == [
        "experimentation-rsa-departements",
        "fabrique-citoyenne-rennes",
    ]
    assert body["cases"][0]["why"].startswith("Des départements testent une réforme")
    english = client.get("/api/v1/trajectories/flottille?lang=en").json()
    assert english["cases"][0]["why"].startswith("Departments test a reform")


def test_an_unknown_case_is_refused_with_a_french_message(content_copy):  # noqa: F811
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    edit(path, 'case: "la-bonne-boite"', 'case: "la-mauvaise-boite"')
    found = errors_of(content_copy)
    assert any(
        "a-quai.yaml, ligne" in e
        and "« cases.0.case »" in e
        and "cas inconnu « la-mauvaise-boite »" in e
        for e in found
    ), found


def test_a_case_listed_twice_is_refused(content_copy):  # noqa: F811
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    edit(path, 'case: "la-videocagette"', 'case: "la-bonne-boite"')
    found = errors_of(content_copy)
    assert any("a-quai.yaml" in e and "cas « la-bonne-boite » cité deux fois" in e for e in found)


def test_a_trajectory_without_cases_is_refused(content_copy):  # noqa: F811
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    text_ = path.read_text(encoding="utf-8")
    path.write_text(text_.split("\ncases:\n", 1)[0] + "\n", encoding="utf-8")
    found = errors_of(content_copy)
    assert any("a-quai.yaml" in e and "cases" in e for e in found), found


@pytest.mark.engine_independent
def test_no_journal_quote_recurs_from_one_trajectory_to_another():
    quotes = []
    for stage in STAGES:
        doc = yaml.safe_load((TRAJECTORIES / f"{stage}.yaml").read_text(encoding="utf-8"))
        quotes += [p["text"]["fr"] for p in doc.get("principles", []) if p.get("quote")]
    assert len(quotes) == len(set(quotes)), quotes
