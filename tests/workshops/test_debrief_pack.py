"""The debrief pack: a PDF for élus and directors with the questions and how the team
answered, the team's profile (a tie said as a tie), questions to discuss and room to write the
decisions; available during the session, and kept until the workshop changes."""

import io
import re

import pytest
from pypdf import PdfReader

from sonar.workshops import actions, pdf
from sonar.workshops.pack import DebriefPack
from tests.workshops.conftest import as_facilitator, choice_for, join

pytestmark = pytest.mark.django_db


def answer_as(workshop, quiz, outcomes):
    """A participant whose answers count, question after question, for `outcomes` (a
    question with no choice for that outcome is left unanswered)."""
    person = join(workshop)
    for question, outcome in zip(quiz.questions, outcomes, strict=False):
        if any(choice.outcome == outcome for choice in question.choices):
            actions.answer(workshop, person, question.key, choice_for(quiz, question.key, outcome))
    return person


@pytest.fixture
def tied(workshop, quiz):
    """The team of the issue: 3 people, culture 2 and usages 2 (the third one is mixed)."""
    answer_as(workshop, quiz, ["culture"] * 6)
    answer_as(workshop, quiz, ["usages"] * 6)
    answer_as(workshop, quiz, ["culture", "usages"] * 3)
    return workshop


def words(content):
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages)), reader


