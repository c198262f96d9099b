"""The maturity result practice by practice: a band of levels with the stage in words, each
practice linked to the balise that raises it, on the page, in the PDF card and in the API."""

import io
import re

import pytest
from django.urls import reverse

from sonar.quiz.models import Questionnaire, Result
from tests.quiz.test_maturity_api import SCORE_URL, answers_at
from tests.quiz.test_maturity_path import EQUIPAGE, QUESTIONS, take
from tests.quiz.test_visitor_path import text

pytestmark = pytest.mark.usefixtures("reference_content")


def practices_section(response):
    html = response.content.decode()
    found = re.search(r'<section class="quiz-practices".*?</section>', html, re.S)
    assert found, "no practices section"
    return found.group(0)


def test_each_practice_shows_its_stage_in_words_beside_the_overall_stage(client):
    take(client, EQUIPAGE)
    response = client.get(reverse("quiz:result", args=[Result.objects.get().token]))
    page = text(response)
    assert "Équipage formé" in page  # the overall stage stays
    assert "Votre profil, pratique par pratique" in page
    # equipe answered at rank 2, usagers at 4, suites at 5, traces at 1.
    section = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", practices_section(response)))
    for name, words in [
        ("Équipe", "Étape 2 sur 5 : Premières sorties"),
        ("Usagers", "Étape 4 sur 5 : En flottille"),
        ("Suites des essais", "Étape 5 sur 5 : Fabrique ouverte"),
        ("Traces", "Étape 1 sur 5 : À quai"),
    ]:
        assert re.search(re.escape(name) + r" .{0,40}" + re.escape(words), section), name


def test_the_band_of_levels_is_hidden_from_screen_readers_and_fills_up_to_the_level(client):
    take(client, EQUIPAGE)
    section = practices_section(
        client.get(reverse("quiz:result", args=[Result.objects.get().token]))
    )
    bands = re.findall(
        r'<span class="quiz-band" aria-hidden="true">(.*?)</span>\s*<span>', section, re.S
    )
    assert len(bands) == len(QUESTIONS)
    filled = [band.count("quiz-band__cell--on") for band in bands]
    assert filled == list(EQUIPAGE)
    assert all(band.count("quiz-band__cell") - band.count("--on") == 5 for band in bands)


def test_a_practice_links_to_the_balise_of_its_stage_that_raises_it(client):
    take(client, EQUIPAGE)
    section = practices_section(
        client.get(reverse("quiz:result", args=[Result.objects.get().token]))
    )
    # Équipe at stage 2: the balise « Obtenir un mandat écrit » of « Premières sorties ».
    mandate = reverse("journeys:trajectory", args=["premieres-sorties"]) + "#balise-mandat-ecrit"
    assert f'href="{mandate}"' in section
    assert "Obtenir un mandat écrit" in section
    # Commande at stage 3: no balise of « Équipage formé » names it; its trajectory is linked.
    assert f'href="{reverse("journeys:trajectory", args=["equipage"])}"' in section


def test_the_linked_balise_carries_the_anchor_on_its_trajectory_page(client):
    response = client.get(reverse("journeys:trajectory", args=["premieres-sorties"]))
    html = response.content.decode()
    assert 'id="balise-mandat-ecrit"' in html
    assert "Pratiques du diagnostic que cette balise fait progresser : Équipe" in text(response)


def test_the_shared_result_does_not_show_the_practices_which_would_give_the_answers(client):
    take(client, EQUIPAGE)
    result = Result.objects.get()
    page = text(client.get(reverse("quiz:share", args=[result.share_token])))
    assert "Équipage formé" in page
    assert "pratique par pratique" not in page


def test_a_result_kept_before_a_question_was_added_still_shows_and_says_what_it_lacks(client):
    answers = {key: f"{key}-{rank}" for key, rank in zip(QUESTIONS, EQUIPAGE, strict=True)}
    del answers["partage"]
    quiz = Questionnaire.objects.get(key="maturity")
    result = Result.objects.create(
        questionnaire=quiz, answers=answers, counts={"equipage": 9}, outcomes=["equipage"]
    )
    response = client.get(reverse("quiz:result", args=[result.token]))
    assert response.status_code == 200
    page = text(response)
    assert "Étape 2 sur 5 : Premières sorties" in page
    assert (
        "une version antérieure du diagnostic, qui ne posait pas encore de question sur : "
        "Partage entre collectivités" in page
    )


def test_the_pdf_card_lists_the_practices_on_its_one_page(client):
    from pypdf import PdfReader

    take(client, EQUIPAGE)
    response = client.get(reverse("quiz:result-pdf", args=[Result.objects.get().token]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    words = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "pratique par pratique" in words
    assert "Partage entre collectivités" in words
    assert "Étape 1 sur 5 : À quai" in words


def test_the_api_score_gives_each_practice_its_stage_and_balise(client):
    response = client.post(
        SCORE_URL, data={"answers": answers_at(*EQUIPAGE)}, content_type="application/json"
    )
    assert response.status_code == 200
    practices = response.json()["practices"]
    assert [p["key"] for p in practices] == list(QUESTIONS)
    assert [p["stage"]["rank"] for p in practices] == list(EQUIPAGE)
    equipe = practices[0]
    assert equipe["name"] == "Équipe"
    assert equipe["stage"]["key"] == "premieres-sorties"
    assert equipe["milestone"]["title"] == "Obtenir un mandat écrit"
    assert equipe["milestone"]["url"].startswith("http")
    assert equipe["milestone"]["url"].endswith(
        "/trajectoires/premieres-sorties/#balise-mandat-ecrit"
    )
    commande = practices[QUESTIONS.index("commande")]
    assert commande["milestone"] is None


def test_the_api_document_describes_the_practices(client):
    schema = client.get("/api/v1/openapi.json").json()
    practice = schema["components"]["schemas"]["Practice"]
    assert set(practice["properties"]) == {"key", "name", "stage", "milestone"}
    assert "practices" in schema["components"]["schemas"]["StageScore"]["properties"]


def test_the_english_result_names_the_practices_in_english(client):
    take(client, EQUIPAGE)
    page = text(
        client.get("/en" + reverse("quiz:result", args=[Result.objects.get().token]), follow=True)
    )
    assert "Right to fail" in page
