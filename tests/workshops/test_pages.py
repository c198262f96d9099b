"""The workshop pages without JavaScript: create, the secret link, join, answer, wait, results."""

import re

import pytest
from django.utils.html import escape

from sonar.workshops import access, actions
from sonar.workshops.models import Participant, Workshop
from tests.workshops.conftest import as_facilitator, as_participant, choice_for, join

pytestmark = pytest.mark.django_db


def shown(value):
    """A text as the page holds it, once `text` has folded its spaces."""
    return re.sub(r"\s+", " ", escape(value))


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_facilitator_creates_a_workshop_with_the_defaults_in_one_click(client, quiz):
    page = client.get("/ateliers/")
    title = re.search(r'name="title"[^>]*value="([^"]+)"', text(page)).group(1)
    response = client.post(
        "/ateliers/creer/", {"questionnaire": "style", "title": title, "mode": "paced"}
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ateliers/{workshop.code}/animation/"
    assert workshop.mode == "paced"


def test_the_journals_style_quiz_is_the_default_questionnaire(client, reference_content):
    page = text(client.get("/ateliers/"))
    options = re.findall(r'<option value="([^"]+)"', page)
    assert options[0] == "style"
    assert "maturity" in options  # offered too, after it (a browser selects the first)


def test_the_secret_link_is_shown_once_with_a_warning(client, quiz):
    client.post("/ateliers/creer/", {"questionnaire": "style", "title": "A", "mode": "paced"})
    code = Workshop.objects.get().code
    first = text(client.get(f"/ateliers/{code}/animation/"))
    again = text(client.get(f"/ateliers/{code}/animation/"))
    assert "Gardez ce lien secret d’animation" in first
    assert f"/ateliers/{code}/animer/" in first
    assert f"/ateliers/{code}/animer/" not in again


def test_the_secret_link_opens_the_facilitator_pages_in_another_browser(client, workshop):
    response = client.get(f"/ateliers/{workshop.code}/animer/{workshop.token}/")
    assert response["Location"] == f"/ateliers/{workshop.code}/animation/"
    assert client.get(f"/ateliers/{workshop.code}/projection/").status_code == 200


@pytest.mark.parametrize("page", ["animation/", "projection/", "agregats.csv", "rapport.pdf"])
def test_facilitator_pages_are_refused_without_the_secret(client, workshop, page):
    response = client.get(f"/ateliers/{workshop.code}/{page}")
    assert response.status_code == 403
    assert "lien secret" in text(response)


def test_a_forged_secret_link_is_refused(client, workshop):
    assert client.get(f"/ateliers/{workshop.code}/animer/not-the-token/").status_code == 403


def test_the_projector_shows_the_code_and_counts_but_never_answers(client, workshop, quiz):
    person = join(workshop)
    chosen = next(q for q in quiz.questions[0].choices if q.outcome == "usages")
    actions.answer(workshop, person, "q1", chosen.key)
    page = text(as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/projection/"))
    assert workshop.code in page
    assert 'data-count="participants">1<' in page
    assert chosen.text not in page


def test_after_the_reveal_the_projector_shows_the_team_and_the_debrief(client, workshop, quiz):
    for _ in range(3):
        person = join(workshop)
        for question in quiz.questions:
            actions.answer(workshop, person, question.key, choice_for(quiz, question.key, "usages"))
    actions.change(workshop, revealed=True)
    facilitator = as_facilitator(client, workshop)
    # One view at a time: the six questions, the team's profile, then the debrief.
    first = text(facilitator.get(f"/ateliers/{workshop.code}/projection/"))
    assert shown(quiz.questions[0].text) in first
    assert "Vue 1 sur 8" in first
    assert "Ce que dit ce mélange" not in first
    team = text(facilitator.get(f"/ateliers/{workshop.code}/projection/?vue=7"))
    assert "Le profil de l’équipe" in team
    assert "L’équipe penche nettement vers le profil usages" in team
    debrief = text(facilitator.get(f"/ateliers/{workshop.code}/projection/?vue=8"))
    assert "Ce que dit ce mélange" in debrief
    assert "Les approches que l’équipe ignore" in debrief
    assert shown(quiz.questions[0].text) not in debrief


def test_joining_by_code_sets_an_httponly_lax_cookie(client, workshop):
    response = client.post(
        "/ateliers/rejoindre/", {"code": workshop.code.lower(), "pseudonym": "Camille"}
    )
    assert response["Location"] == f"/ateliers/{workshop.code}/"
    cookie = response.cookies[access.PARTICIPANT_COOKIE.format(code=workshop.code)]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert Participant.objects.get().pseudonym == "Camille"
    assert "Vous : Camille" in text(client.get(response["Location"]))


def test_the_join_link_leads_straight_to_the_first_question(client, workshop, quiz):
    page = text(client.get(f"/ateliers/{workshop.code}/"))
    assert "Question 1 sur 6" in page
    assert "Pseudonyme (facultatif)" in page
    assert not Participant.objects.exists()  # GET never writes


def test_answering_from_the_join_link_joins_with_the_pseudonym_typed(client, workshop, quiz):
    chosen = choice_for(quiz, "q1", "usages")
    response = client.post(
        f"/ateliers/{workshop.code}/reponse/",
        {"question": "q1", "choice": chosen, "pseudonym": "Camille", "rejoindre": "1"},
    )
    person = Participant.objects.get()
    assert person.pseudonym == "Camille"
    assert person.answers_by_question() == {"q1": chosen}
    assert access.PARTICIPANT_COOKIE.format(code=workshop.code) in response.cookies
    assert "Vous : Camille" in text(client.get(response["Location"]))


def test_an_empty_answer_from_the_join_link_keeps_the_pseudonym_and_joins_nobody(client, workshop):
    response = client.post(
        f"/ateliers/{workshop.code}/reponse/",
        {"question": "q1", "pseudonym": "Camille", "rejoindre": "1"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "Choisissez une réponse" in page
    assert 'value="Camille"' in page
    assert not Participant.objects.exists()


def test_an_answer_sent_from_outside_the_first_screen_joins_nobody(client, workshop, quiz):
    response = client.post(
        f"/ateliers/{workshop.code}/reponse/",
        {"question": "q1", "choice": choice_for(quiz, "q1", "usages")},
    )
    assert response.status_code == 403
    assert not Participant.objects.exists()


def test_while_waiting_the_join_link_offers_the_pseudonym_and_a_join_button(client, paced):
    page = text(client.get(f"/ateliers/{paced.code}/"))
    assert "En attente de la première question" in page
    assert "Rejoindre l’atelier" in page
    client.post(f"/ateliers/{paced.code}/", {"pseudonym": ""})
    assert Participant.objects.count() == 1


def test_a_wrong_code_says_what_to_check(client, workshop):
    response = client.post("/ateliers/rejoindre/", {"code": "ZZZZZZ"})
    assert response.status_code == 404
    assert "Aucun atelier ne porte ce code" in text(response)


def test_too_many_wrong_codes_pause_joining_from_that_address(client, workshop):
    for _ in range(access.WRONG_CODE_LIMIT):
        client.post("/ateliers/rejoindre/", {"code": "ZZZZZZ"})
    response = client.post("/ateliers/rejoindre/", {"code": "ZZZZZZ"})
    assert response.status_code == 429
    assert "Trop de codes erronés" in text(response)


def test_a_participant_already_in_is_never_limited(client, workshop):
    person = join(workshop)
    for _ in range(access.WRONG_CODE_LIMIT):
        client.post("/ateliers/rejoindre/", {"code": "ZZZZZZ"})
    as_participant(client, workshop, person.token)
    assert client.get(f"/ateliers/{workshop.code}/").status_code == 200


def test_an_answer_is_acknowledged_once_stored_and_can_be_changed(client, workshop, quiz):
    person = join(workshop)
    as_participant(client, workshop, person.token)
    first = choice_for(quiz, "q1", "usages")
    response = client.post(
        f"/ateliers/{workshop.code}/reponse/", {"question": "q1", "choice": first}
    )
    assert person.answers_by_question() == {"q1": first}
    page = text(client.get(response["Location"]))
    assert "Réponse enregistrée." in page
    assert "Question 2 sur 6" in page
    changed = choice_for(quiz, "q1", "culture")
    client.post(f"/ateliers/{workshop.code}/reponse/", {"question": "q1", "choice": changed})
    assert person.answers_by_question() == {"q1": changed}


def test_a_refresh_brings_the_participant_back_to_their_answers(client, workshop, quiz):
    person = join(workshop)
    as_participant(client, workshop, person.token)
    chosen = choice_for(quiz, "q1", "usages")
    client.post(f"/ateliers/{workshop.code}/reponse/", {"question": "q1", "choice": chosen})
    page = text(client.get(f"/ateliers/{workshop.code}/?question=1"))
    assert re.search(rf'value="{chosen}"\s+checked', page)


def test_an_empty_answer_is_refused_with_a_message(client, workshop):
    person = join(workshop)
    as_participant(client, workshop, person.token)
    response = client.post(f"/ateliers/{workshop.code}/reponse/", {"question": "q1"})
    assert response.status_code == 400
    assert "Choisissez une réponse" in text(response)


def test_in_paced_mode_participants_wait_for_the_next_question(client, paced, quiz):
    person = join(paced)
    as_participant(client, paced, person.token)
    assert "En attente de la première question" in text(client.get(f"/ateliers/{paced.code}/"))
    actions.change(paced, current=1)
    client.post(
        f"/ateliers/{paced.code}/reponse/",
        {"question": "q1", "choice": choice_for(quiz, "q1", "usages")},
    )
    page = text(client.get(f"/ateliers/{paced.code}/?enregistre=1"))
    assert "Réponse enregistrée." in page
    assert "En attente de la question suivante" in page


def test_at_the_end_a_participant_sees_their_profile_and_the_teams(client, workshop, quiz):
    person = join(workshop)
    for question in quiz.questions:
        actions.answer(workshop, person, question.key, choice_for(quiz, question.key, "culture"))
    actions.change(workshop, revealed=True)
    page = text(as_participant(client, workshop, person.token).get(f"/ateliers/{workshop.code}/"))
    assert "Votre profil" in page
    assert "Profils de l’équipe" in page


def test_a_closed_workshop_says_so_to_participants(client, workshop):
    person = join(workshop)
    actions.change(workshop, is_open=False)
    page = text(as_participant(client, workshop, person.token).get(f"/ateliers/{workshop.code}/"))
    assert "L’atelier est clos" in page


@pytest.mark.parametrize(
    ("action", "field", "value"),
    [("reveal", "revealed", True), ("close", "is_open", False), ("next", "current", 1)],
)
def test_the_facilitator_controls_the_workshop(client, paced, action, field, value):
    as_facilitator(client, paced)
    client.post(f"/ateliers/{paced.code}/animation/commande/", {"action": action})
    assert getattr(Workshop.objects.get(pk=paced.pk), field) == value


def test_a_closed_workshop_can_be_reopened(client, workshop):
    as_facilitator(client, workshop)
    client.post(f"/ateliers/{workshop.code}/animation/commande/", {"action": "close"})
    client.post(f"/ateliers/{workshop.code}/animation/commande/", {"action": "reopen"})
    assert Workshop.objects.get(pk=workshop.pk).is_open


def test_the_header_links_to_workshops(client, quiz):
    assert '<a href="/ateliers/"' in text(client.get("/"))
