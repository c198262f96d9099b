"""Who sees and changes a logbook: every rule, tried by someone it should stop."""

import pytest
from django.urls import reverse

from sonar.core.models import Revision
from sonar.logbook import actions
from sonar.logbook.models import ProjectInvitation
from tests.logbook.conftest import make_experiment, make_milestone

SECRET = "Accueil des nouveaux habitants"


@pytest.fixture
def things(project, admin):
    experiment = make_experiment(project, admin)
    milestone = make_milestone(project, admin)
    invitation, _token = ProjectInvitation.issue(
        project=project, email="invitee@exemple-metropole.fr", invited_by=admin
    )
    return {"experiment": experiment, "milestone": milestone, "invitation": invitation}


def page_urls(project, things):
    pk = project.pk
    return {
        "project": reverse("logbook:project", args=[pk]),
        "edit": reverse("logbook:edit", args=[pk]),
        "history": reverse("logbook:history", args=[pk]),
        "team": reverse("logbook:team", args=[pk]),
        "positioning": reverse("logbook:positioning", args=[pk]),
        "trajectory": reverse("logbook:trajectory", args=[pk]),
        "experiment-create": reverse("logbook:experiment-create", args=[pk]),
        "experiment": reverse("logbook:experiment", args=[pk, things["experiment"].pk]),
        "experiment-edit": reverse("logbook:experiment-edit", args=[pk, things["experiment"].pk]),
        "milestone-edit": reverse("logbook:milestone-edit", args=[pk, things["milestone"].pk]),
        "markdown": reverse("logbook:markdown", args=[pk]),
        "pdf": reverse("logbook:pdf", args=[pk]),
    }


PAGES = [
    "project", "edit", "history", "team", "positioning", "trajectory", "experiment-create",
    "experiment", "experiment-edit", "milestone-edit", "markdown", "pdf",
]  # fmt: skip


def log_in(client, who, users):
    if who != "anonymous":
        client.force_login(users[who])
    return client


@pytest.fixture
def users(admin, member, outsider):
    return {"admin": admin, "member": member, "outsider": outsider}


@pytest.mark.parametrize("name", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in_and_sees_nothing(client, project, things, name):
    response = client.get(page_urls(project, things)[name])
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_someone_outside_the_team_gets_a_404_without_the_content(
    client, project, things, outsider, name
):
    client.force_login(outsider)
    response = client.get(page_urls(project, things)[name])
    assert response.status_code == 404
    assert SECRET.encode() not in response.content


@pytest.mark.parametrize("who", ["member", "admin"])
@pytest.mark.parametrize("name", PAGES)
def test_team_members_see_every_page(client, project, things, users, who, name):
    log_in(client, who, users)
    response = client.get(page_urls(project, things)[name])
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")


def admin_posts(project, things, member):
    pk = project.pk
    return {
        "invite": (
            reverse("logbook:invite", args=[pk]),
            {"email": "nouvelle@exemple-metropole.fr", "role": "member"},
        ),
        "role": (reverse("logbook:role", args=[pk, member.pk]), {"role": "admin"}),
        "remove": (reverse("logbook:remove", args=[pk, member.pk]), {}),
        "withdraw": (reverse("logbook:withdraw", args=[pk, things["invitation"].pk]), {}),
        "share": (reverse("logbook:share", args=[pk]), {"action": "create"}),
    }


ADMIN_ACTIONS = ["invite", "role", "remove", "withdraw", "share"]


def team_state(project):
    project.refresh_from_db()
    return (
        sorted(project.members.values_list("user_id", "role")),
        sorted(project.invitations.values_list("email", "withdrawn_at")),
        project.share_token,
    )


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("outsider", 404), ("member", 403)])
@pytest.mark.parametrize("action", ADMIN_ACTIONS)
def test_only_admins_manage_the_team_and_the_share_link(
    client, project, things, users, mailoutbox, who, status, action
):
    membership = project.members.get(user=users["member"])
    url, data = admin_posts(project, things, membership)[action]
    before = team_state(project)
    log_in(client, who, users)
    response = client.post(url, data)
    assert response.status_code == status
    assert team_state(project) == before
    assert mailoutbox == []


@pytest.mark.parametrize("action", ADMIN_ACTIONS)
def test_an_admin_may_manage_the_team_and_the_share_link(
    client, project, things, users, mailoutbox, action
):
    membership = project.members.get(user=users["member"])
    url, data = admin_posts(project, things, membership)[action]
    before = team_state(project)
    client.force_login(users["admin"])
    response = client.post(url, data)
    assert response.status_code == 302
    assert team_state(project) != before


def member_posts(project, things):
    pk = project.pk
    return {
        "edit": reverse("logbook:edit", args=[pk]),
        "experiment-create": reverse("logbook:experiment-create", args=[pk]),
        "experiment-edit": reverse("logbook:experiment-edit", args=[pk, things["experiment"].pk]),
        "positioning": reverse("logbook:positioning", args=[pk]),
        "adopt": reverse("logbook:adopt", args=[pk]),
        "add-milestone": reverse("logbook:add-milestone", args=[pk]),
        "milestone": reverse("logbook:milestone", args=[pk, things["milestone"].pk]),
    }


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("outsider", 404)])
@pytest.mark.parametrize(
    "name",
    ["edit", "experiment-create", "experiment-edit", "positioning", "adopt", "add-milestone",
     "milestone"],
)  # fmt: skip
def test_no_one_outside_the_team_writes_in_the_logbook(
    client, project, things, users, who, status, name
):
    before = Revision.objects.count()
    log_in(client, who, users)
    data = {
        "title": "Piraté",
        "kind": "policy",
        "about": "Piraté",
        "hypothesis": "Piraté",
        "form_key": "x" * 20,
        "based_on": "1",
        "action": "tick",
        "source": "hand",
        "stage": "a-quai",
    }
    response = client.post(member_posts(project, things)[name], data)
    assert response.status_code == status
    assert Revision.objects.count() == before
    assert project.positionings.count() == 0


