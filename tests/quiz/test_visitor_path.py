"""A visitor takes the quiz with plain forms: one question per screen, then a result to keep."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from sonar.quiz.models import Result

pytestmark = pytest.mark.usefixtures("reference_content")

USAGES = ["q1d", "q2c", "q3c", "q4b", "q5a", "q6a"]  # four for usages, two for hybride
TIE = ["q1a", "q2b", "q3c", "q4b", "q5a", "q6d"]  # culture 2, usages 2
THREE_WAY = ["q1b", "q2a", "q3c", "q4b", "q5c", "q6b"]  # culture, usages, hybride: 2 each


@pytest.fixture(autouse=True)
def _french_after_each_test():
    # A request under /en/ leaves English active in the test thread; reverse() would follow it.
    yield
    translation.activate("fr")


def question_url(number):
    return reverse("quiz:question", args=["style", number])


def answer(client, number, choice):
    return client.post(question_url(number), {"choice": choice})


def take(client, choices):
    response = None
    for number, choice in enumerate(choices, start=1):
        response = answer(client, number, choice)
    return response


def text(response):
    """The page's visible text, roughly: tags removed, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u202f", " ")


def test_the_intro_starts_the_test(client):
    response = client.get(reverse("quiz:start", args=["style"]))
    assert response.status_code == 200
    assert "Quel est votre style d’innovation ?" in text(response)
    assert question_url(1) in response.content.decode()


def test_a_question_shows_its_progress_and_its_choices(client):
    answer(client, 1, "q1a")
    page = text(client.get(question_url(2)))
    assert "Question 2 sur 6" in page
    assert "Vous lancez un appel à projets pour repérer les bonnes idées" in page


def test_jumping_ahead_leads_to_the_first_unanswered_question(client):
    answer(client, 1, "q1a")
    response = client.get(question_url(5))
    assert response.status_code == 302
    assert response["Location"] == question_url(2)


def test_an_answer_leads_to_the_next_question(client):
    response = answer(client, 1, "q1a")
    assert response.status_code == 302
    assert response["Location"] == question_url(2)


def test_a_refresh_keeps_the_answer_selected(client):
    answer(client, 1, "q1c")
    html = client.get(question_url(1)).content.decode()
    assert re.search(r'value="q1c"\s+checked', html)
    assert not re.search(r'value="q1a"\s+checked', html)


def test_going_back_and_changing_an_answer_keeps_the_others(client):
    take(client, USAGES[:4])
    answer(client, 2, "q2a")
    html = client.get(question_url(4)).content.decode()
    assert re.search(r'value="q4b"\s+checked', html)


