"""Inviting someone into an organisation: an e-mail with a single-use link; accepting needs an
account with the invited address; expired, withdrawn or used links say so in French."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sonar.accounts.models import Membership, OrganisationInvitation
from tests.accounts.conftest import link_in, text
from tests.factories import PASSWORD, MembershipFactory, UserFactory


@pytest.fixture
def admin(db):
    return MembershipFactory(admin=True, user__name="Anne", organisation__name="Lab 42")


def invite(client, admin, email="zoe@ville.fr", role="editor"):
    client.force_login(admin.user)
    url = reverse("accounts:organisation_invite", args=[admin.organisation.slug])
    return client.post(url, {"email": email, "role": role}, follow=True)


@pytest.fixture
def issued(admin):
    invitation, token = OrganisationInvitation.issue(
        organisation=admin.organisation, email="zoe@ville.fr", role="editor", invited_by=admin.user
    )
    return invitation, reverse("accounts:invitation", args=[token])


def test_an_admin_invites_by_e_mail(client, admin):
    response = invite(client, admin, email="Zoe@Ville.fr")
    assert "Invitation envoyée à zoe@ville.fr." in text(response)
    assert "zoe@ville.fr" in text(response)  # listed among pending invitations
    [message] = mail.outbox
    assert message.to == ["zoe@ville.fr"]
    assert message.subject == "Invitation à rejoindre une organisation sur Sonar"
    assert (
        f"Anne ({admin.user.email}) vous invite à rejoindre l’organisation « Lab 42 » sur Sonar, "
        "comme éditeur." in message.body.replace("\u00a0", " ")
    )
    assert link_in(message).startswith("/compte/invitations/")
    invitation = OrganisationInvitation.objects.get()
    assert invitation.token_digest not in message.body


def test_a_double_submit_sends_one_invitation(client, admin):
    invite(client, admin)
    response = invite(client, admin)
    assert OrganisationInvitation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert "Une invitation attend déjà la réponse de zoe@ville.fr." in text(response)


def test_inviting_a_member_again_is_refused_next_to_the_field(client, admin):
    MembershipFactory(organisation=admin.organisation, user__email="zoe@ville.fr")
    response = invite(client, admin)
    assert response.status_code == 400
    assert "Cette personne est déjà membre de l’organisation." in text(response)
    assert 'value="zoe@ville.fr"' in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Saisissez votre adresse électronique."),
        ({"email": "zoe", "role": "member"}, "Saisissez une adresse électronique valide"),
        ({"email": "z" * 300 + "@ville.fr", "role": "member"}, "Cette adresse est trop longue"),
        ({"email": "zoe@ville.fr", "role": "owner"}, "Choisissez un rôle dans la liste."),
    ],
    ids=["empty", "bad-address", "huge", "unknown-role"],
)
def test_bad_invitations_get_messages(client, admin, data, message):
    client.force_login(admin.user)
    url = reverse("accounts:organisation_invite", args=[admin.organisation.slug])
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in text(response)
    assert not OrganisationInvitation.objects.exists()


def test_the_invited_person_accepts_once_logged_in_with_the_invited_address(client, issued):
    _invitation, url = issued
    zoe = UserFactory(email="zoe@ville.fr")
    client.force_login(zoe)
    page = client.get(url)
    assert "Vous êtes invité comme éditeur, à l’adresse zoe@ville.fr." in text(page)
    assert not Membership.objects.filter(user=zoe).exists()  # GET never writes
    response = client.post(url, follow=True)
    assert "Bienvenue dans Lab 42." in text(response)
    assert Membership.objects.get(user=zoe).role == "editor"


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(client, issued):
    _invitation, url = issued
    page = client.get(url)
    login = reverse("accounts:login") + "?next=" + url
    assert login in page.content.decode()
    UserFactory(email="zoe@ville.fr")
    response = client.post(
        reverse("accounts:login") + "?next=" + url,
        {"username": "zoe@ville.fr", "password": PASSWORD},
    )
    assert response.url == url


def test_signing_up_from_an_invitation_comes_back_to_it_after_confirmation(client, issued):
    invitation, url = issued
    client.post(reverse("accounts:signup"), {"email": "zoe@ville.fr", "next": url})
    response = client.post(link_in(mail.outbox[-1]), {"password1": PASSWORD, "password2": PASSWORD})
    assert response.url == url
    assert client.post(url).url == invitation.organisation.get_absolute_url()


def test_someone_logged_in_with_another_address_cannot_accept(client, issued):
    invitation, url = issued
    client.force_login(UserFactory(email="intrus@ville.fr"))
    response = client.post(url)
    assert response.status_code == 403
    assert "Cette invitation a été envoyée à zoe@ville.fr" in text(response)
    assert not Membership.objects.filter(user__email="intrus@ville.fr").exists()
    invitation.refresh_from_db()
    assert invitation.state == "open"


def test_a_used_invitation_cannot_be_used_again(client, issued):
    _invitation, url = issued
    zoe = UserFactory(email="zoe@ville.fr")
    client.force_login(zoe)
    client.post(url)
    Membership.objects.filter(user=zoe).delete()
    response = client.post(url)
    assert response.status_code == 410
    assert "Cette invitation a déjà été utilisée." in text(response)
    assert not Membership.objects.filter(user=zoe).exists()


def test_an_expired_invitation_says_so(client, issued):
    invitation, url = issued
    OrganisationInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(UserFactory(email="zoe@ville.fr"))
    response = client.post(url)
    assert response.status_code == 410
    assert "Cette invitation a expiré." in text(response)
    assert not Membership.objects.filter(user__email="zoe@ville.fr").exists()


def test_a_withdrawn_invitation_says_so(client, admin, issued):
    invitation, url = issued
    client.force_login(admin.user)
    client.post(
        reverse("accounts:invitation_withdraw", args=[admin.organisation.slug, invitation.pk])
    )
    client.force_login(UserFactory(email="zoe@ville.fr"))
    response = client.post(url)
    assert response.status_code == 410
    assert "Cette invitation a été retirée" in text(response)


@pytest.mark.parametrize("token", ["abc", "x" * 40, "y" * 300])
def test_a_wrong_token_gets_a_french_404(client, db, token):
    response = client.get(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 404
    assert "Ce lien d’invitation n’est pas valable." in text(response)


def test_a_member_who_is_invited_again_keeps_their_role(client, admin, issued):
    _invitation, url = issued
    zoe = MembershipFactory(organisation=admin.organisation, user__email="zoe@ville.fr", admin=True)
    client.force_login(zoe.user)
    client.post(url)
    zoe.refresh_from_db()
    assert zoe.role == "admin"
