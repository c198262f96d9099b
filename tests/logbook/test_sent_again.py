"""Every create form of the logbook, sent again after Back (the page asked again, so a fresh
form key) or refreshed (the same key), makes nothing new and leads to what was created."""

import pytest
from django.urls import reverse

from sonar.logbook.models import Experiment, Project, ProjectMilestone

PROJECT = {
    "title": "Guichet unique des familles",
    "kind": "service",
    "about": "Un seul endroit pour les démarches des familles.",
}


def create_project(client, key):
    return client.post(reverse("logbook:create"), {**PROJECT, "form_key": key})


@pytest.mark.parametrize("second_key", ["la-meme-cle-de-formulaire", "une-cle-toute-nouvelle-0"])
def test_a_project_form_sent_twice_makes_one_project(client, admin, second_key):
    client.force_login(admin)
    first = create_project(client, "la-meme-cle-de-formulaire")
    second = create_project(client, second_key)
    assert Project.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_another_title_is_another_project(client, admin):
    client.force_login(admin)
    create_project(client, "la-meme-cle-de-formulaire")
    client.post(
        reverse("logbook:create"),
        {**PROJECT, "title": "Cantine bio", "form_key": "une-cle-toute-nouvelle-0"},
    )
    assert Project.objects.count() == 2


def test_an_experiment_form_sent_again_after_back_makes_one_experiment(client, admin):
    client.force_login(admin)
    create_project(client, "la-meme-cle-de-formulaire")
    project = Project.objects.get()
    url = reverse("logbook:experiment-create", args=[project.pk])
    data = {"hypothesis": "Un formulaire papier plus court suffit aux familles."}
    first = client.post(url, {**data, "form_key": "premiere-cle-de-formulaire"})
    second = client.post(url, {**data, "form_key": "seconde-cle-de-formulaire"})
    assert Experiment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_milestone_form_sent_again_after_back_makes_one_milestone(client, admin):
    client.force_login(admin)
    create_project(client, "la-meme-cle-de-formulaire")
    project = Project.objects.get()
    url = reverse("logbook:add-milestone", args=[project.pk])
    data = {"title": "Premier atelier avec les familles", "description": ""}
    first = client.post(url, {**data, "form_key": "premiere-cle-de-formulaire"})
    second = client.post(url, {**data, "form_key": "seconde-cle-de-formulaire"})
    assert ProjectMilestone.objects.count() == 1
    assert first["Location"] == second["Location"]
