"""Whatever someone types is shown as text: never as markup, a script or a live link.

Each field that a page displays back is set to each payload of PAYLOADS (straight in the
database, so no form's validation hides a weakness of the page), then the pages that show it
are parsed the way a browser would. Compared with the same page showing an ordinary value,
the page has the same elements with the same attributes (nothing injected), no `on…` handler,
no `javascript:` address; and the payload's text is there, as text (so the test really saw it).
"""

from collections import Counter

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from sonar.accounts.models import Organisation, OrganisationInvitation, User
from sonar.logbook.models import Experiment, Project, ProjectInvitation, ProjectMilestone
from sonar.workshops.models import Participant, Workshop
from tests.security.conftest import ADMIN, ANONYMOUS, FACILITATOR, PARTICIPANT, isolated, shows
from tests.security.conftest import elements as parse

pytestmark = pytest.mark.django_db

ORDINARY = "Xyzzy ordinaire"
PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">x</a>',
    "{{ request }}{% debug %}",
    "<scr<script>ipt>alert(1)</script>",
    "</textarea><style>*{}</style>",
    "\u202e<b>gnp.exe</b>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<!--",
    "&lt;script&gt;",
]


def _update(model, pk, **fields):
    model.objects.filter(pk=pk).update(**fields)


def _set_workshop_title(world, value):
    _update(Workshop, world.objects["workshop"].pk, title=value)


def _set_pseudonym(world, value):
    Participant.objects.filter(workshop=world.objects["workshop"]).update(pseudonym=value)


def _set_organisation_name(world, value):
    _update(Organisation, world.objects["organisation"].pk, name=value)


def _set_user_name(world, value):
    _update(User, world.objects["users"]["marc"].pk, name=value)


def _set_project(field):
    def set_value(world, value):
        _update(Project, world.values["project"], **{field: value})

    return set_value


def _set_milestone_title(world, value):
    _update(ProjectMilestone, world.values["milestone"], title=value)


def _set_experiment(field):
    def set_value(world, value):
        _update(Experiment, world.values["experiment"], **{field: value})

    return set_value


def _set_invitation_emails(world, value):
    _update(OrganisationInvitation, world.values["org_invitation"], email=value)
    _update(ProjectInvitation, world.values["project_invitation"], email=value)


def _nothing(world, value):
    pass


def _project_pages(world, *names):
    pk = world.values["project"]
    return [(ADMIN, reverse(f"logbook:{name}", args=[pk])) for name in names]


def _shared(world):
    return [(ANONYMOUS, reverse("logbook:shared", args=[world.values["project_share_token"]]))]


def _experiment_pages(world):
    args = [world.values["project"], world.values["experiment"]]
    return [
        (ADMIN, reverse("logbook:experiment", args=args)),
        (ADMIN, reverse("logbook:experiment-edit", args=args)),
        (ADMIN, reverse("logbook:project", args=args[:1])),
        *_shared(world),
    ]


# What people type that pages show: field → (how to set it, the pages that show it, as whom).
FIELDS = {
    "workshop title": (
        _set_workshop_title,
        lambda w: [
            (FACILITATOR, reverse("workshops:facilitate", args=[w.values["code"]])),
            (FACILITATOR, reverse("workshops:projector", args=[w.values["code"]])),
            (PARTICIPANT, reverse("workshops:participant", args=[w.values["code"]])),
        ],
    ),
    "pseudonym": (
        _set_pseudonym,
        lambda w: [(PARTICIPANT, reverse("workshops:participant", args=[w.values["code"]]))],
    ),
    "organisation name": (
        _set_organisation_name,
        lambda w: [
            (ADMIN, reverse("accounts:organisation", args=[w.values["organisation"]])),
            (ADMIN, reverse("accounts:account")),
        ],
    ),
    "user name": (
        _set_user_name,
        lambda w: [
            (ADMIN, reverse("accounts:organisation", args=[w.values["organisation"]])),
            *_project_pages(w, "team"),
        ],
    ),
    "project title": (
        _set_project("title"),
        lambda w: [
            (ADMIN, reverse("logbook:index")),
            (ADMIN, reverse("accounts:account")),
            *_project_pages(w, "project", "edit", "team", "trajectory", "history"),
            *_shared(w),
        ],
    ),
    "project about": (
        _set_project("about"),
        lambda w: [*_project_pages(w, "project", "edit"), *_shared(w)],
    ),
    "milestone title": (
        _set_milestone_title,
        lambda w: [
            *_project_pages(w, "project", "trajectory"),
            (
                ADMIN,
                reverse(
                    "logbook:milestone-edit", args=[w.values["project"], w.values["milestone"]]
                ),
            ),
            *_shared(w),
        ],
    ),
    "experiment hypothesis": (_set_experiment("hypothesis"), _experiment_pages),
    "experiment happened": (_set_experiment("happened"), _experiment_pages),
    "experiment learnt": (_set_experiment("learnt"), _experiment_pages),
    "invitation e-mail": (
        _set_invitation_emails,
        lambda w: [
            (ADMIN, reverse("accounts:organisation", args=[w.values["organisation"]])),
            *_project_pages(w, "team"),
        ],
    ),
}


def structure(found):
    """The page's elements and attribute names, values left out (tokens change), in any
    order (a list sorted by name moves when a name changes)."""
    return Counter((tag, tuple(sorted(attributes))) for tag, attributes in found)


def injectable(found):
    return Counter(
        (tag, tuple(sorted(attributes)))
        for tag, attributes in found
        if tag in {"script", "img", "svg", "a", "style", "b", "textarea", "iframe"}
    )


def assert_no_live_markup(found, where):
    for tag, attributes in found:
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, (where, tag, attributes)
        for name in ("href", "src", "action", "formaction", "xlink:href", "data"):
            value = "".join(attributes.get(name, "").split()).lower()
            assert not value.startswith(("javascript:", "data:text/html")), (where, tag, attributes)


def _fetch(world, actor, path):
    browser = world.client(actor)
    response = browser.get(path)
    assert response.status_code == 200, (actor, path, response.status_code)
    return response.content.decode()


def _pages(world):
    """Every page that shows one of FIELDS, once."""
    return list(dict.fromkeys(p for _set, pages in FIELDS.values() for p in pages(world)))


def _look(world, value):
    """Every field set to `value`, then every page that shows one, as its reader."""
    for set_value, _pages_of in FIELDS.values():
        set_value(world, value)
    return [_fetch(world, actor, path) for actor, path in _pages(world)]


@pytest.fixture(scope="module")
def ordinary_pages(world):
    # Module-scoped: built before the function-scoped settings of tests/conftest.py apply.
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain):
        return dict(zip(_pages(world), isolated(lambda: _look(world, ORDINARY)), strict=True))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_typed_in_any_field_never_becomes_markup(world, ordinary_pages, payload):
    shown = isolated(lambda: _look(world, payload))

    for page, html in zip(_pages(world), shown, strict=True):
        found = parse(html)
        assert structure(found) == structure(parse(ordinary_pages[page])), page
        assert_no_live_markup(found, page)
        assert shows(html, payload), ("the payload is not on the page", page)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_search_box_shows_the_query_as_text(world, payload):
    before = _fetch(world, ANONYMOUS, reverse("atlas:search") + "?q=" + ORDINARY)
    browser = world.client(ANONYMOUS)
    response = browser.get(reverse("atlas:search"), {"q": payload})

    # Results differ from one query to another: compare the elements a payload could inject.
    found = parse(response.content)
    assert injectable(found) == injectable(parse(before))
    assert_no_live_markup(found, "search")
    assert shows(response.content, payload)
