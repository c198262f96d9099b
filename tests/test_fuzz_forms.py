"""No form data makes a page's POST fail: every form answers with a page in French, never a 500.

The POST-accepting views come from the URL conf: every page of the workshops, accounts,
logbooks, trajectories and quiz is sent an empty POST once (module set-up); those that do not
answer 405 are fuzzed. The client is logged in as the admin of a logbook project and an
organisation, and holds the participant and facilitator cookies of a workshop, so the forms get
past their doors. Path values are real (a workshop code, the project's id, the organisation's
slug, a milestone…) or garbage the route accepts; the body mixes the forms' own field names with
random names, random text, oversized values and raw bytes that are not UTF-8.
"""

from html.parser import HTMLParser
from urllib.parse import quote, quote_from_bytes

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sonar.accounts.models import Membership
from sonar.logbook import actions as logbook_actions
from sonar.quiz import data as quiz_data
from sonar.workshops import access
from sonar.workshops import actions as workshop_actions
from sonar.workshops.models import Workshop
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

APPS = (
    "sonar.workshops.",
    "sonar.accounts.",
    "sonar.logbook.",
    "sonar.journeys.",
    "sonar.quiz.views",
)
# Pages that never take a form: event streams and file exports.
SKIPPED = ("workshops:stream",)

FIELD_NAMES = [
    "csrfmiddlewaretoken", "choice", "code", "pseudonym", "title", "mode", "questionnaire",
    "action", "command", "email", "username", "password", "password1", "password2",
    "old_password", "new_password1", "new_password2", "name", "slug", "role", "about", "kind",
    "organisation", "creation_key", "based_on", "text", "note", "body", "learnt", "happened",
    "status", "stage", "trajectory", "milestone", "experiment", "confirm", "number", "next",
]  # fmt: skip

FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def _routes(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _routes(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith(APPS):
            name = ":".join(filter(None, [namespace, entry.name]))
            if name not in SKIPPED:
                yield name, entry.pattern.converters


ROUTES = sorted(dict(_routes()).items())
# Module fixtures run outside the suite's function fixtures: static files without a manifest,
# no page cache (tests/conftest.py).
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _reference_snapshot):
    """The reference content, a user with a project and an organisation, a workshop; the
    POST-accepting routes among ROUTES. Rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(STORAGES=PLAIN_STATIC, SONAR_PAGE_CACHE_SECONDS=0),
    ):
        _reference_snapshot[0].restore()  # the rows the session's one load wrote
        quiz_data.forget()
        user = UserFactory(email="fuzz@exemple-metropole.fr", name="Fuzz")
        organisation = OrganisationFactory()
        MembershipFactory(user=user, organisation=organisation, role=Membership.Role.ADMIN)
        project, _ = logbook_actions.create_project(
            user, "cle-fuzz", title="Projet", kind="service", about="…", organisation=None
        )
        workshop, facilitator = workshop_actions.create_workshop(
            quiz_data.get("style"), "Atelier", Workshop.Mode.SELF_PACED
        )
        _participant, participant = workshop_actions.join(workshop, "Ada")
        cookies = {
            access.PARTICIPANT_COOKIE.format(code=workshop.code): participant,
            access.FACILITATOR_COOKIE.format(code=workshop.code): facilitator,
        }
        real = {
            "code": [workshop.code],
            "token": [facilitator, participant, "x" * 40],
            "slug": [organisation.slug],
            "key": ["style", "maturity", "a-quai"],
            "pk": [project.pk],
            "number": [1, 3, 6],
        }
        world = {"user": user, "cookies": cookies, "real": real}
        client = _client(world)
        posting = []
        for name, converters in ROUTES:
            kwargs = {n: (real.get(n) or [1])[0] for n in converters}
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:  # a real value the route refuses: fuzzed all the same
                posting.append((name, converters))
                continue
            with transaction.atomic():
                status = client.post(url, {}).status_code
                transaction.set_rollback(True)
            if status != 405:
                posting.append((name, converters))
        world["posting"] = posting
        yield world
        transaction.set_rollback(True)


def _client(world):
    client = Client(raise_request_exception=False)
    client.force_login(world["user"])
    for name, value in world["cookies"].items():
        client.cookies[name] = value
    return client


def path_values(converters, real):
    return st.fixed_dictionaries(
        {
            name: st.one_of(
                st.sampled_from(real.get(name) or [1, 2]),
                st.from_regex(converter.regex, fullmatch=True).filter(lambda v: len(v) < 200),
            )
            for name, converter in converters.items()
        }
    )


VALUES = st.one_of(
    st.sampled_from(["", "1", "-1", "0", "q1a", "style", "paced", "admin", "x" * 100_000]),
    st.text(max_size=60),
    st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
    st.lists(st.text(max_size=10), max_size=3),
)
FORMS = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=20)), VALUES, max_size=8
)
RAW = st.binary(max_size=300).map(lambda b: quote_from_bytes(b, safe="=&"))


def test_the_url_conf_has_forms_to_fuzz(world):
    names = {name for name, _ in world["posting"]}
    assert {"workshops:create", "workshops:join", "accounts:signup", "logbook:create"} <= names


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=[name for name, _ in ROUTES])
def test_no_form_data_makes_a_page_fail(world, name, converters):
    if (name, converters) not in world["posting"]:
        pytest.skip("n’accepte pas POST")

    @FUZZ
    @given(
        kwargs=path_values(converters, world["real"]),
        form=st.one_of(FORMS, RAW),
        logged_in=st.booleans(),
    )
    def check(kwargs, form, logged_in):
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            return
        client = _client(world) if logged_in else Client(raise_request_exception=False)
        with transaction.atomic():
            if isinstance(form, str):
                response = client.post(url, form, content_type="application/x-www-form-urlencoded")
            else:
                response = client.post(url, form)
            transaction.set_rollback(True)
        assert response.status_code < 500, (url, form if isinstance(form, str) else list(form))
        kind = response.get("Content-Type", "")
        if response.status_code in (200, 400, 403, 404, 409, 413) and kind.startswith("text/html"):
            page = response.content.decode()
            assert '<html lang="fr"' in page, url
            assert "Traceback" not in page, url

    check()


# Malformed text in every field of every form ---------------------------------------------------
#
# The forms are found on the pages themselves: every page of the URL conf that a GET can open
# (as the logged-in admin with the workshop's cookies, then as an anonymous visitor) is read,
# and each of its forms is sent back as the page would send it, one field at a time replaced by
# a malformed value (issue 12, finding 7). Every answer is French, never a 500; a NUL
# (PostgreSQL refuses it) or another control character is refused outright (400) by the guard
# on all input (sonar/core/middleware.py). A line break in a one-line field of a form is
# refused by the forms themselves (sonar/core/forms.py, tests/core/test_text_guard.py).

MALFORMED = {
    "nul": "avant\x00après",
    "control": "cloche\x07et\x1bechap",
    "line-break": "Titre\r\nBcc: tous@exemple.fr",
    "lone-surrogate": "moitié \ud800 de caractère",
    "long": "x" * 10_000,
}
REFUSED = {"nul", "control"}
TEXT_INPUTS = {"text", "email", "password", "search", "url", "tel", "hidden", "number", ""}


class _Forms(HTMLParser):
    """Every form of a page: method, action, the fields it would send as it is, and those a
    person fills or chooses ("text")."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(
                {"method": attrs.get("method", "get").lower(), "action": attrs.get("action", ""),
                 "fields": [], "text": set()}
            )  # fmt: skip
            return
        if not self.forms or "name" not in attrs:
            return
        form, name = self.forms[-1], attrs["name"]
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("radio", "checkbox"):
                if name not in {n for n, _v in form["fields"]}:
                    form["fields"].append((name, attrs.get("value", "on")))
                    form["text"].add(name)
            elif kind in TEXT_INPUTS:
                form["fields"].append((name, attrs.get("value", "")))
                if name != "csrfmiddlewaretoken":
                    form["text"].add(name)
        elif tag == "textarea":
            form["fields"].append((name, ""))
            form["text"].add(name)
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select:
            if self.select not in {n for n, _v in form["fields"]}:
                form["fields"].append((self.select, attrs.get("value", "")))
                form["text"].add(self.select)
        elif tag == "button" and attrs.get("value"):
            form["fields"].append((name, attrs["value"]))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def page_forms(html):
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _get_routes(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _get_routes(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith("sonar."):
            name = ":".join(filter(None, [namespace, entry.name]))
            if name not in SKIPPED and not name.endswith((".csv", ".pdf")) and entry.name:
                yield name, entry.pattern.converters


def encoded(data):
    """A form body as a browser would send it, lone surrogates included (as the bytes a
    browser's UTF-8 encoder lets through: the server reads them as replacement characters)."""
    return "&".join(
        f"{quote(name.encode('utf-8', 'surrogatepass'))}="
        f"{quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in data
    )


@pytest.fixture(scope="module")
def site_forms(world):
    """{(method, action path, logged in): (form, page it came from)} of every form found."""
    with override_settings(STORAGES=PLAIN_STATIC, SONAR_PAGE_CACHE_SECONDS=0):
        return _find_forms(world)


def _find_forms(world):
    found = {}
    for logged_in in (True, False):
        client = _client(world) if logged_in else Client(raise_request_exception=False)
        for name, converters in sorted(dict(_get_routes()).items()):
            kwargs = {n: (world["real"].get(n) or [1])[0] for n in converters}
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            with transaction.atomic():
                response = client.get(url)
                transaction.set_rollback(True)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in page_forms(response.content.decode()):
                action = (form["action"] or url).split("#", 1)[0]
                if action.startswith("/") and form["text"]:
                    found.setdefault((form["method"], action, logged_in), (form, url))
    return found


def test_the_pages_offer_forms_of_every_app(site_forms):
    actions = {action for _method, action, _logged_in in site_forms}
    for expected in (
        "/ateliers/creer/",
        "/compte/inscription/",
        "/carnets/nouveau/",
        "/recherche/",
    ):
        assert any(a.startswith(expected) for a in actions), expected


@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_malformed_text_in_any_field_of_any_form_gets_a_french_answer(world, site_forms, kind):
    value = MALFORMED[kind]
    failures = []
    for (method, action, logged_in), (form, _page) in sorted(site_forms.items()):
        client = _client(world) if logged_in else Client(raise_request_exception=False)
        for field in sorted(form["text"]):
            data = [(n, value if n == field else v) for n, v in form["fields"]]
            with transaction.atomic():
                if method == "post":
                    response = client.post(
                        action, encoded(data), content_type="application/x-www-form-urlencoded"
                    )
                else:
                    response = client.get(f"{action}?{encoded(data)}")
                transaction.set_rollback(True)
            status = response.status_code
            where = (method, action, field, status)
            if status >= 500:
                failures.append(where)
                continue
            page = response.content.decode(errors="replace")
            html = "text/html" in response.get("Content-Type", "")
            if html and status in (200, 400) and '<html lang="fr"' not in page:
                failures.append((*where, "not French"))
            if kind in REFUSED and method == "get":
                # A page's query is asked again without the characters (sonar/core/middleware.py).
                location = response.get("Location", "")
                if status != 302 or any(ord(ch) < 32 or ord(ch) == 127 for ch in location):
                    failures.append((*where, "not asked again without them"))
                elif client.get(location).status_code >= 500:
                    failures.append((*where, location, "500 once cleaned"))
            elif kind in REFUSED and status != 400:
                failures.append((*where, "not refused"))
    assert failures == [], "\n".join(map(str, failures))
