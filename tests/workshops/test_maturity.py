"""A workshop runs the maturity diagnostic unchanged: stages per person, and the team's stage."""

import csv
import io
import re

import pytest
from django.test import Client

from sonar.quiz import data
from sonar.workshops import actions, results
from sonar.workshops.debrief import TeamReport
from sonar.workshops.models import Workshop
from tests.workshops.conftest import as_facilitator, as_participant, join

pytestmark = pytest.mark.django_db

STAGES = ("a-quai", "premieres-sorties", "equipage", "flottille", "fabrique-ouverte")
STYLE_ONLY = (
    "Ce que dit ce mélange",
    "Profils de l’équipe",
    "profil usages",
    "Les approches que l’équipe ignore",
    "Les approches sur lesquelles l’équipe s’appuie",
    "Questions et profils cités",
    "Votre profil",
)


@pytest.fixture
def maturity(reference_content):
    return data.get("maturity")


@pytest.fixture
def workshop(maturity):
    workshop, token = actions.create_workshop(maturity, "Où en sommes-nous ?", "self_paced")
    workshop.token = token
    return workshop


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def answer_all(workshop, quiz, ranks):
    """A participant who answers every question with the choice of the given rank."""
    person = join(workshop)
    for question, rank in zip(quiz.questions, ranks, strict=True):
        actions.answer(workshop, person, question.key, f"{question.key}-{rank}")
    return person


def test_a_facilitator_creates_a_workshop_with_the_maturity_diagnostic(client, maturity):
    page = text(client.get("/ateliers/"))
    assert "Où en est votre collectivité ?" in page
    response = client.post(
        "/ateliers/creer/", {"questionnaire": "maturity", "title": "Diagnostic", "mode": "paced"}
    )
    workshop = Workshop.objects.get()
    assert response["Location"] == f"/ateliers/{workshop.code}/animation/"
    assert workshop.questionnaire.key == "maturity"


@pytest.mark.parametrize(
    ("people", "stage"),
    [
        # Two people at stage 1 and one at stage 5: the median of 30 answers is stage 1.
        ([[1] * 10, [1] * 10, [5] * 10], "a-quai"),
        # Twenty answers, ten at stage 2 and ten at stage 4: the lower middle is stage 2.
        ([[2] * 10, [4] * 10], "premieres-sorties"),
        ([[3, 3, 3, 3, 3, 4, 4, 4, 4, 4], [4] * 10], "flottille"),
    ],
)
def test_the_teams_stage_is_the_lower_median_of_all_its_answers(workshop, maturity, people, stage):
    for ranks in people:
        answer_all(workshop, maturity, ranks)
    report = TeamReport(workshop, maturity, results.tally(workshop, maturity))
    assert report.team_stage.key == stage


def test_people_count_once_at_their_own_stage(workshop, maturity):
    answer_all(workshop, maturity, [1] * 10)
    answer_all(workshop, maturity, [3, 3, 3, 3, 3, 4, 4, 4, 4, 4])
    answer_all(workshop, maturity, [5] * 10)
    tally = results.tally(workshop, maturity)
    assert tally["profiles"] == {
        "a-quai": 1,
        "premieres-sorties": 0,
        "equipage": 1,
        "flottille": 0,
        "fabrique-ouverte": 1,
    }


def test_no_answer_yet_gives_no_team_stage(workshop, maturity):
    report = TeamReport(workshop, maturity, results.tally(workshop, maturity))
    assert report.team_stage is None
    assert "l’étape de l’équipe apparaîtra ici" in report.meaning


@pytest.fixture
def revealed(workshop, maturity):
    answer_all(workshop, maturity, [2] * 10)
    answer_all(workshop, maturity, [3] * 10)
    answer_all(workshop, maturity, [3] * 10)
    actions.change(workshop, revealed=True)
    return workshop