def get_pack(client, workshop):
    response = as_facilitator(client, workshop).get(f"/ateliers/{workshop.code}/restitution.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response


def test_a_tie_is_stated_as_a_tie(tied, quiz):
    standing = DebriefPack(tied).standing
    assert [o.key for o in standing.outcomes] == ["culture", "usages"]
    assert standing.tie
    culture, usages = quiz.outcome("culture"), quiz.outcome("usages")
    assert standing.sentence == (
        f"L’équipe se partage à égalité entre {culture.symbol} {culture.name.lower()} et "
        f"{usages.symbol} {usages.name.lower()} (2 personnes chacun)."
    )


def test_the_pack_of_a_tie_never_names_one_profile_as_leading(client, tied):
    text, _reader = words(get_pack(client, tied).content)
    assert "à égalité entre" in text
    assert "(2 personnes chacun)" in text
    assert "penche nettement" not in text
    # 2 + 2 profiles for 3 people: the pack says why.
    assert "compte pour chacun de ses profils" in text


def test_one_leading_profile_is_named_with_its_count(workshop, quiz):
    answer_as(workshop, quiz, ["usages"] * 6)
    answer_as(workshop, quiz, ["usages"] * 6)
    answer_as(workshop, quiz, ["technique"] * 6)
    standing = DebriefPack(workshop).standing
    assert not standing.tie
    usages = quiz.outcome("usages")
    assert standing.sentence == (
        f"Le profil le plus présent dans l’équipe est {usages.symbol} {usages.name.lower()} "
        "(2 personnes)."
    )


def test_the_pack_holds_the_questions_their_distributions_and_room_for_decisions(
    client, tied, quiz
):
    text, reader = words(get_pack(client, tied).content)
    assert len(reader.pages) >= 2
    assert "Atelier d’essai" in text
    assert "3 participants" in text
    assert "Atelier en cours" in text
    assert "Les réponses, question par question" in text
    for question in quiz.questions:
        first_words = " ".join(question.text.split()[:4])
        assert first_words in text
    # q1: culture 2 of 3 answers, usages 1 of 3.
    assert "2 (67 %)" in text and "1 (33 %)" in text
    assert "Questions à discuter" in text
    assert "Quelle première décision prenons-nous" in text
    # The last page is left for the decisions.
    last = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
    assert "Nos décisions" in last and "Qui le porte" in last and "Pour quand" in last
    assert "Licence Ouverte 2.0" in last


def test_the_discussion_names_what_the_team_lacks_and_where_it_splits(tied, quiz):
    pack = DebriefPack(tied)
    asked = pack.discussion
    technique = quiz.outcome("technique")
    assert any(technique.name.lower() in question for question in asked)
    # Every question was answered 2 to 1: the first such question is the most split.
    assert pack.most_split.number == 1
    assert any("question 1 (« Votre modèle" in question for question in asked)
    assert not any(": »" in question for question in asked)
    assert asked[-1].startswith("Quelle première décision")


def test_a_pack_before_anyone_answered_still_prints(client, workshop):
    text, _reader = words(get_pack(client, workshop).content)
    assert "0 participant" in text
    assert "Nos décisions" in text
    assert DebriefPack(workshop).standing is None


def test_the_pack_is_there_during_the_session_before_the_reveal(client, tied):
    assert tied.is_open and not tied.revealed
    text, _reader = words(get_pack(client, tied).content)
    assert "à égalité" in text


def test_a_closed_workshop_says_so(client, tied):
    actions.change(tied, is_open=False)
    text, _reader = words(get_pack(client, tied).content)
    assert "Atelier clos" in text


def test_the_pack_is_kept_until_the_workshop_changes(client, tied, quiz, monkeypatch):
    laid_out = []
    real = pdf._lay_out

    def counting(html, css):
        laid_out.append(1)
        return real(html, css)

    monkeypatch.setattr(pdf, "_lay_out", counting)
    first = get_pack(client, tied).content
    second = get_pack(client, tied).content
    assert len(laid_out) == 1
    assert first == second

    answer_as(tied, quiz, ["technique"] * 6)
    text, _reader = words(get_pack(client, tied).content)
    assert len(laid_out) == 2
    assert "4 participants" in text


def test_the_pack_is_for_the_facilitator_only(client, tied):
    response = client.get(f"/ateliers/{tied.code}/restitution.pdf")
    assert response.status_code == 403
    assert "lien secret" in response.content.decode()


def test_a_maturity_pack_gives_the_teams_stage_and_asks_about_the_gap(client, reference_content):
    from sonar.quiz import data

    maturity = data.get("maturity")
    workshop, token = actions.create_workshop(maturity, "Où en sommes-nous ?", "self-paced")
    workshop.token = token
    for rank in (2, 3, 3):
        person = join(workshop)
        for question in maturity.questions:
            actions.answer(workshop, person, question.key, f"{question.key}-{rank}")
    pack = DebriefPack(workshop)
    assert pack.standing is None
    assert pack.discussion[0] == (
        "Les réponses vont de l’étape « Premières sorties » à l’étape « Équipage formé ». "
        "Quels services ou quels projets expliquent cet écart ?"
    )
    text, _reader = words(get_pack(client, workshop).content)
    assert "L’étape de l’équipe" in text
    assert "Équipage formé" in text
    assert "Ajout Sonar : ce diagnostic ne vient pas du journal" in text
    assert "à égalité" not in text


ODD_TITLES = [
    ("Atelier 🎉🚀 des équipes 👩🏽‍💻 🇫🇷", "des équipes"),
    ("<script>alert(1)</script> & « guillemets »", "<script>alert(1)</script> & « guillemets »"),
    ("Mot" + "x" * 110, "Mot" + "x" * 20),
    ("Atelier 漢字 des services", "Atelier �� des services"),
    ("\u202eAtelier inversé", "Atelier inversé"),
]


@pytest.mark.parametrize(
    ("title", "readable"), ODD_TITLES, ids=["emoji", "markup", "long-word", "cjk", "bidi"]
)
def test_odd_text_in_the_title_leaves_the_pack_readable(
    client, make_workshop, quiz, title, readable
):
    # A glyph the font lacks would leave the text around it impossible to copy or read aloud.
    workshop = make_workshop(title=title)
    answer_as(workshop, quiz, ["usages"] * 6)
    text, _reader = words(get_pack(client, workshop).content)
    assert readable in text.replace("  ", " ")
    assert "Nos décisions" in text
    assert "\x00" not in text


def test_odd_text_in_a_choice_does_not_break_the_pack(client, workshop, quiz):
    from sonar.quiz import data
    from sonar.quiz.models import Choice

    first = quiz.questions[0].choices[0].key
    Choice.objects.filter(question__questionnaire__key="style", key=first).update(
        text_fr="Bell\x07 🎉 " + "y" * 300
    )
    data.forget()
    answer_as(workshop, data.get("style"), ["usages"] * 6)
    text, _reader = words(get_pack(client, workshop).content)
    assert "Nos décisions" in text
    assert "y" * 40 in text.replace("\n", "") and "\x00" not in text


def test_the_facilitator_page_links_every_export(client, tied):
    html = as_facilitator(client, tied).get(f"/ateliers/{tied.code}/animation/").content.decode()
    for name in ("agregats.csv", "participants.csv", "resultats.xlsx", "restitution.pdf"):
        assert f"/ateliers/{tied.code}/{name}" in html


def test_the_pack_speaks_english_under_en(client, tied, quiz):
    response = as_facilitator(client, tied).get(
        f"/en/ateliers/{tied.code}/restitution.pdf", follow=True
    )
    assert response.status_code == 200
    text, _reader = words(response.content)
    assert "Debrief pack" in text
    assert "evenly divided between" in text and "(2 people each)" in text
    assert "Our decisions" in text
    assert "Nos décisions" not in text
