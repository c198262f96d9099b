"""The participant's phone: a focused screen, then their own result, which they can keep."""

import re

import pytest
from django.utils.html import escape

from sonar.quiz.models import Result
from sonar.workshops import actions
from tests.workshops.conftest import as_participant, choice_for, join

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_phone_shows_no_site_header_navigation_or_footer(client, workshop):
    person = join(workshop)
    page = text(as_participant(client, workshop, person.token).get(f"/ateliers/{workshop.code}/"))
    assert "site-header" not in page
    assert "site-footer" not in page
    assert "Question 1 sur 6" in page
    assert "phone__submit" in page  # the button kept in reach


@pytest.fixture
def revealed(workshop, quiz):
    """Two people: one all « culture interne », one all « usages »; answers revealed."""
    people = {}
    for outcome in ("culture", "usages"):
        person = join(workshop)
        for question in quiz.questions:
            actions.answer(workshop, person, question.key, choice_for(quiz, question.key, outcome))
        people[outcome] = person
    actions.change(workshop, revealed=True)
    return people


def test_at_the_end_a_participant_reads_their_own_profile_as_in_the_solo_quiz(
    client, workshop, quiz, revealed
):
    culture = quiz.outcome("culture")
    person = revealed["culture"]
    page = text(as_participant(client, workshop, person.token).get(f"/ateliers/{workshop.code}/"))
    assert "Votre profil d’innovation" in page
    assert "Exemple inspirant" in page
    assert "Points d’attention" in page
    assert re.sub(r"\s+", " ", escape(culture.description)) in page
    assert "Profils de l’équipe" in page  # and the team's, below


def test_the_kept_result_carries_only_the_participants_own_answers(
    client, workshop, quiz, revealed
):
    person = revealed["culture"]
    as_participant(client, workshop, person.token)
    response = client.post(f"/ateliers/{workshop.code}/mon-resultat/")
    kept = Result.objects.get()
    assert response["Location"] == f"/diagnostic/resultat/{kept.token}/"
    assert kept.answers == person.answers_by_question()
    assert kept.outcomes == ["culture"]
    assert sum(kept.counts.values()) == len(quiz.questions)
    # Asking again gives the same link, not a second result.
    client.post(f"/ateliers/{workshop.code}/mon-resultat/")
    assert Result.objects.count() == 1


def test_a_result_cannot_be_kept_before_the_reveal(client, workshop, quiz):
    person = join(workshop)
    actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages"))
    as_participant(client, workshop, person.token)
    response = client.post(f"/ateliers/{workshop.code}/mon-resultat/")
    assert response.status_code == 302
    assert not Result.objects.exists()
    assert "une fois les réponses révélées" in text(client.get(response["Location"]))


def test_keeping_a_result_without_having_joined_is_refused(client, workshop, revealed):
    response = client.post(f"/ateliers/{workshop.code}/mon-resultat/")
    assert response.status_code == 403
    assert not Result.objects.exists()


def test_someone_arriving_after_the_reveal_sees_the_teams_results(client, workshop, revealed):
    page = text(client.get(f"/ateliers/{workshop.code}/"))
    assert "Les résultats" in page
    assert "Profils de l’équipe" in page
    assert "Garder votre résultat" not in page


def test_someone_arriving_at_a_closed_workshop_is_told_so(client, workshop):
    actions.change(workshop, is_open=False)
    page = text(client.get(f"/ateliers/{workshop.code}/"))
    assert "Cet atelier est clos : il ne reçoit plus de participants." in page