# The projector shows the team's stage, then what it says, one view at a time (after the
# ten questions' own views).
@pytest.mark.parametrize("pages", [["projection/?vue=11", "projection/?vue=12"], ["animation/"]])
def test_after_the_reveal_the_facilitator_sees_the_stages_and_the_teams_stage(
    client, revealed, pages
):
    facilitator = as_facilitator(client, revealed)
    html = " ".join(text(facilitator.get(f"/ateliers/{revealed.code}/{page}")) for page in pages)
    assert "L’étape de l’équipe" in html
    assert "Équipage formé" in html and "étape 3 sur 5" in html
    assert "Nombre de personnes à chaque étape" in html
    assert "Les personnes se situent de l’étape" in html
    assert "/trajectoires/equipage/" in html
    assert "Ajout Sonar" in html
    for words in STYLE_ONLY:
        assert words not in html


def test_a_participant_sees_their_own_stage_after_the_reveal(client, revealed, maturity):
    person = join(revealed)
    for question in maturity.questions:
        actions.answer(revealed, person, question.key, f"{question.key}-4")
    html = text(as_participant(client, revealed, person.token).get(f"/ateliers/{revealed.code}/"))
    assert "Où en est votre collectivité" in html and "En flottille" in html
    for words in STYLE_ONLY:
        assert words not in html


def test_the_participant_api_names_stages_not_profiles(client, revealed, maturity):
    person = join(revealed)
    actions.answer(revealed, person, "equipe", "equipe-5")
    body = client.get(
        f"/api/v1/workshops/{revealed.code}/me", headers={"Authorization": f"Bearer {person.token}"}
    ).json()
    assert body["stage"] == {"key": "fabrique-ouverte", "rank": 5, "name": "Fabrique ouverte"}
    assert body["team_stages"]["equipage"] == 2
    assert "profile" not in body


def test_the_aggregates_csv_counts_stages_and_gives_the_teams_stage(client, revealed):
    response = as_facilitator(client, revealed).get(f"/ateliers/{revealed.code}/agregats.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][5:7] == ["étape", "intitulé de l’étape"]
    stage_rows = {row[3]: row[7] for row in rows if row[0] == "étape"}
    assert stage_rows == {key: str(n) for key, n in zip(STAGES, (0, 1, 2, 0, 0), strict=True)}
    team = ["étape de l’équipe", "", "", "equipage", "Équipage formé"]
    assert [*team, "equipage", "Équipage formé", ""] in rows


def test_the_participants_csv_gives_each_persons_stage(client, revealed):
    response = as_facilitator(client, revealed).get(f"/ateliers/{revealed.code}/participants.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-2:] == ["étape du participant", "intitulé de l’étape du participant"]
    stages = {row[0]: row[-2] for row in rows[1:]}
    assert stages == {"1": "premieres-sorties", "2": "equipage", "3": "equipage"}


def test_the_pdf_report_shows_the_teams_stage(client, revealed):
    from pypdf import PdfReader

    response = as_facilitator(client, revealed).get(f"/ateliers/{revealed.code}/rapport.pdf")
    assert response.status_code == 200
    words = " ".join(
        re.sub(r"\s+", " ", page.extract_text())
        for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "L’étape de l’équipe" in words
    assert "Équipage formé" in words
    assert "Questions et profils cités" not in words


def test_a_participant_sees_the_choices_in_their_own_stable_order(workshop):
    def order(person):
        page = as_participant(Client(), workshop, person.token).get(
            f"/ateliers/{workshop.code}/?question=1"
        )
        return re.findall(r'name="choice"\s+value="([^"]+)"', page.content.decode())

    one, other = join(workshop), join(workshop)
    rising = [f"equipe-{rank}" for rank in range(1, 6)]
    assert order(one) == order(one)
    assert sorted(order(one)) == rising
    assert order(one) != rising
    orders = {tuple(order(join(workshop))) for _ in range(4)} | {tuple(order(other))}
    assert len(orders) > 1
