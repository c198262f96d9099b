"""Inviting people by e-mail, accepting, roles, and the last admin who stays."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sonar.logbook import actions
from sonar.logbook.models import ProjectInvitation, ProjectMember
from tests.factories import UserFactory

NEWCOMER = "nouvelle@exemple-metropole.fr"


def invite(client, project, email=NEWCOMER, role="member"):
    return client.post(reverse("logbook:invite", args=[project.pk]), {"email": email, "role": role})


def test_an_invitation_sends_a_french_email_with_a_link(client, project, admin, mailoutbox):
    client.force_login(admin)
    response = invite(client, project)
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [NEWCOMER]
    assert mail.subject == "Invitation à rejoindre l’équipe d’un carnet de bord sur Sonar"
    assert (
        "Anne Admin (admin@exemple-metropole.fr) vous invite à rejoindre l’équipe du projet "
        "« Accueil des nouveaux habitants »" in mail.body.replace("\u00a0", " ")
    )
    assert "/carnets/invitation/" in mail.body
    assert ProjectInvitation.objects.get().email == NEWCOMER


@pytest.mark.parametrize(
    "email, message",
    [
        ("", "Saisissez l’adresse de la personne à inviter."),
        ("pas-une-adresse", "Saisissez une adresse électronique valide"),
        ("membre@exemple-metropole.fr", "Cette personne fait déjà partie de l’équipe."),
    ],
)
def test_a_bad_invitation_says_why_and_keeps_the_address(
    client, project, admin, member, mailoutbox, email, message
):
    client.force_login(admin)
    response = invite(client, project, email)
    assert response.status_code == 400
    assert message in response.text
    assert f'value="{email}"' in response.text or not email
    assert mailoutbox == []


def accept_link(mail):
    return next(w for w in mail.body.split() if "/carnets/invitation/" in w)


def test_the_invited_person_joins_with_the_role(client, project, admin, mailoutbox):
    client.force_login(admin)
    invite(client, project, role="admin")
    link = accept_link(mailoutbox[0])
    newcomer = UserFactory(email=NEWCOMER)
    client.force_login(newcomer)
    page = client.get(link)
    assert "Accueil des nouveaux habitants" in page.text
    assert not project.members.filter(user=newcomer).exists()  # GET never writes
    response = client.post(link)
    assert response.status_code == 302
    assert project.members.get(user=newcomer).role == ProjectMember.Role.ADMIN


def test_accepting_requires_logging_in(client, project, admin, mailoutbox):
    client.force_login(admin)
    invite(client, project)
    link = accept_link(mailoutbox[0])
    client.logout()
    response = client.get(link)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_another_account_cannot_use_the_invitation(client, project, admin, outsider, mailoutbox):
    client.force_login(admin)
    invite(client, project)
    link = accept_link(mailoutbox[0])
    client.force_login(outsider)
    page = client.get(link)
    assert "envoyée à une autre adresse" in page.text
    assert "Accueil des nouveaux habitants" not in page.text
    response = client.post(link)
    assert response.status_code == 400
    assert not project.members.filter(user=outsider).exists()
    assert ProjectInvitation.objects.get().state == "open"


@pytest.fixture
def issued(project, admin):
    invitation, token = ProjectInvitation.issue(project=project, email=NEWCOMER, invited_by=admin)
    return invitation, reverse("logbook:accept", args=[token])


@pytest.mark.parametrize(
    "spoil, message",
    [
        ("expire", "Cette invitation a expiré."),
        ("withdraw", "Cette invitation a été retirée"),
        ("use", "Cette invitation a déjà été utilisée."),
    ],
)
def test_a_spent_invitation_explains_itself(client, project, issued, spoil, message):
    invitation, link = issued
    if spoil == "expire":
        invitation.expires_at = timezone.now() - timezone.timedelta(minutes=1)
        invitation.save()
    elif spoil == "withdraw":
        actions.withdraw(invitation)
    else:
        first = UserFactory(email=NEWCOMER)
        actions.accept(invitation, first)
    newcomer = UserFactory(email="second@exemple-metropole.fr")
    invitation.email = newcomer.email
    ProjectInvitation.objects.filter(pk=invitation.pk).update(email=newcomer.email)
    client.force_login(newcomer)
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert message in response.text
    assert not project.members.filter(user=newcomer).exists()


def test_an_unknown_invitation_link_is_a_404(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("logbook:accept", args=["x" * 32]))
    assert response.status_code == 404
    assert "Ce lien d’invitation n’est pas valable." in response.text


def test_a_new_invitation_to_the_same_address_withdraws_the_previous_one(
    client, project, admin, mailoutbox
):
    client.force_login(admin)
    invite(client, project)
    invite(client, project)
    first, second = ProjectInvitation.objects.order_by("created_at", "pk")
    assert first.state == "withdrawn"
    assert second.state == "open"


def test_the_last_admin_cannot_leave_nor_become_a_member(client, project, admin):
    client.force_login(admin)
    mine = project.members.get(user=admin)
    client.post(reverse("logbook:remove", args=[project.pk, mine.pk]), follow=True)
    response = client.post(
        reverse("logbook:role", args=[project.pk, mine.pk]), {"role": "member"}, follow=True
    )
    assert "Le projet doit garder au moins un administrateur" in response.text
    mine.refresh_from_db()
    assert mine.is_admin


def test_an_admin_can_leave_once_another_admin_is_named(client, project, admin, member):
    client.force_login(admin)
    theirs = project.members.get(user=member)
    client.post(reverse("logbook:role", args=[project.pk, theirs.pk]), {"role": "admin"})
    mine = project.members.get(user=admin)
    response = client.post(reverse("logbook:remove", args=[project.pk, mine.pk]))
    assert response["Location"] == reverse("logbook:index")
    assert not project.members.filter(user=admin).exists()
    assert client.get(reverse("logbook:project", args=[project.pk])).status_code == 404


def test_an_unknown_role_is_refused(client, project, admin, member):
    client.force_login(admin)
    theirs = project.members.get(user=member)
    response = client.post(
        reverse("logbook:role", args=[project.pk, theirs.pk]), {"role": "capitaine"}, follow=True
    )
    assert "Choisissez membre ou administrateur." in response.text
    theirs.refresh_from_db()
    assert theirs.role == "member"


def test_the_only_admin_is_not_offered_actions_that_would_be_refused(
    client, project, admin, member
):
    client.force_login(admin)
    page = client.get(reverse("logbook:team", args=[project.pk])).text
    mine = project.members.get(user=admin)
    theirs = project.members.get(user=member)
    assert reverse("logbook:remove", args=[project.pk, mine.pk]) not in page
    assert reverse("logbook:role", args=[project.pk, mine.pk]) not in page
    assert "Seul administrateur du projet" in page
    # The other member's actions stay.
    assert reverse("logbook:remove", args=[project.pk, theirs.pk]) in page
    client.post(reverse("logbook:role", args=[project.pk, theirs.pk]), {"role": "admin"})
    page = client.get(reverse("logbook:team", args=[project.pk])).text
    assert reverse("logbook:remove", args=[project.pk, mine.pk]) in page
