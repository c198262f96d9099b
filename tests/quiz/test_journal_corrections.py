"""Corrections of issue 15 in the quiz's texts: each journal text stays the journal's, and a
note of Sonar says where it is wrong or where our copy is short."""

import re

import pytest
from django.urls import reverse

from sonar.quiz.models import Result

pytestmark = pytest.mark.usefixtures("reference_content")

HYBRIDE = ["q1b", "q2a", "q3c", "q4d", "q5a", "q6a"]  # five answers for hybride


def text(response):
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.replace("\u00a0", " ")).strip()


def hybrid_result(client, prefix=""):
    for number, choice in enumerate(HYBRIDE, start=1):
        client.post(reverse("quiz:question", args=["style", number]), {"choice": choice})
    return client.get(
        prefix + reverse("quiz:result", args=[Result.objects.get().token]), follow=bool(prefix)
    )


def test_the_codeimpot_example_keeps_the_journal_s_year_with_sonar_s_note(client):
    page = text(hybrid_result(client))

    assert "Le hackathon #Codeimpot : en 2017, l’État ouvre le code source de l’impôt" in page
    assert "[Note de Sonar : le hackathon a eu lieu les 1er et 2 avril 2016, d’après Etalab.]" in (
        page
    )


def test_the_codeimpot_note_is_in_english_on_the_english_result(client):
    page = text(hybrid_result(client, "/en"))

    assert "[Sonar’s note: the hackathon took place on 1–2 April 2016, according to Etalab.]" in (
        page
    )


def test_the_intro_says_the_journal_s_texts_are_quoted_word_for_word(client):
    page = text(client.get(reverse("quiz:start", args=["style"])))

    assert "cités mot pour mot (coquilles corrigées)" in page
    assert "tels quels" not in page
