"""Balises name the practices of the maturity diagnostic they raise: checked at load."""

import pytest

from sonar.journeys.models import Milestone
from sonar.journeys.practices import milestones_by_practice
from tests.journeys.test_loading import content_copy, edit, errors_of  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_practice_the_diagnostic_does_not_ask_is_refused(content_copy):  # noqa: F811
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    edit(path, 'practices: ["erreur"]', 'practices: ["humour"]')
    found = errors_of(content_copy)
    assert any(
        "a-quai.yaml, ligne" in e
        and "« milestones.1.practices.0 »" in e
        and "« humour » n’est pas une pratique (question) du diagnostic de maturité" in e
        for e in found
    ), found


def test_a_practice_raised_by_two_balises_of_one_trajectory_is_refused(content_copy):  # noqa: F811
    path = content_copy / "journeys/trajectories/a-quai.yaml"
    edit(path, 'practices: ["erreur"]', 'practices: ["erreur", "usagers"]')
    found = errors_of(content_copy)
    assert any(
        "a-quai.yaml" in e and "la pratique « usagers » est déjà levée par la balise" in e
        for e in found
    ), found


def test_the_balises_keep_their_practices_and_the_quiz_reads_them(loaded):
    assert Milestone.objects.get(trajectory__key="a-quai", key="aller-voir").practices == [
        "usagers",
        "agents",
    ]
    links = milestones_by_practice()
    assert links[("a-quai", "agents")] == {
        "title": "Aller voir sur le terrain",
        "url": "/trajectoires/a-quai/#balise-aller-voir",
    }
    assert ("a-quai", "partage") not in links
