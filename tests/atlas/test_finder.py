"""The method finder: a task and up to three ceilings in the URL give the approaches that fit,
each with its reasons; the page works without JavaScript and its JSON twin says the same."""

import re

import pytest
from django.urls import reverse

from sonar.quiz.models import Result
from tests.atlas.conftest import make_resource, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def approaches():
    make_resource(
        "entretiens",
        title_fr="Entretiens avec les usagers",
        tasks=" comprendre-usagers ",
        cost=1,
        duration="semaines",
        group_size="petit",
        political_sensitivity="faible",
        outside_help="non",
    )
    make_resource(
        "immersion",
        title_fr="Immersion",
        tasks=" comprendre-usagers associer-agents ",
        cost=1,
        duration="jours",
        outside_help="utile",
    )
    make_resource(
        "enquete",
        title_fr="Enquête par questionnaire",
        tasks=" comprendre-usagers mesurer-effet ",
        cost=2,
        duration="mois",
        outside_help="indispensable",
        political_sensitivity="forte",
    )
    make_resource("sans-faits", title_fr="Sans faits", tasks=" comprendre-usagers ")
    make_resource("hors-sujet", title_fr="Hors sujet", tasks=" anticiper ", cost=1)


def finder(client, query="", prefix=""):
    # The French address under /en/ leads to the English one.
    return client.get(prefix + reverse("atlas:finder") + query, follow=bool(prefix))


def titles(response):
    return re.findall(r'class="card__link" href="[^"]+">([^<]+)</a>', response.content.decode())


def test_without_a_task_the_page_asks_the_three_questions(client, approaches):
    page = text(finder(client))

    for question in (
        "1. Que voulez-vous faire ?",
        "2. Avec quel budget, au plus ?",
        "3. En combien de temps voulez-vous un premier résultat ?",
    ):
        assert question in page
    assert "approches pour" not in page


def test_a_task_gives_every_approach_that_serves_it_the_most_focused_first(client, approaches):
    response = finder(client, "?task=comprendre-usagers")

    assert titles(response) == [
        "Entretiens avec les usagers",
        "Sans faits",
        "Immersion",
        "Enquête par questionnaire",
    ]
    assert "4 approches pour « comprendre les usagers »" in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("&cost=1", ["Entretiens avec les usagers", "Immersion"]),
        ("&duration=jours", ["Immersion"]),
        ("&duration=semaines", ["Entretiens avec les usagers", "Immersion"]),
        ("&help=non", ["Entretiens avec les usagers"]),
        (
            "&cost=2&duration=mois",
            ["Entretiens avec les usagers", "Immersion", "Enquête par questionnaire"],
        ),
    ],
)
def test_each_constraint_is_a_ceiling_a_resource_must_be_known_to_meet(
    client, approaches, query, expected
):
    assert titles(finder(client, "?task=comprendre-usagers" + query)) == expected


def test_each_approach_says_why_it_fits(client, approaches):
    page = text(finder(client, "?task=comprendre-usagers&cost=1"))

    assert "Pourquoi elle convient Elle sert à comprendre les usagers." in page
    assert "Coût € : avec les moyens de l’équipe, quelques milliers d’euros au plus." in page
    assert "Un premier résultat en quelques semaines." in page
    assert "Faisable sans aide extérieure." in page


def test_an_approach_says_what_to_watch(client, approaches):
    page = text(finder(client, "?task=comprendre-usagers"))

    assert "À savoir Une aide extérieure est indispensable." in page
    assert "Sensibilité politique forte : associez les élus dès le début." in page


def test_when_the_constraints_leave_nothing_the_page_offers_the_task_alone(client, approaches):
    response = finder(client, "?task=comprendre-usagers&duration=jours&help=non")

    assert "Aucune approche ne tient dans toutes ces contraintes." in text(response)
    assert 'href="?task=comprendre-usagers"' in response.content.decode()
    assert "Voir les 4 approches qui servent cette tâche, sans contraintes" in text(response)


