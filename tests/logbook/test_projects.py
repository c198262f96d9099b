"""Creating and editing a project: one project per form, messages in French, nothing lost."""

import pytest
from django.urls import reverse

from sonar.logbook.models import Project
from tests.factories import MembershipFactory

CREATE = reverse("logbook:create")


def form_data(**overrides):
    data = {
        "form_key": "une-cle-de-formulaire-unique",
        "title": "Guichet unique des familles",
        "kind": "service",
        "about": "Un seul endroit pour les démarches des familles.",
    }
    data.update(overrides)
    return data


def test_the_creator_becomes_the_projects_admin(client, admin):
    client.force_login(admin)
    response = client.post(CREATE, form_data())
    project = Project.objects.get()
    assert response["Location"] == reverse("logbook:project", args=[project.pk])
    assert project.members.get().user == admin
    assert project.members.get().is_admin
    assert project.revision == 1


def test_a_double_submit_creates_one_project(client, admin):
    client.force_login(admin)
    first = client.post(CREATE, form_data())
    second = client.post(CREATE, form_data())
    assert Project.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_someone_elses_form_key_creates_nothing_and_shows_nothing(client, admin, outsider):
    client.force_login(admin)
    client.post(CREATE, form_data())
    client.force_login(outsider)
    response = client.post(CREATE, form_data(title="Autre"))
    assert response.status_code == 404
    assert Project.objects.count() == 1


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"title": ""}, "title", "Donnez un titre au projet."),
        ({"about": "  "}, "about", "Dites en quelques phrases de quoi il s’agit."),
        ({"kind": "fusee"}, "kind", "Choisissez une politique ou un service."),
        ({"title": "t" * 201}, "title", "Ce texte est trop long\u00a0: 200 caractères au plus"),
        ({"about": "a" * 5001}, "about", "(il en compte 5001)"),
    ],
)
def test_bad_input_gets_a_french_message_and_keeps_the_text(
    client, admin, overrides, field, message
):
    client.force_login(admin)
    data = form_data(**overrides)
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert message in response.text
    assert f'href="#id_{field}' in response.text
    assert Project.objects.count() == 0
    kept = data["about"] if field != "about" else data["about"].strip()
    if kept:
        assert kept in response.text


def test_the_organisation_is_one_of_the_creators(client, admin):
    mine = MembershipFactory(user=admin).organisation
    theirs = MembershipFactory().organisation
    client.force_login(admin)
    response = client.post(CREATE, form_data(organisation=theirs.pk))
    assert response.status_code == 400
    assert "Choisissez une de vos organisations." in response.text
    client.post(CREATE, form_data(organisation=mine.pk))
    assert Project.objects.get().organisation == mine


def test_editing_keeps_every_version(client, project, member):
    client.force_login(member)
    url = reverse("logbook:edit", args=[project.pk])
    response = client.post(url, form_data(title="Nouveau titre", based_on=project.revision))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Nouveau titre"
    titles = [r.snapshot["title"] for r in project.revisions()]
    assert titles == ["Accueil des nouveaux habitants", "Nouveau titre"]


def test_a_concurrent_edit_is_refused_and_shows_both_versions(client, project, admin, member):
    url = reverse("logbook:edit", args=[project.pk])
    opened_on = project.revision
    client.force_login(admin)
    client.post(url, form_data(title="Version d’Anne", based_on=opened_on))
    client.force_login(member)
    response = client.post(url, form_data(title="Version de Marc", based_on=opened_on))
    assert response.status_code == 409
    assert "Quelqu’un a enregistré une autre version" in response.text
    assert "Version d’Anne" in response.text
    assert 'value="Version de Marc"' in response.text
    project.refresh_from_db()
    assert project.title == "Version d’Anne"
    # Saving again from the conflict page is a deliberate choice: it goes through.
    retry = client.post(url, form_data(title="Version de Marc", based_on=project.revision))
    assert retry.status_code == 302


def test_an_edit_without_its_revision_is_refused_rather_than_overwriting(client, project, admin):
    client.force_login(admin)
    response = client.post(reverse("logbook:edit", args=[project.pk]), form_data(title="Sans"))
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.title == "Accueil des nouveaux habitants"


def test_the_history_lists_every_version(client, project, admin):
    client.force_login(admin)
    client.post(
        reverse("logbook:edit", args=[project.pk]),
        form_data(title="Deuxième titre", based_on=project.revision),
    )
    response = client.get(reverse("logbook:history", args=[project.pk]))
    assert "Deuxième titre" in response.text
    assert "Accueil des nouveaux habitants" in response.text
    assert "version 2" in response.text
