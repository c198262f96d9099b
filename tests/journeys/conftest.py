"""Trajectory tests: the reference content loaded, and results of the two questionnaires."""

import pytest
from django.utils import translation

from sonar.quiz.models import Questionnaire, Result


@pytest.fixture(autouse=True)
def _french_after_each_test():
    # A request under /en/ or with ?lang=en leaves English active in the test thread.
    yield
    translation.activate("fr")


@pytest.fixture
def loaded(reference_content):
    return reference_content


def make_result(questionnaire, outcomes, answers=None):
    """A completed questionnaire, as the quiz records it (answers by question key)."""
    return Result.objects.create(
        questionnaire=Questionnaire.objects.get(key=questionnaire),
        answers=answers or {"q1": "secret-choice"},
        counts={key: 1 for key in outcomes},
        outcomes=list(outcomes),
    )


def remember(client, *results):
    """Put results in this browser's list, oldest first, as taking the quiz does."""
    session = client.session
    session["quiz:results"] = [r.token for r in results]
    session.save()