def test_the_answers_stay_ticked_in_the_form(client, approaches):
    html = finder(client, "?task=mesurer-effet&cost=2&duration=mois&help=non").content.decode()
    html = " ".join(html.split())

    for ticked in ('id="task-mesurer-effet" name="task" value="mesurer-effet" checked',
                   'id="cost-2" name="cost" value="2" checked',
                   'id="duration-mois" name="duration" value="mois" checked',
                   'id="help-non" name="help" value="non" checked'):  # fmt: skip
        assert ticked in html


def test_a_value_not_understood_is_ignored_and_said_so(client, approaches):
    response = finder(client, "?task=comprendre-usagers&cost=9")

    assert "Réponse non comprise, ignorée : Le budget s’écrit 1, 2 ou 3" in text(response)
    assert len(titles(response)) == 4


def test_the_page_is_in_english_on_the_english_site(client, approaches):
    page = text(finder(client, "?task=comprendre-usagers&cost=1", prefix="/en"))

    assert "2 approaches for “understand users”" in page
    assert "It helps you understand users." in page


def test_the_catalogue_links_to_the_finder(client, approaches):
    assert 'href="/carte/trouver/"' in client.get(reverse("atlas:catalogue")).content.decode()


# The JSON twin -------------------------------------------------------------------------------


def test_the_api_gives_the_same_approaches_with_their_reasons(client, approaches):
    body = client.get("/api/v1/finder?task=comprendre-usagers&cost=1").json()

    assert [r["slug"] for r in body["results"]] == ["entretiens", "immersion"]
    assert body["task"]["label"] == "comprendre les usagers"
    assert body["constraints"] == {"cost": 1, "duration": None, "outside_help": None}
    assert body["results"][0]["reasons"][0] == "Elle sert à comprendre les usagers."
    assert body["results"][0]["duration"] == "semaines"
    assert (body["count"], body["serving_task"]) == (2, 4)


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "task"), ("?task=tout", "task"), ("?task=anticiper&duration=siecles", "duration")],
)
def test_the_api_refuses_a_question_it_does_not_understand(client, approaches, query, field):
    response = client.get("/api/v1/finder" + query)

    assert response.status_code == 400
    assert response.json()["error"] == "Question incomplète ou non comprise."
    assert field in response.json()["fields"]


def test_the_page_links_to_its_json_twin(client, approaches):
    html = finder(client, "?task=anticiper&cost=1").content.decode()

    assert 'href="/api/v1/finder?task=anticiper&amp;cost=1"' in html


# From the diagnostics ----------------------------------------------------------------------------


@pytest.mark.usefixtures("reference_content")
@pytest.mark.parametrize(
    ("quiz", "choices", "task"),
    [
        ("style", ["q1d", "q2c", "q3c", "q4b", "q5a", "q6a"], "comprendre-usagers"),  # usages
        ("style", ["q1b", "q2a", "q3c", "q4d", "q5a", "q6a"], "cooperer-partenaires"),  # hybride
    ],
)
def test_a_style_result_links_to_the_finder_with_its_task_chosen(client, quiz, choices, task):
    for number, choice in enumerate(choices, start=1):
        client.post(reverse("quiz:question", args=[quiz, number]), {"choice": choice})
    html = client.get(reverse("quiz:result", args=[Result.objects.get().token])).content.decode()

    assert f'href="/carte/trouver/?task={task}"' in html


@pytest.mark.usefixtures("reference_content")
def test_a_maturity_result_links_to_the_finder_with_the_task_of_its_stage(client):
    from sonar.atlas.finder import RESULT_TASKS
    from sonar.quiz import data as quiz_data

    quiz = quiz_data.get("maturity")
    for number, question in enumerate(quiz.questions, start=1):
        first = question.choices[0].key
        client.post(reverse("quiz:question", args=["maturity", number]), {"choice": first})
    result = Result.objects.get()
    html = client.get(reverse("quiz:result", args=[result.token])).content.decode()

    assert f'href="/carte/trouver/?task={RESULT_TASKS[result.outcomes[0]]}"' in html
