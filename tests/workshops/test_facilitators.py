"""Finding a workshop again: a signed-in facilitator's list, the workshops of this browser, the
secret link sent to oneself, and co-facilitators who can run it until their access is withdrawn."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from sonar.workshops import actions, mails
from sonar.workshops.models import Facilitation, Workshop
from tests.factories import UserFactory
from tests.workshops.conftest import as_facilitator, join

pytestmark = pytest.mark.django_db

FACILITATOR_PAGES = ["animation/", "projection/", "agregats.csv", "animation/acces/"]


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def create(client, title="Atelier du conseil"):
    response = client.post(
        "/ateliers/creer/", {"questionnaire": "style", "title": title, "mode": "paced"}
    )
    assert response.status_code == 302
    return Workshop.objects.get(title=title)


def signed_in(user):
    browser = Client()
    browser.force_login(user)
    return browser


def link_in(message):
    return re.search(r"https?://\S+/animer/\S+/", message.body).group(0)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


# A signed-in facilitator's workshops.


def test_a_workshop_created_while_signed_in_belongs_to_its_creator(quiz):
    user = UserFactory()
    workshop = create(signed_in(user))
    owner = workshop.facilitations.get()
    assert owner.role == Facilitation.Role.OWNER and owner.user == user


def test_a_signed_in_facilitator_finds_the_workshop_in_their_list_the_next_day(quiz):
    user = UserFactory()
    workshop = create(signed_in(user), "Séminaire des directions")
    join(workshop)
    join(workshop)
    Workshop.objects.filter(pk=workshop.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=1)
    )

    # The next day, another browser: no cookie, no link, only the account.
    tomorrow = signed_in(user)
    for page in ("/ateliers/", "/compte/"):
        listed = text(tomorrow.get(page))
        assert "Séminaire des directions" in listed, page
        assert f'href="/ateliers/{workshop.code}/animation/"' in listed, page
        row = listed.split("Séminaire des directions", 1)[1].split("</tr>", 1)[0]
        assert "ouvert" in row and "<td>2</td>" in row, page
    for page in FACILITATOR_PAGES:
        assert tomorrow.get(f"/ateliers/{workshop.code}/{page}").status_code == 200, page


def test_someone_elses_account_neither_lists_nor_opens_the_workshop(quiz):
    workshop = create(signed_in(UserFactory()), "Atelier d’Anne")
    other = signed_in(UserFactory())
    assert "Atelier d’Anne" not in text(other.get("/ateliers/"))
    assert other.get(f"/ateliers/{workshop.code}/animation/").status_code == 403


def test_the_list_says_closed_and_keeps_the_count_after_the_purge(quiz):
    user = UserFactory()
    workshop = create(signed_in(user), "Atelier purgé")
    join(workshop)
    actions.change(workshop, is_open=False)
    Workshop.objects.filter(pk=workshop.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=400)
    )
    actions.purge()
    row = text(signed_in(user).get("/ateliers/")).split("Atelier purgé", 1)[1].split("</tr>")[0]
    assert "clos" in row and "<td>1</td>" in row


# Anonymous creation.


def test_anonymous_creation_shows_the_whole_link_a_copy_button_and_the_mail_form(client, quiz):
    workshop = create(client)
    page = text(client.get(f"/ateliers/{workshop.code}/animation/"))
    link = re.search(r'<code id="secret-link"[^>]*>([^<]+)</code>', page).group(1)
    assert re.fullmatch(rf"https?://\S+/ateliers/{workshop.code}/animer/[\w-]{{32}}/", link)
    # Not in a text field that cuts it off: the whole link is text on the page.
    assert 'id="secret-link" class="secret__link" readonly' not in page
    assert 'data-copy="secret-link"' in page and "access.js" in page
    assert "M’envoyer ce lien par courriel" in page
    assert f'action="/ateliers/{workshop.code}/animation/acces/envoyer/"' in page


def test_the_workshops_created_in_this_browser_are_listed(client, quiz):
    first = create(client, "Premier atelier")
    second = create(client, "Second atelier")
    page = text(client.get("/ateliers/"))
    assert "Ateliers créés dans ce navigateur" in page
    assert page.index("Second atelier") < page.index("Premier atelier")
    assert f"/ateliers/{first.code}/animation/" in page and f"/ateliers/{second.code}/" in page
    assert "Ateliers créés dans ce navigateur" not in text(Client().get("/ateliers/"))


def test_the_facilitator_sends_the_link_to_herself(client, quiz):
    workshop = create(client, "Atelier à retrouver")
    response = client.post(
        f"/ateliers/{workshop.code}/animation/acces/envoyer/", {"email": "Moi@Ville.fr"}
    )
    assert response.status_code == 302
    (sent,) = mail.outbox
    assert sent.to == ["moi@ville.fr"]
    assert "Atelier à retrouver" in sent.body

    # The link in the e-mail opens the workshop in another browser.
    elsewhere = Client()
    assert elsewhere.get(path_of(link_in(sent))).status_code == 302
    assert elsewhere.get(f"/ateliers/{workshop.code}/animation/").status_code == 200


@pytest.mark.parametrize("address", ["", "pas-une-adresse", "a@b", "x" * 250 + "@ville.fr"])
def test_a_bad_address_gets_a_french_form_error_and_keeps_what_was_typed(client, quiz, address):
    workshop = create(client)
    response = client.post(
        f"/ateliers/{workshop.code}/animation/acces/envoyer/", {"email": address}
    )
    assert response.status_code == 400
    page = text(response)
    assert "adresse électronique" in page and 'class="field__error"' in page
    if address:
        assert f'value="{address}"' in page
    assert not mail.outbox


def test_sending_the_link_is_limited_per_client(client, quiz, monkeypatch):
    monkeypatch.setattr(mails, "PER_CLIENT", 2)
    workshop = create(client)
    url = f"/ateliers/{workshop.code}/animation/acces/envoyer/"
    for n in range(2):
        assert client.post(url, {"email": f"moi{n}@ville.fr"}).status_code == 302
    refused = client.post(url, {"email": "moi9@ville.fr"})
    assert refused.status_code == 429
    assert "réessayez plus tard" in text(refused)
    assert 'value="moi9@ville.fr"' in text(refused)
    assert len(mail.outbox) == 2


def test_sending_to_one_address_is_limited(client, quiz):
    workshop = create(client)
    url = f"/ateliers/{workshop.code}/animation/acces/envoyer/"
    for _n in range(mails.PER_ADDRESS):
        assert client.post(url, {"email": "moi@ville.fr"}).status_code == 302
    assert client.post(url, {"email": "moi@ville.fr"}).status_code == 429
    assert len(mail.outbox) == mails.PER_ADDRESS


# Co-facilitators.


def test_a_cofacilitator_can_run_the_workshop_and_loses_access_once_withdrawn(client, quiz):
    workshop = create(client, "Atelier à deux")
    added = client.post(
        f"/ateliers/{workshop.code}/animation/acces/co-animation/", {"email": "co@ville.fr"}
    )
    assert added.status_code == 302
    (sent,) = mail.outbox
    assert sent.to == ["co@ville.fr"]
    own_link = link_in(sent)
    # Her own link, not the creator's.
    assert (
        own_link.rstrip("/").rsplit("/", 1)[-1]
        != client.cookies[f"sonar-animation-{workshop.code}"].value
    )

    co = Client()
    assert co.get(path_of(own_link)).status_code == 302
    for page in FACILITATOR_PAGES:
        assert co.get(f"/ateliers/{workshop.code}/{page}").status_code == 200, page
    run = co.post(f"/ateliers/{workshop.code}/animation/commande/", {"action": "next"})
    assert run.status_code == 302
    workshop.refresh_from_db()
    assert workshop.current == 1

    facilitation = workshop.facilitations.get(email="co@ville.fr")
    withdrawn = client.post(
        f"/ateliers/{workshop.code}/animation/acces/co-animation/{facilitation.pk}/retirer/"
    )
    assert withdrawn.status_code == 302
    for page in FACILITATOR_PAGES:
        assert co.get(f"/ateliers/{workshop.code}/{page}").status_code == 403, page
    assert (
        co.post(f"/ateliers/{workshop.code}/animation/commande/", {"action": "next"}).status_code
        == 403
    )
    # Her link no longer opens it either; the creator's still does.
    assert Client().get(path_of(own_link)).status_code == 403
    assert client.get(f"/ateliers/{workshop.code}/animation/").status_code == 200


def test_a_cofacilitator_with_an_account_finds_the_workshop_in_her_list(client, quiz):
    workshop = create(client, "Atelier partagé")
    colleague = UserFactory(email="collegue@ville.fr")
    actions.add_cofacilitator(workshop, "Collegue@Ville.fr")
    browser = signed_in(colleague)
    assert "Atelier partagé" in text(browser.get("/compte/"))
    assert browser.get(f"/ateliers/{workshop.code}/animation/").status_code == 200

    actions.withdraw_facilitation(workshop, workshop.facilitations.get().pk)
    assert "Atelier partagé" not in text(browser.get("/compte/"))
    assert browser.get(f"/ateliers/{workshop.code}/animation/").status_code == 403


@pytest.mark.parametrize("address", ["", "pas une adresse", "co@", "@ville.fr"])
def test_a_bad_cofacilitator_address_is_a_french_form_error(client, quiz, address):
    workshop = create(client)
    response = client.post(
        f"/ateliers/{workshop.code}/animation/acces/co-animation/", {"email": address}
    )
    assert response.status_code == 400
    assert "adresse électronique" in text(response)
    assert not workshop.facilitations.exists() and not mail.outbox


def test_the_same_address_is_not_added_twice(client, quiz):
    workshop = create(client)
    url = f"/ateliers/{workshop.code}/animation/acces/co-animation/"
    client.post(url, {"email": "co@ville.fr"})
    again = client.post(url, {"email": "CO@ville.fr"})
    assert again.status_code == 409
    assert "co-anime déjà" in text(again)
    assert workshop.facilitations.count() == 1


def test_a_cofacilitator_cannot_add_or_withdraw_others(client, quiz):
    workshop = create(client)
    client.post(f"/ateliers/{workshop.code}/animation/acces/co-animation/", {"email": "a@ville.fr"})
    co = Client()
    co.get(path_of(link_in(mail.outbox[0])))
    refused = co.post(
        f"/ateliers/{workshop.code}/animation/acces/co-animation/", {"email": "b@ville.fr"}
    )
    assert refused.status_code == 403
    first = workshop.facilitations.get()
    assert (
        co.post(
            f"/ateliers/{workshop.code}/animation/acces/co-animation/{first.pk}/retirer/"
        ).status_code
        == 403
    )
    assert workshop.facilitations.active().count() == 1


def test_a_facilitation_of_another_workshop_cannot_be_withdrawn_from_this_one(client, quiz):
    mine = create(client, "Le mien")
    other = create(Client(), "L’autre")
    theirs = actions.add_cofacilitator(other, "co@ville.fr")
    response = client.post(
        f"/ateliers/{mine.code}/animation/acces/co-animation/{theirs.pk}/retirer/"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None


def test_the_cofacilitation_mail_quotes_the_title_without_a_working_link(client, quiz):
    workshop = create(client, "Gagnez vite sur www.arnaque.example")
    client.post(
        f"/ateliers/{workshop.code}/animation/acces/co-animation/", {"email": "co@ville.fr"}
    )
    (sent,) = mail.outbox
    assert "www.arnaque.example" not in sent.body
    assert "arnaque[.]example" in sent.body


def test_the_owner_account_manages_cofacilitators_without_the_creation_link(quiz):
    user = UserFactory()
    workshop = create(signed_in(user))
    browser = signed_in(user)  # another browser: the account only
    response = browser.post(
        f"/ateliers/{workshop.code}/animation/acces/co-animation/", {"email": "co@ville.fr"}
    )
    assert response.status_code == 302
    assert user.email in mail.outbox[0].body  # the e-mail names who added her


def test_as_facilitator_helper_still_opens_the_access_page(client, workshop):
    as_facilitator(client, workshop)
    page = text(client.get(f"/ateliers/{workshop.code}/animation/acces/"))
    assert "Ce navigateur détient le lien secret de création" in page
