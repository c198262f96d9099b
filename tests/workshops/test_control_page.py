"""The control page: the remote first (usable from a phone), then the debrief, then exports."""

import re

import pytest

from sonar.workshops import actions
from sonar.workshops.models import Workshop
from tests.workshops.conftest import as_facilitator

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def control_page(client, workshop):
    return text(as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/animation/"))


def test_the_controls_come_before_the_debrief_and_the_debrief_before_the_exports(client, workshop):
    actions.change(workshop, revealed=True)
    page = control_page(client, workshop)
    controls = page.index("Piloter l’atelier")
    debrief = page.index("Ce que dit ce mélange")
    exports = page.index('id="exports-title"')
    questions = page.index("Réponses reçues par question")
    assert controls < debrief < questions < exports


def test_the_control_page_lists_its_keyboard_shortcuts_and_marks_its_buttons(client, paced):
    page = control_page(client, paced)
    assert "Raccourcis clavier" in page
    assert "<kbd>R</kbd>" in page
    assert 'data-key="next"' in page
    assert 'data-key="previous"' in page
    assert 'data-key="reveal"' in page
    assert "site-header" not in page  # a remote: no site navigation above the controls


@pytest.mark.parametrize(("current", "expected"), [(3, 2), (1, 1)])
def test_previous_goes_back_one_question_but_never_before_the_first(
    client, paced, current, expected
):
    actions.change(paced, current=current)
    as_facilitator(client, paced)
    client.post(f"/ateliers/{paced.code}/animation/commande/", {"action": "previous"})
    assert Workshop.objects.get(pk=paced.pk).current == expected


def test_next_is_disabled_at_the_last_question(client, paced, quiz):
    actions.change(paced, current=len(quiz.questions))
    page = control_page(client, paced)
    assert re.search(r'data-key="next"\s+disabled', page)
