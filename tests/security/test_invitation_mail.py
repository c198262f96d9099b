"""Invitation e-mails (organisations and logbook teams) cannot be turned into a mailing tool:
they are limited per sender and per address, their links start with SONAR_BASE_URL whatever
Host the request named, their subject carries no text the sender chose, the texts the sender
chose (her name, a title) come quoted on one short line with no working link, and they leave
only once the invitation is committed (issue 12, findings 7 and 8)."""

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from sonar.accounts import limits
from sonar.accounts.models import Organisation
from sonar.logbook import actions as logbook_actions
from sonar.logbook.models import Project
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://sonar.exemple-metropole.fr"
SPAM = "Gagnez un iPhone sur https://arnaque.example/cadeau ou www.arnaque.example"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.SONAR_BASE_URL = BASE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "piege.example"]


@pytest.fixture
def anne(db):
    return UserFactory(email="anne@exemple-metropole.fr", name="Anne Admin")


@pytest.fixture
def project(anne):
    project, _ = logbook_actions.create_project(
        anne, "cle-invitations-securite", title="Accueil", kind="service", about="…",
        organisation=None,
    )  # fmt: skip
    return project


@pytest.fixture
def organisation(anne):
    return MembershipFactory(user=anne, organisation__name="Lab 42", admin=True).organisation


def invite_to_project(project, user, email, host="testserver"):
    browser = Client(HTTP_HOST=host)
    browser.force_login(user)
    url = reverse("logbook:invite", args=[project.pk])
    return browser.post(url, {"email": email, "role": "member"})


def invite_to_organisation(organisation, user, email, host="testserver"):
    browser = Client(HTTP_HOST=host)
    browser.force_login(user)
    url = reverse("accounts:organisation_invite", args=[organisation.slug])
    return browser.post(url, {"email": email, "role": "member"})


INVITE = {"project": invite_to_project, "organisation": invite_to_organisation}


@pytest.fixture(params=sorted(INVITE))
def invitation_to(request, project, organisation):
    """(kind, send(user, email, host=...)) for each thing one can invite to."""
    target = {"project": project, "organisation": organisation}[request.param]
    send = INVITE[request.param]
    return request.param, lambda user, email, **kw: send(target, user, email, **kw)


def test_the_link_starts_with_the_base_url_whatever_host_the_request_named(anne, invitation_to):
    _kind, send = invitation_to
    assert send(anne, "zoe@ville.fr", host="piege.example").status_code == 302
    [message] = mail.outbox
    assert f"{BASE}/" in message.body
    assert "piege.example" not in message.body


def test_the_subject_carries_no_text_the_sender_chose(anne, project, organisation):
    Project.objects.filter(pk=project.pk).update(title=SPAM)
    organisation.name = SPAM
    organisation.save()
    invite_to_project(project, anne, "zoe@ville.fr")
    invite_to_organisation(organisation, anne, "zoe@ville.fr")
    assert [m.subject for m in mail.outbox] == [
        "Invitation à rejoindre l’équipe d’un carnet de bord sur Sonar",
        "Invitation à rejoindre une organisation sur Sonar",
    ]


def test_a_line_break_in_a_title_sends_a_one_line_e_mail_not_an_error(anne, project):
    Project.objects.filter(pk=project.pk).update(title="Accueil\r\nBcc: tous@exemple.fr")
    response = invite_to_project(project, anne, "zoe@ville.fr")
    assert response.status_code == 302
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.bcc == []
    assert "« Accueil Bcc: tous@exemple[.]fr »" in message.body.replace("\u00a0", " ")


def test_the_texts_the_sender_chose_carry_no_working_link(
    anne, invitation_to, project, organisation
):
    _kind, send = invitation_to
    anne.name = SPAM
    anne.save()
    Project.objects.filter(pk=project.pk).update(title=SPAM)
    Organisation.objects.filter(pk=organisation.pk).update(name=SPAM)
    send(anne, "zoe@ville.fr")
    [message] = mail.outbox
    assert "https://arnaque.example" not in message.body
    assert "www.arnaque.example" not in message.body
    assert "arnaque[.]example" in message.body
    # The sender is named by her confirmed address too.
    assert "anne@exemple-metropole.fr" in message.body


def test_a_long_text_of_the_sender_is_cut_short(anne, project):
    Project.objects.filter(pk=project.pk).update(title="Achetez " * 24)
    invite_to_project(project, anne, "zoe@ville.fr")
    [message] = mail.outbox
    assert "Achetez " * 12 not in message.body
    assert "…" in message.body


def test_one_sender_sends_a_limited_number_of_invitations_an_hour(anne, invitation_to):
    _kind, send = invitation_to
    for n in range(limits.PER_SENDER):
        assert send(anne, f"personne{n}@ville.fr").status_code == 302
    response = send(anne, "encore@ville.fr")
    assert response.status_code == 400
    assert f"Vous avez envoyé {limits.PER_SENDER} invitations en moins d’une heure" in (
        response.content.decode().replace("\u00a0", " ")
    )
    assert len(mail.outbox) == limits.PER_SENDER


def test_one_address_receives_a_limited_number_of_invitations_an_hour(anne, project):
    senders = [UserFactory() for _ in range(limits.PER_ADDRESS + 1)]
    organisations = [MembershipFactory(user=s, admin=True).organisation for s in senders]
    answers = [
        invite_to_organisation(o, s, "zoe@ville.fr")
        for o, s in zip(organisations, senders, strict=True)
    ]
    assert [a.status_code for a in answers] == [302] * limits.PER_ADDRESS + [400]
    assert "Cette adresse a déjà reçu" in answers[-1].content.decode()
    assert len(mail.outbox) == limits.PER_ADDRESS


@pytest.mark.django_db(transaction=True)
def test_no_e_mail_leaves_for_an_invitation_that_was_rolled_back():
    anne = UserFactory()
    project, _ = logbook_actions.create_project(
        anne, "cle-annulee", title="Accueil", kind="service", about="…", organisation=None
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        logbook_actions.invite(project, anne, "zoe@ville.fr", "member")
        raise RuntimeError("the request failed after the invitation")
    assert mail.outbox == []
