"""Logging experiments: the hypothesis is required, long texts say so, nothing is lost."""

import pytest
from django.urls import reverse

from sonar.logbook.models import Experiment
from tests.logbook.conftest import make_experiment


def data(**overrides):
    values = {
        "form_key": "cle-du-formulaire-experience",
        "hypothesis": "Un rendez-vous de quinze minutes suffit aux nouveaux habitants.",
        "audiences": ["usagers", "agents"],
        "moments": ["avant"],
        "happened": "Douze rendez-vous, deux trop courts.",
        "learnt": "Il faut prévoir vingt minutes.",
        "decision": "ajuster",
        "started_on": "2026-03-02",
        "ended_on": "2026-03-20",
    }
    values.update(overrides)
    return values


def create(client, project, **overrides):
    return client.post(reverse("logbook:experiment-create", args=[project.pk]), data(**overrides))


def test_an_experiment_is_logged_and_shown_in_the_timeline(client, project, member, resource):
    client.force_login(member)
    response = create(client, project, resource=resource.slug)
    experiment = Experiment.objects.get()
    assert response["Location"] == experiment.get_absolute_url()
    assert experiment.audiences == ["usagers", "agents"]
    assert experiment.resource == resource
    page = client.get(experiment.get_absolute_url())
    assert "Design de service" in page.text
    assert "Usagers, agents" in page.text or "usagers, agents" in page.text
    timeline = client.get(reverse("logbook:project", args=[project.pk]))
    assert "2 mars 2026" in timeline.text
    assert "décision\u00a0: ajuster" in timeline.text


def test_a_double_submit_logs_one_experiment(client, project, member):
    client.force_login(member)
    first = create(client, project)
    second = create(client, project)
    assert Experiment.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"hypothesis": ""}, "Écrivez l’hypothèse que l’expérience met à l’épreuve"),
        ({"hypothesis": "h" * 1001}, "1000 caractères au plus (il en compte 1001)"),
        ({"learnt": "l" * 5001}, "5000 caractères au plus (il en compte 5001)"),
        ({"audiences": ["extraterrestres"]}, "Choisissez parmi les propositions."),
        ({"decision": "couler"}, "Choisissez parmi les propositions."),
        ({"resource": "inconnue"}, "Choisissez une méthode de la carte dans la liste."),
        ({"started_on": "hier"}, "Saisissez une date, par exemple 2026-03-15."),
        ({"ended_on": "2026-01-01"}, "La fin ne peut pas précéder le début."),
    ],
)
def test_bad_input_gets_a_french_message_and_keeps_every_text(
    client, project, member, overrides, message
):
    client.force_login(member)
    response = create(client, project, **overrides)
    assert response.status_code == 400
    assert message in response.text
    assert "Il y a un problème" in response.text
    for name in ("hypothesis", "happened", "learnt"):
        assert data(**overrides)[name] in response.text
    assert not Experiment.objects.exists()


def test_an_oversized_text_is_given_back_whole(client, project, member):
    client.force_login(member)
    long_text = "Un long récit. " * 400
    response = create(client, project, happened=long_text)
    assert response.status_code == 400
    assert long_text.strip() in response.text


def test_editing_keeps_the_previous_version(client, project, member, admin):
    experiment = make_experiment(project, admin)
    client.force_login(member)
    url = reverse("logbook:experiment-edit", args=[project.pk, experiment.pk])
    form = client.get(url)
    assert f'name="based_on" value="{experiment.revision}"' in form.text
    response = client.post(url, data(hypothesis="Hypothèse précisée", based_on=experiment.revision))
    assert response.status_code == 302
    hypotheses = [r.snapshot["hypothesis"] for r in experiment.revisions()]
    assert hypotheses == ["Les habitants préfèrent un rendez-vous court.", "Hypothèse précisée"]


def test_a_concurrent_edit_is_refused_and_keeps_both_texts(client, project, member, admin):
    experiment = make_experiment(project, admin)
    url = reverse("logbook:experiment-edit", args=[project.pk, experiment.pk])
    opened_on = experiment.revision
    client.force_login(admin)
    client.post(url, data(learnt="Ce qu’Anne a appris", based_on=opened_on))
    client.force_login(member)
    response = client.post(url, data(learnt="Ce que Marc a appris", based_on=opened_on))
    assert response.status_code == 409
    assert "Quelqu’un a enregistré une autre version" in response.text
    assert "Ce qu’Anne a appris" in response.text
    assert "Ce que Marc a appris" in response.text
    experiment.refresh_from_db()
    assert experiment.learnt == "Ce qu’Anne a appris"
    assert f'name="based_on" value="{experiment.revision}"' in response.text


@pytest.mark.parametrize("key", ["", "court", "k" * 65])
def test_a_form_without_a_usable_key_asks_to_be_sent_again_and_keeps_the_text(
    client, project, member, key
):
    client.force_login(member)
    response = create(client, project, form_key=key)
    assert response.status_code == 400
    assert "Ce formulaire était incomplet" in response.text
    assert "Douze rendez-vous, deux trop courts." in response.text
    assert not Experiment.objects.exists()
    fresh = response.context["form"]["form_key"].value()
    assert 16 <= len(fresh) <= 64
    assert create(client, project, form_key=fresh).status_code == 302
