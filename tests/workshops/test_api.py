"""The workshops API, as issue 5 describes it, and every way to get it wrong (never a 500)."""

import json

import pytest

from sonar.workshops import access
from tests.workshops.conftest import assert_error_shape, choice_for, join, put_answer

pytestmark = pytest.mark.django_db


def post_json(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_creating_a_workshop_gives_its_code_links_and_token_once(client, quiz):
    response = post_json(
        client, "/api/v1/workshops", {"questionnaire": "style", "title": "CODIR", "mode": "paced"}
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"code", "join_url", "facilitator_url", "facilitator_token", "steps"}
    assert body["steps"] == [{"key": "style", "kind": "style", "title": body["steps"][0]["title"]}]
    # The room link: it joins even when the network is past its wrong-code limit.
    assert f"/ateliers/{body['code']}/?cle=" in body["join_url"]
    assert body["facilitator_url"].endswith(f"/animer/{body['facilitator_token']}/")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"questionnaire": "nope", "title": "A", "mode": "paced"}, "questionnaire"),
        ({"questionnaire": "style", "title": "", "mode": "paced"}, "title"),
        ({"questionnaire": "style", "title": "A", "mode": "fast"}, "mode"),
    ],
)
def test_a_workshop_that_does_not_fit_is_refused_with_the_field_named(client, quiz, body, field):
    body = assert_error_shape(post_json(client, "/api/v1/workshops", body), 400)
    assert field in body["fields"]


def test_joining_gives_a_participant_token(client, workshop):
    response = client.post(f"/api/v1/workshops/{workshop.code}/participants")
    assert response.status_code == 201
    assert len(response.json()["participant_token"]) >= 32


def test_a_wrong_code_is_a_404(client, workshop):
    assert_error_shape(client.post("/api/v1/workshops/ZZZZZZ/participants"), 404)


def test_an_answer_is_stored_and_the_last_one_counts(client, workshop, quiz):
    token = client.post(f"/api/v1/workshops/{workshop.code}/participants").json()[
        "participant_token"
    ]
    first = put_answer(client, workshop, "q1", choice_for(quiz, "q1", "usages"), token)
    second = put_answer(client, workshop, "q1", choice_for(quiz, "q1", "culture"), token)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["version"] > first.json()["version"]
    results = client.get(
        f"/api/v1/workshops/{workshop.code}/results",
        headers={"Authorization": f"Bearer {workshop.token}"},
    ).json()
    assert results["answers"]["q1"][choice_for(quiz, "q1", "culture")] == 1
    assert sum(results["answers"]["q1"].values()) == 1


@pytest.mark.parametrize(
    ("token", "status"), [("", 403), ("forged-token-forged-token-forged", 403)]
)
def test_a_missing_or_forged_token_is_a_403(client, workshop, token, status):
    join(workshop)
    assert_error_shape(put_answer(client, workshop, "q1", "q1a", token), status)


def test_a_choice_from_another_question_is_a_400_that_says_so(client, workshop):
    person = join(workshop)
    body = assert_error_shape(put_answer(client, workshop, "q1", "q2a", person.token), 400)
    assert "question q2" in body["fields"]["choice"]


def test_a_closed_workshop_is_a_409(client, workshop, quiz):
    from sonar.workshops import actions

    person = join(workshop)
    actions.change(workshop, is_open=False)
    assert_error_shape(
        put_answer(client, workshop, "q1", choice_for(quiz, "q1", "usages"), person.token), 409
    )
    assert_error_shape(client.post(f"/api/v1/workshops/{workshop.code}/participants"), 409)


def test_an_answer_that_is_not_json_is_a_400(client, workshop):
    person = join(workshop)
    response = client.put(
        f"/api/v1/workshops/{workshop.code}/answers/q1",
        "choice=q1a",
        content_type="application/x-www-form-urlencoded",
        headers={"Authorization": f"Bearer {person.token}"},
    )
    assert_error_shape(response, 400)


def test_results_need_the_facilitator_token(client, workshop):
    assert_error_shape(client.get(f"/api/v1/workshops/{workshop.code}/results"), 403)
    person = join(workshop)
    assert_error_shape(
        client.get(
            f"/api/v1/workshops/{workshop.code}/results",
            headers={"Authorization": f"Bearer {person.token}"},
        ),
        403,
    )


def test_results_count_participants_answers_and_profiles(client, workshop, quiz):
    for outcome in ("usages", "culture"):
        person = join(workshop)
        for question in quiz.questions:
            put_answer(
                client,
                workshop,
                question.key,
                choice_for(quiz, question.key, outcome),
                person.token,
            )
    body = client.get(
        f"/api/v1/workshops/{workshop.code}/results",
        headers={"Authorization": f"Bearer {workshop.token}"},
    ).json()
    assert body["participants"] == 2
    assert body["profiles"] == {"culture": 1, "technique": 0, "usages": 1, "hybride": 0}
    assert body["revealed"] is False


def test_a_participants_own_view_never_holds_other_peoples_answers(client, workshop, quiz):
    from sonar.workshops import actions

    me, other = join(workshop), join(workshop)
    put_answer(client, workshop, "q1", choice_for(quiz, "q1", "usages"), me.token)
    put_answer(client, workshop, "q1", choice_for(quiz, "q1", "culture"), other.token)
    url = f"/api/v1/workshops/{workshop.code}/me"
    headers = {"Authorization": f"Bearer {me.token}"}
    hidden = client.get(url, headers=headers).json()
    assert hidden["answers"] == {"q1": choice_for(quiz, "q1", "usages")}
    assert hidden["team_profiles"] is None
    actions.change(workshop, revealed=True)
    shown = client.get(url, headers=headers).json()
    assert shown["team_profiles"]["culture"] == 1
    assert choice_for(quiz, "q1", "culture") not in json.dumps(shown["answers"])


def test_the_polling_snapshot_has_counts_and_no_answers_before_the_reveal(client, workshop, quiz):
    person = join(workshop)
    put_answer(client, workshop, "q1", choice_for(quiz, "q1", "usages"), person.token)
    body = client.get(f"/api/v1/workshops/{workshop.code}").json()
    assert (body["participants"], body["answers"], body["results"]) == (1, 1, None)


def test_wrong_codes_are_limited_per_address(client, workshop):
    for _ in range(access.WRONG_CODE_LIMIT):
        assert client.post("/api/v1/workshops/ZZZZZZ/participants").status_code == 404
    assert_error_shape(client.post("/api/v1/workshops/ZZZZZZ/participants"), 429)
    # Another address is not affected.
    response = client.post("/api/v1/workshops/ZZZZZZ/participants", REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 404


def test_a_whole_room_behind_one_address_joins_with_the_right_code(client, workshop):
    statuses = {
        client.post(f"/api/v1/workshops/{workshop.code}/participants").status_code
        for _ in range(500)
    }
    assert statuses == {201}
    assert workshop.participants.count() == 500
