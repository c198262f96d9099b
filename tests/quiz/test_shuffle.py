"""The maturity choices come in an order drawn for each respondent, stable for them, never the
rising order of the file; scoring reads the keys, so it does not change."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sonar.quiz import data
from sonar.quiz.models import Result
from tests.quiz.test_maturity_path import EQUIPAGE, QUESTIONS, question_url

pytestmark = pytest.mark.usefixtures("reference_content")


def shown_order(client, number):
    html = client.get(question_url(number)).content.decode()
    return re.findall(r'name="choice"\s+value="([^"]+)"', html)


def begun():
    client = Client()
    response = client.post(reverse("quiz:begin", args=["maturity"]))
    assert response["Location"] == question_url(1)
    return client


def test_a_respondent_sees_the_same_order_on_every_refresh():
    client = begun()
    first = [shown_order(client, 1) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    assert sorted(first[0]) == [f"equipe-{rank}" for rank in range(1, 6)]


def test_the_order_is_never_the_rising_order_of_the_file():
    client = begun()
    for number, key in enumerate(QUESTIONS[:3], start=1):
        order = shown_order(client, number)
        assert order != [f"{key}-{rank}" for rank in range(1, 6)]
        client.post(question_url(number), {"choice": f"{key}-3"})


def test_without_beginning_a_visitor_gets_one_stable_shuffled_order(client):
    order = shown_order(client, 1)
    assert order == shown_order(Client(), 1)
    assert order != [f"equipe-{rank}" for rank in range(1, 6)]


def test_two_respondents_get_different_orders():
    one, other = begun(), begun()
    orders_one = []
    orders_other = []
    for number, key in enumerate(QUESTIONS, start=1):
        orders_one.append(shown_order(one, number))
        orders_other.append(shown_order(other, number))
        one.post(question_url(number), {"choice": f"{key}-1"})
        other.post(question_url(number), {"choice": f"{key}-1"})
    # Ten questions of five choices: two draws that agree on all of them would be a bug.
    assert orders_one != orders_other


def test_going_back_keeps_the_order_and_the_answer_checked():
    client = begun()
    before = shown_order(client, 1)
    client.post(question_url(1), {"choice": "equipe-4"})
    html = client.get(question_url(1)).content.decode()
    assert re.findall(r'name="choice"\s+value="([^"]+)"', html) == before
    assert re.search(r'value="equipe-4"\s+checked', html)


def test_a_retake_draws_a_new_order():
    client = begun()
    seeds = set()
    for _ in range(3):
        seeds.add(client.session["quiz:maturity"]["seed"])
        client.post(reverse("quiz:restart", args=["maturity"]))
    assert len(seeds) == 3


@pytest.mark.parametrize("seed", ["", "a1b2c3d4", "ffffffffffffffff"])
def test_scoring_is_the_same_whatever_the_order_shown(seed):
    quiz = data.get("maturity")
    answers = {key: f"{key}-{rank}" for key, rank in zip(QUESTIONS, EQUIPAGE, strict=True)}
    for question in quiz.questions:
        shuffled = question.shuffled(seed)
        assert {(c.key, c.outcome) for c in shuffled.choices} == {
            (c.key, c.outcome) for c in question.choices
        }
    assert quiz.score(answers).winners == ("equipage",)


def test_a_shuffled_path_gives_the_stage_of_the_keys_chosen():
    client = begun()
    for number, (key, rank) in enumerate(zip(QUESTIONS, EQUIPAGE, strict=True), start=1):
        client.post(question_url(number), {"choice": f"{key}-{rank}"})
    assert Result.objects.get().outcomes == ["equipage"]


def test_the_start_page_begins_with_a_form_that_works_without_javascript(client):
    html = client.get(reverse("quiz:start", args=["maturity"])).content.decode()
    assert f'action="{reverse("quiz:begin", args=["maturity"])}"' in html
    assert 'method="post"' in html


def test_begin_answers_only_post(client):
    assert client.get(reverse("quiz:begin", args=["maturity"])).status_code == 405


def test_the_style_quiz_keeps_the_journal_order(client):
    html = client.get(reverse("quiz:question", args=["style", 1])).content.decode()
    keys = re.findall(r'name="choice"\s+value="([^"]+)"', html)
    quiz = data.get("style")
    assert keys == [c.key for c in quiz.questions[0].choices]
