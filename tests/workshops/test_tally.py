"""At the reveal, a workshop's tally is counted once per version of the workshop, however many
participants' pages, projector screens and snapshots read it; the next answer counts again."""

import pytest
from django.urls import reverse

from sonar.workshops import actions, results
from tests.workshops.conftest import as_participant, choice_for, join


@pytest.fixture
def counted(monkeypatch):
    calls = []
    count = results.count

    def counting(workshop, quiz):
        calls.append(workshop.version)
        return count(workshop, quiz)

    monkeypatch.setattr(results, "count", counting)
    return calls


@pytest.fixture
def revealed(workshop, quiz):
    people = [join(workshop, f"Personne {n}") for n in range(6)]
    for person in people:
        actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages"))
    actions.change(workshop, revealed=True)
    workshop.refresh_from_db()
    return workshop, people


def test_every_participants_page_at_the_reveal_reads_one_tally(client, revealed, counted):
    workshop, people = revealed
    for person in people:
        response = as_participant(client, workshop, person.token).get(
            reverse("workshops:participant", args=[workshop.code])
        )
        assert response.status_code == 200
        assert "usages" in response.content.decode().lower()
    assert counted == [workshop.version]


def test_a_new_answer_is_counted_in_the_next_version(revealed, quiz, counted):
    workshop, _people = revealed
    before = results.tally(workshop)
    newcomer = join(workshop, "Retardataire")
    actions.answer(workshop, newcomer, "q1", choice_for(quiz, "q1", "culture"))
    workshop.refresh_from_db()
    after = results.tally(workshop)
    assert after["participants"] == before["participants"] + 1
    assert after["profiles"]["culture"] == before["profiles"]["culture"] + 1
    assert len(counted) == 2


def test_the_team_chart_draws_bars_on_the_same_scale_as_the_personal_result():
    from sonar.quiz.ladder import bar
    from sonar.quiz.report import CHART_BAR_HEIGHT, CHART_BAR_MAX, CHART_ROW
    from sonar.workshops import debrief

    # The same count out of the same scale gives the same bar on the projector and the result.
    assert bar(1, 3, 6, debrief.BAR_MAX, debrief.ROW, debrief.BAR_HEIGHT) == bar(
        1, 3, 6, CHART_BAR_MAX, CHART_ROW, CHART_BAR_HEIGHT
    )
    assert bar(0, 0, 6, debrief.BAR_MAX, debrief.ROW, debrief.BAR_HEIGHT)["count_x"] == 0