@pytest.fixture
def forged(other_project, outsider):
    """Things of another team's project, to be asked for through our project's addresses."""
    experiment = make_experiment(other_project, outsider, key="autre-experience")
    milestone = make_milestone(other_project, outsider, key="autre-balise")
    invitation, _token = ProjectInvitation.issue(
        project=other_project, email="x@exemple-metropole.fr", invited_by=outsider
    )
    their_admin = other_project.members.get(user=outsider)
    return {
        "experiment": experiment,
        "milestone": milestone,
        "invitation": invitation,
        "member": their_admin,
    }


@pytest.mark.parametrize(
    "method, name, kind",
    [
        ("get", "logbook:experiment", "experiment"),
        ("get", "logbook:experiment-edit", "experiment"),
        ("post", "logbook:experiment-edit", "experiment"),
        ("post", "logbook:milestone", "milestone"),
        ("post", "logbook:withdraw", "invitation"),
        ("post", "logbook:role", "member"),
        ("post", "logbook:remove", "member"),
    ],
)
def test_a_forged_id_from_another_project_is_a_404(
    client, project, admin, forged, other_project, method, name, kind
):
    client.force_login(admin)
    url = reverse(name, args=[project.pk, forged[kind].pk])
    data = {"hypothesis": "Écrasé", "based_on": "1", "action": "tick", "role": "member"}
    response = getattr(client, method)(url, data)
    assert response.status_code == 404
    assert b"autre" not in response.content.lower().replace(b"autres", b"")
    forged[kind].refresh_from_db()
    assert other_project.members.filter(user=forged["member"].user, role="admin").exists()
    assert forged["invitation"].withdrawn_at is None
    forged["milestone"].refresh_from_db()
    assert forged["milestone"].done_at is None
    forged["experiment"].refresh_from_db()
    assert forged["experiment"].hypothesis != "Écrasé"


@pytest.mark.parametrize(
    "name", ["invite", "role", "remove", "withdraw", "share", "adopt", "add-milestone"]
)
def test_get_never_writes_on_an_address_that_only_takes_post(client, project, things, admin, name):
    client.force_login(admin)
    membership = project.members.get(user=admin)
    urls = {k: v[0] for k, v in admin_posts(project, things, membership).items()}
    urls.update(member_posts(project, things))
    before = (Revision.objects.count(), team_state(project))
    response = client.get(urls[name])
    assert response.status_code == 405
    assert (Revision.objects.count(), team_state(project)) == before


def test_the_share_link_opens_the_logbook_logged_out_without_any_email(client, project, admin):
    make_experiment(
        project, admin, hypothesis="Une hypothèse partagée.", learnt="Ce que l’équipe a appris."
    )
    actions.share(project, "create")
    response = client.get(reverse("logbook:shared", args=[project.share_token]))
    assert response.status_code == 200
    assert SECRET in response.text
    assert "Une hypothèse partagée." in response.text
    assert "Ce que l’équipe a appris." in response.text
    assert "@" not in response.text.replace("@media", "")
    assert response["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in response.text


@pytest.mark.parametrize("name", ["logbook:shared-markdown", "logbook:shared-pdf"])
def test_the_share_link_exports_work_logged_out(client, project, name):
    actions.share(project, "create")
    response = client.get(reverse(name, args=[project.share_token]))
    assert response.status_code == 200


def test_the_share_link_gives_no_access_to_the_team_pages(client, project):
    actions.share(project, "create")
    client.get(reverse("logbook:shared", args=[project.share_token]))
    response = client.get(reverse("logbook:project", args=[project.pk]))
    assert response.status_code == 302


def test_a_disabled_share_link_no_longer_works(client, project):
    actions.share(project, "create")
    token = project.share_token
    actions.share(project, "disable")
    response = client.get(reverse("logbook:shared", args=[token]))
    assert response.status_code == 404
    assert SECRET not in response.text


def test_a_regenerated_share_link_replaces_the_old_one(client, project):
    actions.share(project, "create")
    old = project.share_token
    actions.share(project, "regenerate")
    assert project.share_token != old
    assert client.get(reverse("logbook:shared", args=[old])).status_code == 404
    assert client.get(reverse("logbook:shared", args=[project.share_token])).status_code == 200


@pytest.mark.parametrize("token", ["", "x" * 20, "a" * 64, "court"])
def test_a_guessed_share_token_is_a_404(client, project, token):
    actions.share(project, "create")
    assert client.get(f"/carnets/partage/{token}/").status_code == 404


def test_my_projects_lists_only_mine(client, project, other_project, member):
    client.force_login(member)
    response = client.get(reverse("logbook:index"))
    assert SECRET in response.text
    assert "Projet d’une autre équipe" not in response.text


def test_logbooks_tell_an_anonymous_visitor_what_they_are_and_how_to_get_one(client):
    response = client.get(reverse("logbook:index"))
    assert response.status_code == 200
    assert "Un carnet de bord pour chaque projet" in response.text
    assert reverse("accounts:signup") in response.text
    assert reverse("accounts:login") in response.text
    assert "Créer un projet" not in response.text


def test_the_member_list_shows_roles_to_a_plain_member_without_admin_buttons(
    client, project, member
):
    client.force_login(member)
    response = client.get(reverse("logbook:team", args=[project.pk]))
    assert "Anne Admin" in response.text
    assert "Envoyer l’invitation" not in response.text
    assert "Retirer de l’équipe" not in response.text
