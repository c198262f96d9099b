"""The workshop form sent again (Back, refresh) leads back to the workshop it made."""

import pytest

from sonar.workshops.models import Workshop

pytestmark = pytest.mark.django_db

FORM = {"questionnaire": "style", "title": "Atelier du lundi", "mode": "paced"}


def test_the_same_form_sent_twice_makes_one_workshop_and_leads_to_it(client, quiz):
    first = client.post("/ateliers/creer/", FORM)
    second = client.post("/ateliers/creer/", FORM)
    assert Workshop.objects.count() == 1
    assert (
        first["Location"]
        == second["Location"]
        == f"/ateliers/{Workshop.objects.get().code}/animation/"
    )


def test_another_title_makes_another_workshop(client, quiz):
    client.post("/ateliers/creer/", FORM)
    client.post("/ateliers/creer/", {**FORM, "title": "Atelier du mardi"})
    assert Workshop.objects.count() == 2


def test_another_browser_sending_the_same_form_gets_its_own_workshop(
    client, quiz, django_user_model
):
    from django.test import Client

    client.post("/ateliers/creer/", FORM)
    Client().post("/ateliers/creer/", FORM)
    assert Workshop.objects.count() == 2