def test_an_empty_submission_shows_an_error_summary_linking_to_the_choices(client):
    response = client.post(question_url(1), {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Il y a un problème" in text(response)
    assert 'href="#choice-q1a"' in html
    assert 'id="choice-q1a"' in html
    assert "Choisissez une réponse à la question 1 pour continuer." in text(response)
    assert text(response).strip().startswith("Erreur :")


def test_a_choice_from_another_question_is_refused(client):
    response = answer(client, 1, "q2a")
    assert response.status_code == 400
    assert Result.objects.count() == 0


def test_an_unknown_question_number_is_a_404(client):
    assert client.get(question_url(7)).status_code == 404


def test_the_last_answer_creates_a_result_and_shows_it(client):
    response = take(client, USAGES)
    result = Result.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quiz:result", args=[result.token])
    assert result.outcomes == ["usages"]
    assert result.counts == {"culture": 0, "technique": 0, "usages": 4, "hybride": 2}


def test_a_double_submit_makes_one_result(client):
    take(client, USAGES)
    again = answer(client, 6, USAGES[-1])
    assert Result.objects.count() == 1
    assert again["Location"] == reverse("quiz:result", args=[Result.objects.get().token])


def test_reading_pages_writes_nothing(client):
    take(client, USAGES)
    result = Result.objects.get()
    session = dict(client.session.items())
    for url in (
        reverse("quiz:start", args=["style"]),
        question_url(3),
        reverse("quiz:result", args=[result.token]),
        reverse("quiz:share", args=[result.share_token]),
    ):
        assert client.get(url).status_code == 200
    assert Result.objects.count() == 1
    assert dict(client.session.items()) == session


def test_the_result_page_shows_the_profile_its_texts_the_chart_and_why(client):
    page_response = client.get(take(client, USAGES)["Location"])
    page = text(page_response)
    html = page_response.content.decode()
    assert "Usages" in page
    assert "Le profil « Usages » l’emporte : 4 réponses sur 6 comptent pour lui." in page
    assert "¿ :" not in page  # the profile is named, not shown as a bare symbol
    assert "Exemple inspirant" in page and "La maîtrise d’usage" in page
    assert "Points d’attention" in page
    assert "Textes cités du journal Sonar 1.0" in page
    assert 'role="img"' in html
    assert (
        "Nombre de réponses par profil : Culture interne : 0 ; Innovations techniques : 0 ; "
        "Usages : 4 ; Hybride : 2."
    ) in html
    assert "Pourquoi ce résultat" in page
    assert "L’immersion sur le terrain pour comprendre les usages" in page
    assert '<meta name="robots" content="noindex">' in html


def test_a_tie_is_called_a_mixed_profile(client):
    page = text(client.get(take(client, TIE)["Location"]))
    assert "Profil mixte : culture interne et usages" in page
    assert "à égalité" in page


def test_the_share_page_shows_the_result_without_the_answers(client):
    take(client, USAGES)
    result = Result.objects.get()
    response = Client().get(reverse("quiz:share", args=[result.share_token]))
    page = text(response)
    assert response.status_code == 200
    assert "Le profil « Usages » l’emporte" in page
    assert "Pourquoi ce résultat" not in page
    assert "L’immersion sur le terrain" not in page
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_the_result_page_links_to_the_share_page(client):
    response = client.get(take(client, USAGES)["Location"])
    share = reverse("quiz:share", args=[Result.objects.get().share_token])
    assert share in response.content.decode()


def test_an_unknown_token_is_a_404(client):
    assert client.get(reverse("quiz:result", args=["nope"])).status_code == 404
    assert client.get(reverse("quiz:share", args=["nope"])).status_code == 404


def test_retaking_the_test_compares_with_the_earlier_result(client):
    take(client, USAGES)
    restart = client.post(reverse("quiz:restart", args=["style"]))
    assert restart["Location"] == question_url(1)
    assert "checked" not in client.get(question_url(1)).content.decode()
    page = text(client.get(take(client, TIE)["Location"]))
    assert Result.objects.count() == 2
    assert "Par rapport à votre résultat du" in page
    assert "Vous étiez alors : Usages." in page


def test_someone_else_opening_the_permalink_sees_no_comparison(client):
    take(client, USAGES)
    client.post(reverse("quiz:restart", args=["style"]))
    url = take(client, TIE)["Location"]
    assert "Par rapport à" not in text(Client().get(url))


def test_a_first_result_has_no_comparison(client):
    assert "Par rapport à" not in text(client.get(take(client, USAGES)["Location"]))


def test_the_result_page_is_in_english_under_en(client):
    take(client, USAGES)
    with translation.override("en"):
        url = reverse("quiz:result", args=[Result.objects.get().token])
    assert url.startswith("/en/diagnostic/result/")
    response = client.get(url)
    assert response.status_code == 200
    assert "User practices" in text(response)


def test_the_pdf_card_is_one_page_that_shows_the_result(client):
    from pypdf import PdfReader

    # A three-way tie is the longest card: three profiles' texts.
    take(client, THREE_WAY)
    result = Result.objects.get()
    response = client.get(reverse("quiz:result-pdf", args=[result.token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    words = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    assert "Profil mixte : culture interne, usages et hybride" in words
    assert result.share_token in words.replace(" ", "")
    assert "l’innovation publique, carte en main" in words  # Sonar's identity
    assert words.count("Exemple inspirant") == 3  # a mixed card keeps every example
    assert "Licence Ouverte 2.0" in words


@pytest.mark.parametrize("method", ["put", "delete"])
def test_a_question_refuses_other_methods(client, method):
    assert getattr(client, method)(question_url(1)).status_code == 405


def test_restart_only_answers_post(client):
    assert client.get(reverse("quiz:restart", args=["style"])).status_code == 405


def test_the_intro_links_to_the_latest_result_of_this_browser(client):
    take(client, USAGES)
    token = Result.objects.get().token
    response = client.get(reverse("quiz:start", args=["style"]))
    assert reverse("quiz:result", args=[token]) in response.content.decode()
    assert "Revoir votre dernier résultat" in text(response)
    assert "Reprendre le test" in text(response)


def test_a_question_can_be_found_by_search_engines_a_result_cannot(client):
    """The questions are the journal's, public; a result is one visitor's own."""
    question = client.get(reverse("quiz:question", args=["style", 1]))
    assert "noindex" not in question.content.decode()
    assert not question.has_header("X-Robots-Tag")
    result = client.get(take(client, USAGES)["Location"])
    assert '<meta name="robots" content="noindex">' in result.content.decode()
    assert result["X-Robots-Tag"] == "noindex"


def test_the_result_page_puts_its_summary_and_actions_before_the_rest(client):
    html = client.get(take(client, USAGES)["Location"]).content.decode()
    result = Result.objects.get()
    share = reverse("quiz:share", args=[result.share_token])
    pdf = reverse("quiz:result-pdf", args=[result.token])
    keep = html.index('id="keep-title"')
    assert html.index("<h1") < keep < html.index('id="why-title"')
    assert keep < html.index(pdf) < html.index('id="why-title"')
    assert share in html[keep : html.index("quiz-toc")]
    assert 'data-copy="share-link"' in html
    for anchor in ("#profile-usages", "#why-title", "#next-title"):
        assert f'href="{anchor}"' in html
        assert f'id="{anchor[1:]}"' in html


def test_a_profile_with_no_answer_shows_its_zero_at_the_start_of_its_row(client):
    html = client.get(take(client, USAGES)["Location"]).content.decode()
    assert re.search(r'<text x="0" y="\d+" class="quiz-chart__count">0</text>', html)
