"""Issue 13's API: a workshop of steps, created from a déroulé or a list of steps, answered
step by step, driven by the control endpoint; every bad input a French 400/403/404/409."""

import json

import pytest

from sonar.workshops.models import Step, StepAnswer
from tests.workshops.conftest import assert_error_shape, choice_for

pytestmark = pytest.mark.django_db

QUESTION = {
    "kind": "choice",
    "prompt": "Par où commencer ?",
    "choices": ["Un essai", "Un échange", "Une formation"],
    "multiple": False,
}


def post_json(client, url, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def put_json(client, url, body, token):
    return client.put(
        url,
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def create(client, **body):
    response = post_json(client, "/api/v1/workshops", {"title": "CODIR", "mode": "paced", **body})
    assert response.status_code == 201, response.content
    return response.json()


def joined(client, code):
    return post_json(client, f"/api/v1/workshops/{code}/participants", {}).json()[
        "participant_token"
    ]


def control(client, created, **body):
    return post_json(
        client, f"/api/v1/workshops/{created['code']}/control", body, created["facilitator_token"]
    )


def test_the_templates_are_listed_with_their_steps(client, reference_content):
    templates = client.get("/api/v1/workshop-templates").json()
    keys = {t["key"] for t in templates}
    assert {"equipe-1h", "seminaire-direction-2h", "pleniere-300"} <= keys
    team = next(t for t in templates if t["key"] == "equipe-1h")
    assert team["title"] == "Équipe, 1 h"
    assert [s["kind"] for s in team["steps"]] == ["style", "choice", "maturity", "choice"]


def test_a_workshop_is_created_from_a_template(client, reference_content):
    created = create(client, template="equipe-1h")
    assert [s["kind"] for s in created["steps"]] == ["style", "choice", "maturity", "choice"]
    stored = Step.objects.filter(workshop__code=created["code"]).order_by("position")
    assert stored[1].discussion and stored[1].script and stored[1].minutes == 10


def test_a_workshop_is_created_from_steps_and_shows_them(client, reference_content):
    created = create(client, steps=[{"kind": "style"}, {"kind": "maturity"}, QUESTION])
    assert [(s["key"], s["kind"]) for s in created["steps"]] == [
        ("style", "style"),
        ("maturity", "maturity"),
        ("question-1", "choice"),
    ]
    snapshot = client.get(f"/api/v1/workshops/{created['code']}").json()
    question = snapshot["steps"][2]
    assert question["title"] == "Par où commencer ?"
    assert question["open"] is True
    assert question["choices"] == [
        {"key": "c1", "label": "Un essai"},
        {"key": "c2", "label": "Un échange"},
        {"key": "c3", "label": "Une formation"},
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"template": "nope"}, "template"),
        ({"steps": [{**QUESTION, "choices": ["Seul"]}]}, "steps.0.choices"),
        (
            {"steps": [{**QUESTION, "choices": [f"Choix {n}" for n in range(50)]}]},
            "steps.0.choices",
        ),
        ({"steps": [{"kind": "nope"}]}, "steps.0.kind"),
        ({"steps": [{"kind": "style"}, {"kind": "style"}]}, "steps.1.kind"),
        ({"steps": []}, "steps"),
        ({"template": "equipe-1h", "questionnaire": "style"}, "template"),
    ],
)
def test_a_bad_workshop_body_is_a_french_400(client, reference_content, body, field):
    response = post_json(client, "/api/v1/workshops", {"title": "A", "mode": "paced", **body})
    error = assert_error_shape(response, 400)
    assert field in error["fields"], error


