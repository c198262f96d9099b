"""A visitor takes the maturity diagnostic like the style quiz, and gets a stage on a ladder."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sonar.quiz.models import Result
from tests.quiz.test_visitor_path import text

pytestmark = pytest.mark.usefixtures("reference_content")

QUESTIONS = (
    "equipe", "budget", "erreur", "usagers", "agents", "suites", "commande", "traces",
    "partenaires", "partage",
)  # fmt: skip
# Ranks 2, 3, 3, 4, 2, 5, 3, 1, 4, 3: sorted 1 2 2 3 3 | 3 3 4 4 5, the lower median is 3.
EQUIPAGE = (2, 3, 3, 4, 2, 5, 3, 1, 4, 3)
# Five answers at stage 1 and five at stage 5: the lower of the two middle stages is 1.
SPLIT = (1, 5, 1, 5, 1, 5, 1, 5, 1, 5)


@pytest.fixture(autouse=True)
def _french_after_each_test():
    yield
    translation.activate("fr")


def question_url(number):
    return reverse("quiz:question", args=["maturity", number])


def take(client, ranks):
    response = None
    for number, (key, rank) in enumerate(zip(QUESTIONS, ranks, strict=True), start=1):
        response = client.post(question_url(number), {"choice": f"{key}-{rank}"})
    return response


def test_the_intro_says_the_diagnostic_is_a_sonar_addition(client):
    page = text(client.get(reverse("quiz:start", args=["maturity"])))
    assert "Où en est votre collectivité ?" in page
    assert "Ajout Sonar" in page
    assert "ne viennent pas du journal Sonar 1.0" in page


def test_a_question_shows_its_progress_without_any_profile_symbol(client):
    client.post(question_url(1), {"choice": "equipe-2"})
    response = client.get(question_url(2))
    page = text(response)
    assert "Question 2 sur 10" in page
    assert "Comment les essais et les expérimentations sont-ils financés ?" in page
    assert "quiz-symbol" not in response.content.decode()


def test_an_empty_answer_gets_an_error_summary_and_keeps_the_visitor_on_the_question(client):
    response = client.post(question_url(1), {})
    assert response.status_code == 400
    assert "Choisissez une réponse à la question 1 pour continuer." in text(response)


def test_the_last_answer_keeps_the_stage_and_the_counts_per_stage(client):
    response = take(client, EQUIPAGE)
    result = Result.objects.get()
    assert response["Location"] == reverse("quiz:result", args=[result.token])
    assert result.outcomes == ["equipage"]
    assert result.counts == {
        "a-quai": 1,
        "premieres-sorties": 2,
        "equipage": 4,
        "flottille": 2,
        "fabrique-ouverte": 1,
    }


def test_an_even_split_gives_the_lower_stage(client):
    take(client, SPLIT)
    assert Result.objects.get().outcomes == ["a-quai"]


def test_a_double_submit_makes_one_result(client):
    take(client, EQUIPAGE)
    client.post(question_url(10), {"choice": "partage-3"})
    assert Result.objects.count() == 1


def test_the_result_shows_the_stage_its_rank_summary_and_description(client):
    page = text(client.get(take(client, EQUIPAGE)["Location"]))
    assert "Équipage formé" in page
    assert "Étape 3 sur 5" in page
    assert "Une équipe identifiée, avec un mandat, des moyens et des méthodes." in page
    assert "Vous avez une équipe ou un lab’ dont c’est le métier" in page


def test_the_ladder_figure_shows_the_five_stages_and_marks_where_you_are(client):
    html = client.get(take(client, EQUIPAGE)["Location"]).content.decode()
    steps = re.findall(r'<li class="quiz-ladder__step[^"]*"[^>]*>', html)
    assert len(steps) == 5
    current = [i for i, step in enumerate(steps) if 'aria-current="step"' in step]
    assert current == [2]  # the highest stage first: stage 3 is the third step
    names = re.findall(r'class="quiz-ladder__name">([^<]+)<', html)
    assert names == [
        "Fabrique ouverte", "En flottille", "Équipage formé", "Premières sorties", "À quai"
    ]  # fmt: skip
    assert "Vous êtes ici" in html


def test_why_lists_each_answer_with_the_stage_it_typifies_and_the_median_rule(client):
    page = text(client.get(take(client, EQUIPAGE)["Location"]))
    assert "Pourquoi ce résultat" in page
    assert "Quelques agents motivés, en plus de leur poste" in page
    assert "Étape typique : 2. Premières sorties" in page
    assert "la réponse du milieu donne votre étape" in page
    assert "la plus basse des deux du milieu" in page


@pytest.mark.parametrize(
    "style_only",
    ["Profil mixte", "profil d’innovation", "l’emporte", "Réponses par profil",
     'role="img"', "quiz-symbol", "Textes cités du journal", "Ressources qui vous ressemblent"],
)  # fmt: skip
def test_nothing_of_the_style_quiz_leaks_into_a_stage(client, style_only):
    url = take(client, SPLIT)["Location"]
    share = reverse("quiz:share", args=[Result.objects.get().share_token])
    for response in (client.get(url), Client().get(share)):
        assert style_only not in response.content.decode()


def test_the_result_marks_the_diagnostic_as_a_sonar_addition(client):
    page = text(client.get(take(client, EQUIPAGE)["Location"]))
    assert "Ajout Sonar" in page
    assert "ne viennent pas du journal Sonar 1.0 (2018)" in page


def test_the_result_links_to_the_trajectory_from_this_stage_and_to_you_are_here(client):
    take(client, EQUIPAGE)
    result = Result.objects.get()
    html = client.get(reverse("quiz:result", args=[result.token])).content.decode()
    assert reverse("journeys:trajectory", args=["equipage"]) in html
    assert reverse("journeys:here", args=[result.token]) in html


def test_the_share_page_shows_the_stage_without_the_answers(client):
    take(client, EQUIPAGE)
    result = Result.objects.get()
    page = text(Client().get(reverse("quiz:share", args=[result.share_token])))
    assert "Équipage formé" in page and "Étape 3 sur 5" in page
    assert "Pourquoi ce résultat" not in page
    assert "Quelques agents motivés" not in page
    assert "Et votre collectivité, où en est-elle ?" in page


def test_retaking_compares_stages(client):
    take(client, SPLIT)
    client.post(reverse("quiz:restart", args=["maturity"]))
    page = text(client.get(take(client, EQUIPAGE)["Location"]))
    assert "Vous étiez alors : À quai." in page


def test_the_result_page_is_in_english_under_en(client):
    take(client, EQUIPAGE)
    with translation.override("en"):
        url = reverse("quiz:result", args=[Result.objects.get().token])
    assert url.startswith("/en/diagnostic/result/")
    response = client.get(url)
    assert response.status_code == 200
    assert "A crew on board" in text(response)


def test_the_pdf_card_is_one_page_that_shows_the_stage(client):
    from pypdf import PdfReader

    take(client, EQUIPAGE)
    result = Result.objects.get()
    response = client.get(reverse("quiz:result-pdf", args=[result.token]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    words = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Équipage formé" in words
    assert "Étape 3 sur 5" in words
    assert "Ajout Sonar" in words
    assert "Questions et profils cités" not in words
