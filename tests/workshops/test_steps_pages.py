"""The facilitator drives and edits the steps from the page, without JavaScript; a participant
answers a facilitator's question on their phone."""

import re

import pytest

from sonar.workshops import actions
from sonar.workshops.models import StepAnswer
from tests.workshops.conftest import as_facilitator, as_participant, join

pytestmark = pytest.mark.django_db

QUESTION = {"kind": "choice", "prompt": "Par où commencer ?", "choices": ["Un essai", "Un échange"]}


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def session(quiz):
    steps = actions.build_steps([{"kind": "style"}, QUESTION])
    workshop, token = actions.create_workshop(quiz, "Séance", "paced", steps)
    workshop.token = token
    return workshop


def test_the_facilitator_page_puts_the_step_controls_first(client, session):
    page = text(as_facilitator(client, session).get(f"/ateliers/{session.code}/animation/"))
    assert page.index("Les étapes") < page.index("En direct")
    assert "Par où commencer ?" in page
    assert "Lancer le minuteur" in page


def test_a_participant_answers_the_open_question_and_sees_the_timer(client, session):
    person = join(session)
    actions.control(session, "open", "question-1")
    actions.control(session, "timer", "question-1", 120)
    phone = as_participant(client, session, person.token)
    page = text(phone.get(f"/ateliers/{session.code}/"))
    assert "Étape 2 sur 2" in page and "Par où commencer ?" in page
    assert "Temps restant" in page
    response = phone.post(
        f"/ateliers/{session.code}/etape/", {"step": "question-1", "choice": "c2"}
    )
    assert response.status_code == 302
    assert StepAnswer.objects.get(participant=person).value == {"choices": ["c2"]}


def test_an_empty_answer_shows_the_question_again_with_a_message(client, session):
    person = join(session)
    actions.control(session, "open", "question-1")
    response = as_participant(client, session, person.token).post(
        f"/ateliers/{session.code}/etape/", {"step": "question-1"}
    )
    assert response.status_code == 400
    assert "Choisissez une réponse" in text(response)
    assert "Par où commencer ?" in text(response)
    assert not StepAnswer.objects.exists()


def test_the_page_adds_a_question_and_keeps_what_was_typed_when_it_does_not_fit(client, session):
    facilitator = as_facilitator(client, session)
    url = f"/ateliers/{session.code}/animation/etapes/"
    refused = facilitator.post(url, {"edit": "add", "prompt": "Une seule ?", "choices": "Oui"})
    assert refused.status_code == 400
    assert "De 2 à 8 choix" in text(refused)
    assert 'value="Une seule ?"' in text(refused)
    added = facilitator.post(url, {"edit": "add", "prompt": "Et ensuite ?", "choices": "A\nB\nC"})
    assert added.status_code == 302
    assert [s.key for s in session.ordered_steps()] == ["style", "question-1", "question-2"]


def test_removing_a_step_with_answers_says_to_close_or_hide_it(client, session):
    person = join(session)
    actions.control(session, "open", "question-1")
    actions.answer_step(session, person, "question-1", {"choice": "c1"})
    facilitator = as_facilitator(client, session)
    response = facilitator.post(
        f"/ateliers/{session.code}/animation/etapes/",
        {"edit": "remove", "step": "question-1"},
        follow=True,
    )
    assert "clore ou la masquer" in text(response)
    assert StepAnswer.objects.count() == 1


def test_the_controls_move_to_the_next_step(client, session):
    facilitator = as_facilitator(client, session)
    url = f"/ateliers/{session.code}/animation/commande/"
    for _ in range(7):
        assert facilitator.post(url, {"action": "next"}).status_code == 302
    session.refresh_from_db()
    assert (session.current_step, session.current) == (2, 1)


def test_a_workshop_is_duplicated_from_its_page(client, session):
    response = as_facilitator(client, session).post(
        f"/ateliers/{session.code}/animation/dupliquer/"
    )
    assert response.status_code == 302
    copy_code = response["Location"].split("/")[2]
    assert copy_code != session.code
    page = text(client.get(response["Location"]))
    assert "Gardez ce lien secret" in page
    assert "Par où commencer ?" in page


def test_a_workshop_is_created_from_a_deroule_on_the_page(client, reference_content):
    response = client.post(
        "/ateliers/creer/",
        {"questionnaire": "style", "template": "equipe-1h", "title": "Voirie", "mode": "paced"},
    )
    assert response.status_code == 302
    code = response["Location"].split("/")[2]
    from sonar.workshops.models import Workshop

    steps = Workshop.objects.get(code=code).ordered_steps()
    assert [s.kind for s in steps] == ["style", "choice", "maturity", "choice"]


def test_an_unknown_deroule_is_refused_in_french_and_the_title_kept(client, reference_content):
    response = client.post(
        "/ateliers/creer/",
        {"questionnaire": "style", "template": "nope", "title": "Voirie", "mode": "paced"},
    )
    assert response.status_code == 400
    assert "Ce déroulé n’existe pas." in text(response)
    assert 'value="Voirie"' in text(response)


def test_each_deroule_has_a_facilitator_guide_pdf(client, reference_content):
    import io

    from pypdf import PdfReader

    response = client.get("/ateliers/deroules/seminaire-direction-2h/guide.pdf")
    assert response["Content-Type"] == "application/pdf"
    pages = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Séminaire de direction" in pages
    assert "Questions de discussion" in pages
    assert "Qu’est-ce qui freine le plus les essais chez nous" in re.sub(r"\s+", " ", pages)
    assert client.get("/ateliers/deroules/nope/guide.pdf").status_code == 404


def test_the_projector_shows_the_running_question_and_its_counts_only_once_revealed(
    client, session
):
    person = join(session)
    actions.control(session, "open", "question-1")
    actions.answer_step(session, person, "question-1", {"choice": "c2"})
    url = f"/ateliers/{session.code}/projection/"
    page = text(as_facilitator(client, session).get(url))
    assert "Par où commencer ?" in page and "Un essai" in page and "Un échange" in page
    assert "<strong>1</strong>" not in page.replace('data-answered="question-1">1<', "")
    actions.control(session, "reveal", "question-1")
    page = text(client.get(url))
    assert "Un échange <strong>1</strong>" in page
