"""One world for the security tests, built once per module in a transaction rolled back at the
end: the reference content, a workshop with a participant and its facilitator, two
organisations and two logbook projects with their people, open invitations, quiz results.

Every actor is a set of cookies (a log-in session, a workshop token); each request runs in its
own savepoint (`isolated`), so a POST that deletes or changes something leaves the world as it
was for the next one.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sonar.accounts import emails, limits
from sonar.accounts.models import Membership, OrganisationInvitation
from sonar.atlas.models import Case, Resource, Term
from sonar.journeys.models import Trajectory
from sonar.logbook import actions as logbook_actions
from sonar.logbook.models import ProjectMember
from sonar.quiz import data
from sonar.quiz.models import Questionnaire, Result
from sonar.workshops import access
from sonar.workshops import actions as workshop_actions
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

# A real server for the tests that need one (tests/security/servers.py), on the faults' database.
from tests.faults.conftest import golden_sqlite, sqlite_var_dir  # noqa: F401
from tests.security.servers import sonar_server  # noqa: F401

ANONYMOUS = "anonymous"
PARTICIPANT = "participant"
FACILITATOR = "facilitator"
MEMBER = "member"
OUTSIDER = "outsider"
EDITOR = "editor"
ADMIN = "admin"
ACTORS = (ANONYMOUS, PARTICIPANT, FACILITATOR, MEMBER, OUTSIDER, EDITOR, ADMIN)


@dataclass
class World:
    """What the URL parameters point at, and each actor's cookies."""

    cookies: dict = field(default_factory=dict)
    bearer: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def client(self, actor, api=False, **options):
        """A browser for `actor`; with `api`, a workshop token also travels as Bearer, as the
        API's clients send it."""
        options.setdefault("raise_request_exception", False)
        if api and actor in self.bearer:
            options["headers"] = {"Authorization": f"Bearer {self.bearer[actor]}"}
        browser = Client(**options)
        for name, value in self.cookies.get(actor, {}).items():
            browser.cookies[name] = value
        return browser


def routes(patterns=None, namespace="", prefix=""):
    """(name, route text, callback, converters) of every URL of the URL conf, once per name."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from routes(entry.url_patterns, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = ":".join(filter(None, [namespace, entry.name]))
            yield name, prefix + str(entry.pattern), entry.callback, entry.pattern.converters


def url_names():
    """Every URL name (those under i18n_patterns once: French and English share it)."""
    return sorted({name for name, *_rest in routes()})


def isolated(send):
    """Run one request in its own savepoint, rolled back: it cannot change the world."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


def _style_result():
    browser = Client()
    for number in range(1, 7):
        answered = browser.post(
            reverse("quiz:question", args=["style", number]), {"choice": f"q{number}a"}
        )
    return Result.objects.get(token=answered.url.rstrip("/").rsplit("/", 1)[-1])


def _logged_in(user):
    browser = Client()
    browser.force_login(user)
    return dict((name, morsel.value) for name, morsel in browser.cookies.items())


