"""The trajectory Sonar proposes, adopted, reordered and ticked by the team."""

import pytest
from django.urls import reverse

from sonar.journeys.models import Milestone
from sonar.logbook import actions
from sonar.logbook.models import ProjectMilestone


@pytest.fixture
def staged(project, admin, trajectory):
    actions.position(project, admin, "stage", ["a-quai"], "hand")
    return project


def titles(project):
    return list(project.milestones.order_by("position").values_list("title", flat=True))


def test_sonar_proposes_the_trajectory_of_the_projects_stage(client, staged, member):
    client.force_login(member)
    page = client.get(reverse("logbook:trajectory", args=[staged.pk]))
    assert "Du discours au premier essai" in page.text
    assert "Adopter cette trajectoire" in page.text


def test_without_a_stage_there_is_no_proposal(client, project, member, trajectory):
    client.force_login(member)
    page = client.get(reverse("logbook:trajectory", args=[project.pk]))
    assert "Indiquez d’abord l’étape du projet" in page.text
    response = client.post(reverse("logbook:adopt", args=[project.pk]), follow=True)
    assert "Indiquez d’abord l’étape du projet" in response.text
    assert not project.milestones.exists()


def test_adopting_copies_the_milestones_once(client, staged, member):
    client.force_login(member)
    client.post(reverse("logbook:adopt", args=[staged.pk]))
    client.post(reverse("logbook:adopt", args=[staged.pk]))
    assert titles(staged) == ["Choisir un problème concret", "Obtenir un soutien explicite"]
    assert all(m.milestone_id for m in staged.milestones.all())


def test_editing_the_reference_content_never_changes_an_adopted_milestone(
    client, staged, member, trajectory
):
    client.force_login(member)
    client.post(reverse("logbook:adopt", args=[staged.pk]))
    reference = Milestone.objects.get(trajectory=trajectory, key="choisir")
    reference.title_fr = "Titre réécrit par la rédaction"
    reference.save()
    assert titles(staged)[0] == "Choisir un problème concret"


def test_milestones_move_up_and_down_without_javascript(client, staged, member):
    client.force_login(member)
    client.post(reverse("logbook:adopt", args=[staged.pk]))
    second = staged.milestones.get(position=2)
    url = reverse("logbook:milestone", args=[staged.pk, second.pk])
    response = client.post(url, {"action": "up"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#balise-{second.pk}")
    assert titles(staged) == ["Obtenir un soutien explicite", "Choisir un problème concret"]
    client.post(url, {"action": "up"})  # already first: nothing moves
    assert titles(staged)[0] == "Obtenir un soutien explicite"
    client.post(url, {"action": "down"})
    assert titles(staged) == ["Choisir un problème concret", "Obtenir un soutien explicite"]


def test_ticking_says_who_and_when_and_unticking_is_kept_in_the_history(client, staged, member):
    client.force_login(member)
    client.post(reverse("logbook:adopt", args=[staged.pk]))
    milestone = staged.milestones.first()
    url = reverse("logbook:milestone", args=[staged.pk, milestone.pk])
    client.post(url, {"action": "tick"})
    milestone.refresh_from_db()
    assert milestone.done_by == member and milestone.done_at
    page = client.get(reverse("logbook:trajectory", args=[staged.pk]))
    assert "par Marc Membre" in page.text
    timeline = client.get(reverse("logbook:project", args=[staged.pk]))
    assert "Balise franchie\u00a0: Choisir un problème concret" in timeline.text
    client.post(url, {"action": "untick"})
    milestone.refresh_from_db()
    assert milestone.done_at is None
    assert [bool(r.snapshot["done_at"]) for r in milestone.revisions()] == [False, True, False]


def test_an_unknown_milestone_action_is_a_400(client, staged, member):
    client.force_login(member)
    client.post(reverse("logbook:adopt", args=[staged.pk]))
    milestone = staged.milestones.first()
    response = client.post(
        reverse("logbook:milestone", args=[staged.pk, milestone.pk]), {"action": "couler"}
    )
    assert response.status_code == 400


def test_the_team_adds_its_own_milestone_once_per_form(client, project, member):
    client.force_login(member)
    data = {"form_key": "cle-de-la-balise-maison", "title": "Présenter au conseil"}
    client.post(reverse("logbook:add-milestone", args=[project.pk]), data)
    client.post(reverse("logbook:add-milestone", args=[project.pk]), data)
    assert titles(project) == ["Présenter au conseil"]
    assert ProjectMilestone.objects.get().milestone is None


@pytest.mark.parametrize(
    "title, message",
    [("", "Donnez un titre à la balise."), ("b" * 201, "Ce texte est trop long")],
)
def test_a_bad_milestone_is_refused_with_the_text_kept(client, project, member, title, message):
    client.force_login(member)
    response = client.post(
        reverse("logbook:add-milestone", args=[project.pk]),
        {"form_key": "cle-de-la-balise-maison", "title": title, "description": "Ma description"},
    )
    assert response.status_code == 400
    assert message in response.text
    assert "Ma description" in response.text
    assert not project.milestones.exists()


def test_a_milestone_is_rewritten_in_the_teams_words_and_the_original_kept(client, staged, member):
    client.force_login(member)
    client.post(reverse("logbook:adopt", args=[staged.pk]))
    milestone = staged.milestones.first()
    url = reverse("logbook:milestone-edit", args=[staged.pk, milestone.pk])
    assert "Le texte d’origine reste dans l’historique." in client.get(url).text
    response = client.post(
        url, {"title": "Choisir la file d’attente", "description": "", "based_on": 1}
    )
    assert response.status_code == 302
    assert [r.snapshot["title"] for r in milestone.revisions()] == [
        "Choisir un problème concret",
        "Choisir la file d’attente",
    ]


def test_a_concurrent_milestone_edit_is_refused_and_keeps_both_texts(
    client, project, admin, member
):
    milestone, _created = actions.add_milestone(project, admin, "cle-de-la-balise-x" * 2, "Base")
    url = reverse("logbook:milestone-edit", args=[project.pk, milestone.pk])
    client.force_login(admin)
    client.post(url, {"title": "Titre d’Anne", "based_on": 1})
    client.force_login(member)
    response = client.post(url, {"title": "Titre de Marc", "based_on": 1})
    assert response.status_code == 409
    assert "Titre d’Anne" in response.text
    assert 'value="Titre de Marc"' in response.text
    milestone.refresh_from_db()
    assert milestone.title == "Titre d’Anne"


def test_a_milestone_of_another_project_cannot_be_edited_through_ours(
    client, project, admin, other_project, outsider
):
    theirs, _created = actions.add_milestone(other_project, outsider, "cle-autre-balise" * 2, "B")
    client.force_login(admin)
    url = reverse("logbook:milestone-edit", args=[project.pk, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "Écrasé", "based_on": 1}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "B"