def test_a_choice_step_is_answered_paced_and_counted(client, reference_content):
    created = create(client, steps=[{"kind": "style"}, {**QUESTION, "multiple": True}])
    code, token = created["code"], joined(client, created["code"])
    url = f"/api/v1/workshops/{code}/steps/question-1/answer"
    # Not open yet: the facilitator runs the style step first.
    assert_error_shape(put_json(client, url, {"choices": ["c1"]}, token), 409)
    snapshot = control(client, created, action="open", step="question-1").json()
    assert snapshot["current_step"] == "question-1"
    response = put_json(client, url, {"choices": ["c3", "c1", "c1"]}, token)
    assert response.status_code == 200, response.content
    assert response.json()["value"] == {"choices": ["c1", "c3"]}
    other = joined(client, code)
    assert put_json(client, url, {"choice": "c3"}, other).status_code == 200
    results = client.get(
        f"/api/v1/workshops/{code}/results",
        headers={"Authorization": f"Bearer {created['facilitator_token']}"},
    ).json()
    assert results["steps"]["question-1"]["counts"] == {"c1": 1, "c2": 0, "c3": 2}
    assert StepAnswer.objects.filter(step__key="question-1").count() == 2


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"choice": "c9"}, 400, "choice"),
        ({}, 400, "choice"),
        ({"choices": ["c1", "c2"]}, 400, "choices"),
    ],
)
def test_a_bad_choice_is_refused_and_nothing_stored(client, reference_content, body, status, field):
    created = create(client, mode="self-paced", steps=[QUESTION])
    token = joined(client, created["code"])
    url = f"/api/v1/workshops/{created['code']}/steps/question-1/answer"
    error = assert_error_shape(put_json(client, url, body, token), status)
    assert field in error["fields"]
    assert not StepAnswer.objects.exists()


def test_an_unknown_or_closed_step_is_refused(client, reference_content):
    created = create(client, mode="self-paced", steps=[QUESTION])
    token = joined(client, created["code"])
    base = f"/api/v1/workshops/{created['code']}/steps"
    assert_error_shape(put_json(client, f"{base}/nope/answer", {"choice": "c1"}, token), 404)
    assert control(client, created, action="close", step="question-1").status_code == 200
    assert_error_shape(put_json(client, f"{base}/question-1/answer", {"choice": "c1"}, token), 409)
    assert control(client, created, action="reopen", step="question-1").status_code == 200
    assert put_json(client, f"{base}/question-1/answer", {"choice": "c1"}, token).status_code == 200


def test_the_control_needs_the_facilitators_token(client, reference_content):
    created = create(client, steps=[QUESTION])
    response = post_json(
        client, f"/api/v1/workshops/{created['code']}/control", {"action": "next"}, "forged"
    )
    assert_error_shape(response, 403)
    assert_error_shape(control(client, created, action="jump"), 400)
    assert_error_shape(control(client, created, action="open", step="nope"), 404)


def test_next_and_previous_walk_the_questions_then_the_steps(client, reference_content):
    created = create(client, steps=[{"kind": "style"}, QUESTION])
    seen = []
    for _ in range(8):
        snapshot = control(client, created, action="next").json()
        seen.append((snapshot["current_step"], snapshot["current"]))
    assert seen[0] == ("style", "q1")
    assert seen[5] == ("style", "q6")
    assert seen[6] == ("question-1", None)
    assert seen[7] == ("question-1", None)  # the last step: next stays there
    back = control(client, created, action="previous").json()
    assert (back["current_step"], back["current"]) == ("style", "q6")


def test_the_timer_deadline_is_kept_on_the_server(client, reference_content):
    created = create(client, steps=[QUESTION])
    control(client, created, action="open", step="question-1")
    snapshot = control(client, created, action="timer", seconds=90).json()
    step = snapshot["steps"][0]
    assert 80 <= step["seconds_left"] <= 90
    assert step["deadline"]
    assert_error_shape(control(client, created, action="timer", seconds=3), 400)
    stopped = control(client, created, action="timer", seconds=0).json()
    assert stopped["steps"][0]["seconds_left"] is None


def test_the_team_in_the_results_states_a_tie(client, reference_content, quiz):
    created = create(client, mode="self-paced", questionnaire="style")
    code = created["code"]
    for outcomes in (["culture"] * 6, ["usages"] * 6, ["culture"] * 3 + ["usages"] * 3):
        token = joined(client, code)
        for question, outcome in zip(quiz.questions, outcomes, strict=True):
            url = f"/api/v1/workshops/{code}/answers/{question.key}"
            choice = choice_for(quiz, question.key, outcome)
            assert put_json(client, url, {"choice": choice}, token).status_code == 200
    results = client.get(
        f"/api/v1/workshops/{code}/results",
        headers={"Authorization": f"Bearer {created['facilitator_token']}"},
    ).json()
    assert results["team"]["leading"] == ["culture", "usages"]
    assert results["team"]["tie"] is True
    assert results["team"]["profiles"]["culture"] == 2
    assert sum(results["steps"]["style"]["counts"].values()) == 18
