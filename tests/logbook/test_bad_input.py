"""No form data a team member can send makes a logbook page fail: every answer is below 500."""

import pytest
from django.urls import reverse

from tests.logbook.conftest import make_experiment, make_milestone

GARBAGE = [
    {},
    {"based_on": "abc", "form_key": "k" * 30, "title": "\x00", "about": "x", "kind": "service"},
    {"based_on": "-5", "hypothesis": "h" * 20000, "form_key": "k" * 30},
    {"source": "hand", "stage": ["a", "b"], "style": "zz", "action": "up" * 50},
    {"source": "workshop", "code": "\u00e9" * 12, "role": "\x00", "email": "a@" + "b" * 300},
    {"source": "diagnostic", "result": "/partage/" + "x" * 40, "mine": "../../etc"},
    {"audiences": ["usagers"] * 50, "moments": "jamais", "resource": "\x00", "decision": "x"},
    {"started_on": "2026-02-30", "ended_on": "99999-01-01", "hypothesis": "ok"},
]


def post_urls(project, experiment, milestone, member):
    pk = project.pk
    return [
        reverse("logbook:create"),
        reverse("logbook:edit", args=[pk]),
        reverse("logbook:invite", args=[pk]),
        reverse("logbook:role", args=[pk, member.pk]),
        reverse("logbook:share", args=[pk]),
        reverse("logbook:positioning", args=[pk]),
        reverse("logbook:adopt", args=[pk]),
        reverse("logbook:add-milestone", args=[pk]),
        reverse("logbook:milestone", args=[pk, milestone.pk]),
        reverse("logbook:experiment-create", args=[pk]),
        reverse("logbook:experiment-edit", args=[pk, experiment.pk]),
    ]


@pytest.mark.parametrize("payload", GARBAGE)
def test_garbage_never_makes_a_page_fail(client, project, admin, member, stages, payload):
    experiment = make_experiment(project, admin)
    milestone = make_milestone(project, admin)
    target = project.members.get(user=member)
    client.force_login(admin)
    for url in post_urls(project, experiment, milestone, target):
        response = client.post(url, payload)
        assert response.status_code < 500, url


@pytest.mark.parametrize("path", ["/carnets/999999/", "/carnets/partage/%C3%A9/"])
def test_unknown_addresses_are_404s(client, admin, path):
    client.force_login(admin)
    assert client.get(path).status_code == 404


def test_an_address_with_a_nul_gets_the_french_400_page(client, admin):
    client.force_login(admin)
    response = client.get("/carnets/invitation/%00/")
    assert response.status_code == 400
    assert "caractère invisible" in response.content.decode()