def build_world():
    """The world; call inside a transaction that is rolled back."""
    world = World()
    style = _style_result()
    maturity = Result.objects.create(
        questionnaire=Questionnaire.objects.get(key="maturity"),
        answers={"equipe": "equipe-1"},
        counts={"equipage": 1},
        outcomes=["equipage"],
    )

    # People: Anne administers organisation A and the project; Eddy edits in A; Marc is a
    # plain member of A and of the project; Olga administers organisation B and its project.
    anne = UserFactory(email="anne@exemple-metropole.fr", name="Anne Admin")
    eddy = UserFactory(email="eddy@exemple-metropole.fr", name="Eddy Éditeur")
    marc = UserFactory(email="marc@exemple-metropole.fr", name="Marc Membre")
    olga = UserFactory(email="olga@autre-ville.fr", name="Olga Autre")
    newcomer = UserFactory(email="nouvelle@exemple-metropole.fr", unconfirmed=True)
    org_a = OrganisationFactory(name="Métropole A", slug="metropole-a")
    org_b = OrganisationFactory(name="Ville B", slug="ville-b")
    MembershipFactory(user=anne, organisation=org_a, admin=True)
    MembershipFactory(user=eddy, organisation=org_a, editor=True)
    marc_in_a = MembershipFactory(user=marc, organisation=org_a)
    olga_in_b = MembershipFactory(user=olga, organisation=org_b, admin=True)
    other_org_invitation, _token = OrganisationInvitation.issue(
        organisation=org_b, email="invite@autre-ville.fr", invited_by=olga
    )
    org_invitation, org_invitation_token = OrganisationInvitation.issue(
        organisation=org_a, email="invite@exemple-metropole.fr", invited_by=anne
    )

    project, _ = logbook_actions.create_project(
        anne,
        "cle-de-creation-securite-a",
        title="Accueil des nouveaux habitants",
        kind="service",
        about="Simplifier l’arrivée dans la ville.",
        organisation=org_a,
    )
    marc_in_project = ProjectMember.objects.create(
        project=project, user=marc, role=ProjectMember.Role.MEMBER
    )
    other_project, _ = logbook_actions.create_project(
        olga,
        "cle-de-creation-securite-b",
        title="Projet de la ville B",
        kind="policy",
        about="Secret de l’autre équipe.",
        organisation=org_b,
    )
    milestone, _ = logbook_actions.add_milestone(
        project, anne, "cle-de-balise-securite", "Notre balise"
    )
    experiment, _ = logbook_actions.add_experiment(
        project, anne, "cle-d-experience-securite", hypothesis="Un rendez-vous court suffit."
    )
    other_milestone, _ = logbook_actions.add_milestone(
        other_project, olga, "cle-de-balise-securite-b", "Balise de B"
    )
    other_experiment, _ = logbook_actions.add_experiment(
        other_project, olga, "cle-d-experience-securite-b", hypothesis="Secret de B."
    )
    other_invitation = logbook_actions.invite(
        other_project, olga, "invite@autre-ville.fr", "member"
    )
    project_invitation = logbook_actions.invite(
        project, anne, "invite@exemple-metropole.fr", "member"
    )
    # The raw token is only in the e-mail: issue one we know for the accept page.
    project_invitation_token = "jeton-d-invitation-au-projet-" + "x" * 8
    type(project_invitation).objects.filter(pk=project_invitation.pk).update(
        token_digest=type(project_invitation).digest(project_invitation_token)
    )
    logbook_actions.share(project, "create")

    # A workshop of the style quiz, one participant, and the facilitator's token.
    workshop, facilitator_token = workshop_actions.create_workshop(
        data.get("style"), "Atelier de sécurité", "self-paced"
    )
    _participant, participant_token = workshop_actions.join(workshop, "Camille")
    cofacilitation = workshop_actions.add_cofacilitator(workshop, "co@exemple-metropole.fr")
    other_workshop, _token = workshop_actions.create_workshop(
        data.get("style"), "Atelier d’une autre ville", "self-paced"
    )

    world.cookies = {
        ANONYMOUS: {},
        PARTICIPANT: {access.PARTICIPANT_COOKIE.format(code=workshop.code): participant_token},
        FACILITATOR: {access.FACILITATOR_COOKIE.format(code=workshop.code): facilitator_token},
        MEMBER: _logged_in(marc),
        OUTSIDER: _logged_in(olga),
        EDITOR: _logged_in(eddy),
        ADMIN: _logged_in(anne),
    }
    world.bearer = {PARTICIPANT: participant_token, FACILITATOR: facilitator_token}
    world.values = {
        "code": workshop.code,
        "facilitator_token": facilitator_token,
        "quiz_key": "style",
        "question_key": data.get("style").questions[0].key,
        "number": 1,
        "result_token": style.token,
        "share_token": style.share_token,
        "maturity_token": maturity.token,
        "resource": Resource.objects.order_by("slug").first().slug,
        "term": Term.objects.order_by("slug").first().slug,
        "case": Case.objects.order_by("slug").first().slug,
        "trajectory": Trajectory.objects.order_by("rank", "key").first().key,
        "organisation": org_a.slug,
        "membership": marc_in_a.pk,
        "org_invitation": org_invitation.pk,
        "org_invitation_token": org_invitation_token,
        "confirm_token": emails.confirmation_token(newcomer.email),
        "uidb64": urlsafe_base64_encode(force_bytes(marc.pk)),
        "reset_token": default_token_generator.make_token(marc),
        "project": project.pk,
        "project_member": marc_in_project.pk,
        "project_invitation": project_invitation.pk,
        "project_invitation_token": project_invitation_token,
        "project_share_token": type(project).objects.get(pk=project.pk).share_token,
        "milestone": milestone.pk,
        "experiment": experiment.pk,
        # The same kinds of things, belonging to organisation B, its project, another workshop.
        "other_membership": olga_in_b.pk,
        "other_org_invitation": other_org_invitation.pk,
        "other_project": other_project.pk,
        "other_project_member": other_project.members.get().pk,
        "other_project_invitation": other_invitation.pk,
        "other_milestone": other_milestone.pk,
        "other_experiment": other_experiment.pk,
        "other_code": other_workshop.code,
        "facilitation": cofacilitation.pk,
        "step_key": workshop.ordered_steps()[0].key,
        "template_key": "equipe-1h",
    }
    world.objects = {
        "workshop": workshop,
        "project": project,
        "organisation": org_a,
        "users": {"anne": anne, "eddy": eddy, "marc": marc, "olga": olga},
        "membership": Membership.objects.get(pk=marc_in_a.pk),
    }
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, _reference_snapshot):
    # The world's invitations count against the e-mail limits: in counts of its own, so that
    # the worlds of earlier modules (rolled back, their people's ids reused) never reach them.
    own_counts = LocMemCache("security-world-mail-limits", {})
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        mock.patch.object(limits, "cache", own_counts),
    ):
        own_counts.clear()
        data.forget()
        _reference_snapshot[0].restore()  # the rows the session's one load wrote
        yield build_world()
        transaction.set_rollback(True)
    data.forget()


@pytest.fixture(autouse=True)
def _local_cache(settings):
    # Rate-limit counters start from zero in every test and never reach a shared Redis.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"}
    }
    from django.core.cache import cache

    cache.clear()


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def elements(html):
    """(tag, attributes) of every element of a page, as a browser's parser would see them."""
    parser = _Elements()
    parser.feed(html if isinstance(html, str) else html.decode())
    parser.close()
    return parser.found


def shows(html, value):
    """Whether the page shows `value` as text or as an attribute's value (a form's field)."""
    parser = _Elements()
    parser.feed(html if isinstance(html, str) else html.decode())
    parser.close()
    wanted = " ".join(value.split())
    text = " ".join("".join(parser.text).split())
    values = (v for _tag, attributes in parser.found for v in attributes.values())
    return wanted in text or any(wanted in " ".join(v.split()) for v in values)
