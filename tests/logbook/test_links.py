"""Diagnostic, trajectory and logbook, both ways: a result saved into a project, a trajectory
adopted from its page, the result picker naming what each result found, the overview naming
the trajectory followed."""

import pytest
from django.urls import reverse

from sonar.logbook import actions
from sonar.quiz.models import Questionnaire, Result
from tests.factories import MembershipFactory


@pytest.fixture
def maturity_result(stages):
    return Result.objects.create(
        questionnaire=Questionnaire.objects.get(key="maturity"),
        answers={},
        counts={},
        outcomes=["premieres-sorties"],
    )


@pytest.fixture
def style_result(styles):
    return Result.objects.create(
        questionnaire=Questionnaire.objects.get(key="style"),
        answers={},
        counts={},
        outcomes=["interne", "usages"],
    )


def test_a_result_is_saved_as_the_stage_of_one_of_my_projects(
    client, project, member, maturity_result
):
    client.force_login(member)
    response = client.post(
        reverse("logbook:save-result"), {"result": maturity_result.token, "project": project.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == project.get_absolute_url()
    positioning = project.positionings.get()
    assert (positioning.aspect, positioning.keys) == ("stage", ["premieres-sorties"])
    assert positioning.reference == maturity_result.share_token


def test_a_style_result_is_saved_as_the_style(client, project, member, style_result):
    client.force_login(member)
    client.post(
        reverse("logbook:save-result"), {"result": style_result.token, "project": project.pk}
    )
    assert project.positionings.get().keys == ["interne", "usages"]


def test_a_result_cannot_be_saved_into_someone_elses_project(
    client, other_project, member, maturity_result
):
    client.force_login(member)
    response = client.post(
        reverse("logbook:save-result"),
        {"result": maturity_result.token, "project": other_project.pk},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("quiz:result", args=[maturity_result.token]))
    assert not other_project.positionings.exists()


@pytest.mark.parametrize("token", ["", "nope", "x" * 300])
def test_an_unknown_result_is_refused_without_error(client, project, member, token):
    client.force_login(member)
    response = client.post(reverse("logbook:save-result"), {"result": token, "project": project.pk})
    assert response.status_code == 302
    assert not project.positionings.exists()


def test_a_share_token_cannot_stand_for_the_private_one(client, project, member, maturity_result):
    client.force_login(member)
    client.post(
        reverse("logbook:save-result"),
        {"result": maturity_result.share_token, "project": project.pk},
    )
    assert not project.positionings.exists()


def test_the_result_page_offers_my_projects(client, project, member, maturity_result):
    client.force_login(member)
    page = client.get(reverse("quiz:result", args=[maturity_result.token]))
    assert "Enregistrer dans un carnet" in page.text
    assert project.title in page.text


def test_the_result_page_offers_nothing_without_projects(client, outsider, maturity_result):
    client.force_login(outsider)
    page = client.get(reverse("quiz:result", args=[maturity_result.token]))
    assert "Enregistrer dans un carnet" not in page.text
    client.logout()
    page = client.get(reverse("quiz:result", args=[maturity_result.token]))
    assert "Enregistrer dans un carnet" not in page.text


def test_a_trajectory_is_adopted_from_its_page(client, project, member, trajectory):
    client.force_login(member)
    page = client.get(reverse("logbook:adopt-from", args=[trajectory.key]))
    assert project.title in page.text
    response = client.post(
        reverse("logbook:adopt-from", args=[trajectory.key]), {"project": project.pk}
    )
    assert response["Location"] == reverse("logbook:trajectory", args=[project.pk])
    assert project.milestones.count() == 2


def test_adopting_without_a_project_keeps_the_page_with_a_message(
    client, project, member, other_project, trajectory
):
    client.force_login(member)
    url = reverse("logbook:adopt-from", args=[trajectory.key])
    for sent in ({}, {"project": "x"}, {"project": other_project.pk}):
        response = client.post(url, sent)
        assert response.status_code == 400
        assert "Choisissez le projet" in response.text
    assert not other_project.milestones.exists()


def test_an_unknown_trajectory_is_a_404(client, member):
    client.force_login(member)
    assert client.get(reverse("logbook:adopt-from", args=["nulle-part"])).status_code == 404


def test_the_overview_names_the_trajectory_it_follows(client, project, member, trajectory):
    client.force_login(member)
    page = client.get(project.get_absolute_url())
    assert "Trajectoire suivie" not in page.text
    actions.adopt_trajectory(project, member, trajectory)
    page = client.get(project.get_absolute_url())
    assert "Trajectoire suivie" in page.text
    assert "Du discours au premier essai" in page.text
    assert reverse("journeys:trajectory", args=[trajectory.key]) in page.text


def test_the_result_picker_names_what_each_result_found(
    client, project, member, maturity_result, style_result
):
    client.force_login(member)
    session = client.session
    session["quiz:results"] = [maturity_result.token, style_result.token]
    session.save()
    page = client.get(reverse("logbook:positioning", args=[project.pk]))
    assert "Étape « Premières sorties »" in page.text
    assert "Profil «&nbsp;Culture interne&nbsp;» + «&nbsp;Usages&nbsp;»" in page.text


def test_the_organisation_page_lists_its_projects_and_links_to_the_account(
    client, project, admin, other_project
):
    membership = MembershipFactory(user=admin)
    organisation = membership.organisation
    project.organisation = organisation
    project.save()
    other_project.organisation = organisation
    other_project.save()
    client.force_login(admin)
    page = client.get(organisation.get_absolute_url())
    assert project.title in page.text
    assert other_project.title not in page.text
    assert "Un autre projet est rattaché" in page.text
    assert reverse("accounts:account") in page.text


def test_the_roles_are_explained_on_the_account_page(client, member):
    client.force_login(member)
    page = client.get(reverse("accounts:account"))
    assert 'id="roles"' in page.text
    assert "Dans une organisation" in page.text and "Dans un projet" in page.text
