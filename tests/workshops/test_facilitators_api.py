"""Co-facilitators through the API: added by e-mail, listed, withdrawn; a bad address is a 400
in the French error shape; a withdrawn co-facilitator's token is refused at once."""

import json
import re

import pytest
from django.core import mail

from sonar.workshops import mails
from tests.workshops.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def add(client, workshop, email, token=None):
    return client.post(
        f"/api/v1/workshops/{workshop.code}/facilitators",
        json.dumps({"email": email}),
        content_type="application/json",
        headers=bearer(token or workshop.token),
    )


def token_in(message):
    return re.search(r"/animer/([\w-]+)/", message.body).group(1)


def test_a_cofacilitator_added_by_the_api_reads_the_results_until_withdrawn(client, workshop):
    added = add(client, workshop, "Co@Ville.fr")
    assert added.status_code == 201, added.content
    body = added.json()
    assert body == {"id": body["id"], "email": "co@ville.fr", "role": "co", "withdrawn": False}
    co_token = token_in(mail.outbox[0])
    assert co_token != workshop.token

    results = f"/api/v1/workshops/{workshop.code}/results"
    assert client.get(results, headers=bearer(co_token)).status_code == 200

    listed = client.get(f"/api/v1/workshops/{workshop.code}/facilitators", headers=bearer(co_token))
    assert [p["email"] for p in listed.json()] == ["co@ville.fr"]

    gone = client.delete(
        f"/api/v1/workshops/{workshop.code}/facilitators/{body['id']}",
        headers=bearer(workshop.token),
    )
    assert gone.status_code == 204
    assert_error_shape(client.get(results, headers=bearer(co_token)), 403)
    assert client.get(results, headers=bearer(workshop.token)).status_code == 200
    listed = client.get(
        f"/api/v1/workshops/{workshop.code}/facilitators", headers=bearer(workshop.token)
    )
    assert listed.json()[0]["withdrawn"] is True


@pytest.mark.parametrize("email", ["pas-une-adresse", "", "co@", "a b@ville.fr", "x" * 300])
def test_an_address_that_is_not_one_is_a_400_in_french(client, workshop, email):
    body = assert_error_shape(add(client, workshop, email), 400)
    assert "email" in body["fields"]
    assert "adresse" in body["fields"]["email"] or "caractères" in body["fields"]["email"]
    assert not workshop.facilitations.exists()


def test_a_body_without_an_address_is_a_400(client, workshop):
    response = client.post(
        f"/api/v1/workshops/{workshop.code}/facilitators",
        json.dumps({"courriel": "co@ville.fr"}),
        content_type="application/json",
        headers=bearer(workshop.token),
    )
    assert "email" in assert_error_shape(response, 400)["fields"]


def test_a_cofacilitator_cannot_add_or_withdraw_others(client, workshop):
    first = add(client, workshop, "a@ville.fr").json()
    co_token = token_in(mail.outbox[0])
    assert_error_shape(add(client, workshop, "b@ville.fr", co_token), 403)
    refused = client.delete(
        f"/api/v1/workshops/{workshop.code}/facilitators/{first['id']}", headers=bearer(co_token)
    )
    assert_error_shape(refused, 403)


def test_without_a_facilitator_token_the_list_is_refused(client, workshop):
    assert_error_shape(client.get(f"/api/v1/workshops/{workshop.code}/facilitators"), 403)


def test_the_same_address_twice_is_a_409_and_an_unknown_id_a_404(client, workshop):
    add(client, workshop, "co@ville.fr")
    assert_error_shape(add(client, workshop, "co@ville.fr"), 409)
    missing = client.delete(
        f"/api/v1/workshops/{workshop.code}/facilitators/999999", headers=bearer(workshop.token)
    )
    assert_error_shape(missing, 404)


def test_adding_is_limited_per_client(client, workshop, monkeypatch):
    monkeypatch.setattr(mails, "PER_CLIENT", 2)
    for n in range(2):
        assert add(client, workshop, f"co{n}@ville.fr").status_code == 201
    assert_error_shape(add(client, workshop, "co9@ville.fr"), 429)
    assert len(mail.outbox) == 2
