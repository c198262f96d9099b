"""No form data makes a page's POST fail: every form answers with a page in French, never a 500.

The POST-accepting views come from the URL conf: every page of the workshops, accounts,
logbooks, trajectories and quiz is sent an empty POST once (module set-up); those that do not
answer 405 are fuzzed. The client is logged in as the admin of a logbook project and an
organisation, and holds the participant and facilitator cookies of a workshop, so the forms get
past their doors. Path values are real (a workshop code, the project's id, the organisation's
slug, a milestone…) or garbage the route accepts; the body mixes the forms' own field names with
random names, random text, oversized values and raw bytes that are not UTF-8.
"""

from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction
from django.test import Client
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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _reference_snapshot):
    """The reference content, a user with a project and an organisation, a workshop; the
    POST-accepting routes among ROUTES. Rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
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
