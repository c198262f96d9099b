"""The projector: a bare full screen in phases (join, question, reveal one view at a time)."""

import re

import pytest
from django.utils.html import escape

from sonar.workshops import actions
from tests.workshops.conftest import as_facilitator, choice_for, join

pytestmark = pytest.mark.django_db


def shown(value):
    """A text as the page holds it, once `text` has folded its spaces."""
    return re.sub(r"\s+", " ", escape(value))


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def projector(client, workshop, query=""):
    return text(
        as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/projection/{query}")
    )


def test_the_projector_has_no_site_header_navigation_or_footer(client, paced):
    page = projector(client, paced)
    assert "site-header" not in page
    assert "site-footer" not in page
    assert 'class="site-nav"' not in page
    assert 'class="skip-link"' in page


def test_before_the_start_the_projector_is_a_join_banner_whose_code_never_breaks(client, paced):
    page = projector(client, paced)
    assert "Rejoignez l’atelier" in page
    assert f'<span class="wall__nobreak">{paced.code}</span>' in page
    assert f'<p class="wall__big-code">{paced.code}</p>' in page
    assert "<svg" in page  # the QR code


def test_during_a_question_the_projector_shows_it_with_its_choices_and_the_count(
    client, paced, quiz
):
    person = join(paced)
    actions.change(paced, current=2)
    question = quiz.questions[1]
    actions.answer(paced, person, question.key, question.choices[0].key, quiz)
    page = projector(client, paced)
    assert "Question 2 sur 6" in page
    assert f'<h1 class="wall__question">{shown(question.text)}</h1>' in page
    for choice in question.choices:
        assert f"<li>{shown(choice.text)}</li>" in page
    assert f'data-answered="{question.key}">1<' in page
    # The code stays in a corner; the join banner is gone.
    assert f'<strong class="wall__code">{paced.code}</strong>' in page
    assert "Rejoignez l’atelier" not in page


def test_before_the_reveal_the_projector_never_says_who_chose_what(client, paced, quiz):
    person = join(paced, "Camille")
    actions.change(paced, current=1)
    question = quiz.questions[0]
    actions.answer(paced, person, question.key, question.choices[2].key, quiz)
    page = projector(client, paced)
    assert "Camille" not in page
    assert "(100 %)" not in page


@pytest.mark.parametrize(("view", "expected"), [("abc", "Vue 1 sur 8"), ("0", "Vue 1 sur 8"),
                                                ("99", "Vue 8 sur 8")])  # fmt: skip
def test_a_reveal_view_out_of_range_shows_the_nearest_one(client, workshop, quiz, view, expected):
    actions.change(workshop, revealed=True)
    assert expected in projector(client, workshop, f"?vue={view}")


def test_the_reveal_moves_one_view_at_a_time_with_previous_and_next_links(client, workshop, quiz):
    person = join(workshop)
    for question in quiz.questions:
        actions.answer(workshop, person, question.key, choice_for(quiz, question.key, "usages"))
    actions.change(workshop, revealed=True)
    page = projector(client, workshop, "?vue=2")
    assert shown(quiz.questions[1].text) in page
    assert shown(quiz.questions[2].text) not in page
    assert f'href="/ateliers/{workshop.code}/projection/?vue=1" rel="prev"' in page
    assert f'href="/ateliers/{workshop.code}/projection/?vue=3" rel="next"' in page
    assert '1 <span class="wall__percent">(100 %)</span>' in page


def test_the_high_contrast_option_is_kept_from_view_to_view(client, workshop):
    actions.change(workshop, revealed=True)
    page = projector(client, workshop, "?vue=2&contraste=1")
    assert "bare--contrast" in page
    assert f"/ateliers/{workshop.code}/projection/?vue=3&amp;contraste=1" in page
    assert "Contraste normal" in page
    assert "bare--contrast" not in projector(client, workshop)
