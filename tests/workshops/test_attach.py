"""A workshop attached to an organisation and to a project's logbook, only by one of their
members; the form offers only those, and a forged id changes nothing."""

import re

import pytest
from django.test import Client

from sonar.logbook import actions as logbook_actions
from sonar.workshops import actions
from sonar.workshops.models import Attachment, Workshop
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.workshops.conftest import join

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def anne():
    return UserFactory(email="anne@ville.fr")


@pytest.fixture
def her_org(anne):
    return MembershipFactory(
        user=anne, organisation=OrganisationFactory(name="Ville d’Anne")
    ).organisation


@pytest.fixture
def her_project(anne, her_org):
    project, _ = logbook_actions.create_project(
        anne, "cle-atelier-rattache", title="Accueil en mairie", kind="service", about="Accueil."
    )
    return project


@pytest.fixture
def other_org():
    return MembershipFactory(organisation=OrganisationFactory(name="Autre ville")).organisation


@pytest.fixture
def browser(anne):
    client = Client()
    client.force_login(anne)
    return client


@pytest.fixture
def her_workshop(browser, quiz):
    browser.post(
        "/ateliers/creer/", {"questionnaire": "style", "title": "Atelier", "mode": "paced"}
    )
    return Workshop.objects.get()


def test_the_owner_attaches_her_workshop_to_her_organisation_and_project(
    browser, her_workshop, her_org, her_project
):
    url = f"/ateliers/{her_workshop.code}/animation/acces/rattacher/"
    response = browser.post(url, {"organisation": her_org.pk, "project": her_project.pk})
    assert response.status_code == 302
    attachment = Attachment.objects.get(workshop=her_workshop)
    assert (attachment.organisation, attachment.project) == (her_org, her_project)
    page = text(browser.get(f"/ateliers/{her_workshop.code}/animation/acces/"))
    assert "Ville d’Anne" in page and "Accueil en mairie" in page


def test_the_form_offers_only_her_organisations_and_projects(
    browser, her_workshop, her_org, her_project, other_org
):
    page = text(browser.get(f"/ateliers/{her_workshop.code}/animation/acces/"))
    assert "Ville d’Anne" in page and "Accueil en mairie" in page
    assert "Autre ville" not in page


def test_an_organisation_she_is_not_in_is_refused_and_nothing_changes(
    browser, her_workshop, other_org
):
    url = f"/ateliers/{her_workshop.code}/animation/acces/rattacher/"
    response = browser.post(url, {"organisation": other_org.pk})
    assert response.status_code == 400
    assert "Choisissez une de vos organisations." in text(response)
    assert not Attachment.objects.exists()


def test_detaching_keeps_the_workshop(browser, her_workshop, her_org):
    url = f"/ateliers/{her_workshop.code}/animation/acces/rattacher/"
    browser.post(url, {"organisation": her_org.pk})
    browser.post(url, {"organisation": "", "project": ""})
    attachment = Attachment.objects.get()
    assert attachment.organisation is None and attachment.project is None


def test_the_action_refuses_a_non_member(her_workshop, other_org, anne):
    with pytest.raises(actions.WorkshopError) as refused:
        actions.attach(her_workshop, anne, organisation=other_org)
    assert refused.value.status == 403
    assert not Attachment.objects.exists()


def test_an_anonymous_creator_is_asked_to_sign_in(client, quiz, her_org):
    client.post("/ateliers/creer/", {"questionnaire": "style", "title": "Anonyme", "mode": "paced"})
    code = Workshop.objects.get(title="Anonyme").code
    assert "Connectez-vous" in text(client.get(f"/ateliers/{code}/animation/acces/"))
    refused = client.post(
        f"/ateliers/{code}/animation/acces/rattacher/", {"organisation": her_org.pk}
    )
    assert refused.status_code == 302
    assert refused["Location"].startswith("/compte/connexion/?next=")
    assert f"/ateliers/{code}/animation/acces/" in refused["Location"].replace("%2F", "/")
    assert not Attachment.objects.exists()


def test_a_cofacilitator_cannot_attach(browser, her_workshop, her_org):
    colleague = UserFactory(email="co@ville.fr")
    MembershipFactory(user=colleague, organisation=her_org)
    actions.add_cofacilitator(her_workshop, "co@ville.fr")
    co = Client()
    co.force_login(colleague)
    refused = co.post(
        f"/ateliers/{her_workshop.code}/animation/acces/rattacher/", {"organisation": her_org.pk}
    )
    assert refused.status_code == 403
    assert not Attachment.objects.exists()


def test_the_project_and_the_organisation_list_their_workshops(
    browser, her_workshop, her_org, her_project, quiz
):
    join(her_workshop)
    url = f"/ateliers/{her_workshop.code}/animation/acces/rattacher/"
    browser.post(url, {"organisation": her_org.pk, "project": her_project.pk})
    for page in (her_project.get_absolute_url(), her_org.get_absolute_url()):
        listed = text(browser.get(page))
        assert "Ateliers rattachés" in listed, page
        assert f"({her_workshop.code})" in listed and "1 participant" in listed, page


def test_a_workshop_attached_elsewhere_is_not_listed(browser, her_workshop, her_project):
    assert "Ateliers rattachés" not in text(browser.get(her_project.get_absolute_url()))
