"""The logbook exported as Markdown and PDF: everything written, no e-mail address."""

import pytest
from django.urls import reverse

from sonar.logbook import actions
from tests.logbook.conftest import make_experiment, make_milestone


@pytest.fixture
def filled(project, admin, stages):
    make_experiment(
        project,
        admin,
        hypothesis="Un guichet le samedi attire les actifs.",
        audiences=["usagers", "elus"],
    )
    milestone = make_milestone(project, admin, title="Présenter au conseil")
    actions.tick_milestone(milestone, admin, True)
    actions.position(project, admin, "stage", ["a-quai"], "hand")
    return project


def test_the_markdown_export_is_a_download_with_everything_written(client, filled, member):
    client.force_login(member)
    response = client.get(reverse("logbook:markdown", args=[filled.pk]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert text.lstrip().startswith("# Accueil des nouveaux habitants")
    assert "Un guichet le samedi attire les actifs." in text
    assert "[x] Présenter au conseil" in text
    assert "À quai (choisi par l’équipe," in text
    assert "Avec qui\u00a0: usagers, élus\n" in text
    assert "@" not in text
    assert "&#x27;" not in text and "&amp;" not in text


def test_the_pdf_export_is_a_pdf(client, filled, member):
    client.force_login(member)
    response = client.get(reverse("logbook:pdf", args=[filled.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_empty_logbook_exports_too(client, project, member):
    client.force_login(member)
    response = client.get(reverse("logbook:markdown", args=[project.pk]))
    assert "Aucune expérience pour l’instant." in response.content.decode()
