import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_account_page_lists_the_projects_of_its_owner_only(client, project, other_project):
    client.force_login(project.members.get(role="admin").user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Mes carnets de bord" in page
    assert project.title in page
    assert other_project.title.replace("’", "&#x27;") not in page
    assert "Projet d" not in page


def test_an_account_without_projects_is_offered_to_create_one(client, outsider):
    client.force_login(outsider)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Vous ne faites encore partie de l’équipe d’aucun projet." in page
    assert reverse("logbook:create") in page
