"""No address a visitor can type or be sent makes Sonar send them to another site.

What drives a redirect or a link to "where you were": `next` on log-in, sign-up (carried in the
confirmation link) and log-out; the language switch (built from the current address, on every
page, the 404 page included); log-in-required pages (`login_required` adds `next`). The other
redirects of the apps (grep `redirect(`) go to reverse()d names or to objects' own addresses.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sonar.accounts import emails
from tests.factories import PASSWORD, UserFactory
from tests.security.conftest import elements

pytestmark = pytest.mark.django_db

EVIL = [
    "//evil.example",
    "//evil.example/",
    "https://evil.example",
    "https://evil.example/compte/",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " //evil.example",
    "\t//evil.example",
    "http://testserver@evil.example",
    "//testserver@evil.example",
    "///evil.example",
]


def stays_here(location):
    """A redirect target or link that a browser would resolve on this site."""
    if not location:
        return True
    cleaned = location.strip().replace("\\", "/")
    parts = urlsplit(cleaned)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return False
    return parts.netloc in ("", "testserver") and not cleaned.startswith("//")


def assert_stays_here(response):
    location = response.get("Location", "")
    assert stays_here(location), location
    # The `next` carried on (to the log-in page) must not point away either.
    for value in parse_qs(urlsplit(location).query).get("next", []):
        assert stays_here(value), location


@pytest.mark.parametrize("target", EVIL)
def test_logging_in_never_sends_the_person_to_another_site(client, target):
    user = UserFactory()

    response = client.post(
        reverse("accounts:login") + "?next=" + target,
        {"username": user.email, "password": PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert_stays_here(response)


@pytest.mark.parametrize("target", EVIL)
def test_the_log_in_form_does_not_carry_an_outside_next_address(client, target):
    response = client.get(reverse("accounts:login"), {"next": target})

    for tag, attributes in elements(response.content):
        if tag == "input" and attributes.get("name") == "next":
            assert stays_here(attributes.get("value", "")), attributes


@pytest.mark.parametrize("target", EVIL)
def test_logging_out_never_sends_the_person_to_another_site(client, target):
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:logout") + "?next=" + target, {"next": target})

    assert response.status_code == 302
    assert_stays_here(response)


@pytest.mark.parametrize("target", EVIL)
def test_the_sign_up_form_does_not_carry_an_outside_next_address(client, target):
    response = client.get(reverse("accounts:signup"), {"next": target})

    for tag, attributes in elements(response.content):
        if tag == "input" and attributes.get("name") == "next":
            assert stays_here(attributes.get("value", "")), attributes


@pytest.mark.parametrize("target", EVIL)
def test_a_confirmation_link_never_sends_the_person_to_another_site(client, target):
    # A sign-up's `next` travels in the signed confirmation link, and comes back after it.
    link = reverse("accounts:confirm", args=[emails.confirmation_token("zoe@ville.fr", target)])

    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 302
    assert_stays_here(response)


@pytest.mark.parametrize("target", EVIL)
def test_a_page_that_needs_a_log_in_sends_to_the_log_in_page_of_this_site(target):
    response = Client().get(reverse("accounts:account"), {"next": target})

    assert_stays_here(response)


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "//evil.example",
        "/\\evil.example/",
        "/%2F%2Fevil.example/",
        "/%5Cevil.example/",
        "/en//evil.example/",
        "/a-propos/?next=//evil.example",
    ],
)
def test_the_language_switch_never_links_to_another_site(client, path):
    response = client.get(path)

    found = elements(response.content)
    switch = [a for tag, a in found if tag == "a" and a.get("hreflang") and "lang" in a]
    assert switch, response.status_code
    for link in switch:
        assert stays_here(link["href"]), link["href"]
    for tag, link in found:
        if tag == "link" and link.get("rel") == "alternate":
            assert urlsplit(link["href"]).netloc == urlsplit(settings.SONAR_BASE_URL).netloc
