"""What a visitor sends the quiz by mistake (or a robot on purpose) gets a clear answer: a page
in their language with the right status, never a 500, and nothing they chose is lost."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.usefixtures("reference_content")


@pytest.fixture(autouse=True)
def _french_after_each_test():
    yield
    translation.activate("fr")


def question_url(number):
    return reverse("quiz:question", args=["style", number])


def text(response):
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def test_an_answer_sent_after_the_session_expired_is_kept_and_the_visitor_is_told_why(client):
    # A visitor at question 4 whose session has expired (a fresh client has no answers).
    response = client.post(question_url(4), {"choice": "q4b"}, follow=True)
    assert response.redirect_chain == [(question_url(1), 302)]
    assert (
        "Votre réponse à la question 4 est gardée. Il manque la réponse à la question 1 : "
        "reprenez ici." in text(response)
    )
    for number in (1, 2, 3):
        response = client.post(question_url(number), {"choice": f"q{number}a"}, follow=True)
    assert response.redirect_chain == [(question_url(4), 302)]
    assert re.search(r'value="q4b"\s+checked', response.content.decode())


@pytest.mark.parametrize(
    "data",
    [{}, {"choice": ""}, {"choice": "zzz"}, {"choice": "q4a"}, {"choice": "\ufffd\u200b"}],
    ids=["missing", "empty", "unknown", "from-another-question", "garbage"],
)
def test_a_skipped_ahead_post_without_a_valid_answer_just_goes_back_to_the_open_question(
    client, data
):
    response = client.post(question_url(3), data, follow=True)
    assert response.redirect_chain == [(question_url(1), 302)]
    assert "est gardée" not in text(response)
