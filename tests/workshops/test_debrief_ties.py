"""A tie in the team is stated as a tie, with the same rule as a person's mixed profile: never
"the team leans clearly towards" one of two profiles that have as many people."""

import html
import io
import re

import pytest
from pypdf import PdfReader

from sonar.workshops import actions, results
from sonar.workshops.debrief import TeamReport
from tests.workshops.conftest import as_facilitator, as_participant, choice_for, join

pytestmark = pytest.mark.django_db

TIE = "L’équipe se partage à égalité entre x culture interne et ¿ usages (2 personnes chacun)"


@pytest.fixture
def tied(workshop, quiz):
    """Three people: one culture, one usages, one mixed culture and usages: 2 and 2."""
    people = []
    for outcomes in (["culture"] * 6, ["usages"] * 6, ["culture"] * 3 + ["usages"] * 3):
        person = join(workshop)
        for question, outcome in zip(quiz.questions, outcomes, strict=True):
            actions.answer(workshop, person, question.key, choice_for(quiz, question.key, outcome))
        people.append(person)
    actions.change(workshop, revealed=True)
    workshop.refresh_from_db()
    workshop.people = people
    return workshop


def flat(content):
    return re.sub(r"\s+", " ", html.unescape(content))


def test_the_report_names_every_profile_sharing_the_top_count(tied, quiz):
    report = TeamReport(tied, quiz, results.tally(tied, quiz))
    assert [o.key for o in report.leading] == ["culture", "usages"]
    assert report.tie
    assert report.dominant is None
    assert report.meaning.startswith(TIE)


def test_one_profile_ahead_is_still_dominant(workshop, quiz):
    for outcome in ("usages", "usages", "culture"):
        person = join(workshop)
        for question in quiz.questions:
            actions.answer(workshop, person, question.key, choice_for(quiz, question.key, outcome))
    report = TeamReport(workshop, quiz, results.tally(workshop, quiz))
    assert not report.tie
    assert report.meaning.startswith("L’équipe penche nettement vers le profil usages")


@pytest.mark.parametrize("page", ["animation", "projection"])
def test_the_facilitator_screens_state_the_tie(client, tied, page, quiz):
    # The projector reveals one view at a time: the team's profile comes after the questions.
    query = f"?vue={len(quiz.questions) + 1}" if page == "projection" else ""
    content = flat(
        as_facilitator(client, tied).get(f"/ateliers/{tied.code}/{page}/{query}").content.decode()
    )
    assert TIE in content
    assert "penche nettement" not in content


def test_every_phone_states_the_tie(client, tied):
    person = tied.people[0]
    content = as_participant(client, tied, person.token).get(f"/ateliers/{tied.code}/")
    page = flat(content.content.decode())
    assert TIE in page
    assert "penche nettement" not in page


def test_the_pdf_report_states_the_tie(client, tied):
    response = as_facilitator(client, tied).get(f"/ateliers/{tied.code}/rapport.pdf")
    pdf = PdfReader(io.BytesIO(response.content))
    page = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "égalité" in page
    assert "culture interne" in page and "usages" in page
    assert "penche nettement" not in page
