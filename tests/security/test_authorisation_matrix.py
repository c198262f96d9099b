"""Who gets what: every URL of the URL conf × every kind of visitor, for GET, POST and HEAD.

The expected statuses live in MATRIX, one entry per URL name; the URL names come from the URL
conf, so a new URL fails `test_every_url_has_an_entry_in_the_matrix` until someone decides
who may use it. A POST is sent empty: an allowed person gets the form back with its errors
(400) or the action's redirect, a refused one gets 302 to log in, 403 or 404 — never a 500.

Three passes, every visitor each time:
- French addresses, every method of the matrix;
- English addresses (/en/, the pages under i18n_patterns), one method per URL: GET, or POST
  for an action reached by POST only. The /en/ twins run the same views, so what could differ
  is the prefix's handling (the language middleware, redirects that must stay under /en/,
  reverse()), not the access rules; every method in English too would double the file's
  run time for little more (measured with --durations: the English pass adds about half the
  French pass's time, HEAD about a third);
- HEAD on every URL that has a GET: GET's status (unless the entry gives "HEAD"), no body,
  and not one INSERT, UPDATE or DELETE sent to the database.

Actors (tests/security/conftest.py):
- anonymous: nobody; participant: has joined the workshop (its cookie);
- facilitator: holds the workshop's facilitator cookie;
- member: a plain member of organisation A and of its logbook project;
- outsider: the admin of another organisation and of another project;
- editor: an editor of organisation A, not in the project's team;
- admin: the admin of organisation A and of the project.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation

from tests.security.conftest import (
    ACTORS,
    ADMIN,
    ANONYMOUS,
    EDITOR,
    FACILITATOR,
    MEMBER,
    PARTICIPANT,
    isolated,
    routes,
    url_names,
)

# The world is built in the test database (pytest-django sets it up only for such tests).
pytestmark = pytest.mark.django_db

# Which world value fills a path parameter, by URL name (then by parameter name).
PARAMETERS = {
    "quiz:result": {"token": "result_token"},
    "quiz:result-pdf": {"token": "result_token"},
    "workshops:secret": {"token": "facilitator_token"},
    "workshops:guide": {"key": "template_key"},
    "accounts:confirm": {"token": "confirm_token"},
    "accounts:password_reset_confirm": {"token": "reset_token"},
    "accounts:invitation": {"token": "org_invitation_token"},
    "accounts:member_role": {"pk": "membership"},
    "accounts:member_remove": {"pk": "membership"},
    "accounts:invitation_withdraw": {"pk": "org_invitation"},
    "journeys:here": {"token": "maturity_token"},
    "journeys:trajectory": {"key": "trajectory"},
    "logbook:adopt-from": {"key": "trajectory"},
    "api-trajectory": {"key": "trajectory"},
    "logbook:accept": {"token": "project_invitation_token"},
    "logbook:shared": {"token": "project_share_token"},
    "logbook:shared-markdown": {"token": "project_share_token"},
    "logbook:shared-pdf": {"token": "project_share_token"},
    "atlas:resource": {"slug": "resource"},
    "api-resource": {"slug": "resource"},
    "atlas:term": {"slug": "term"},
    "api-term": {"slug": "term"},
    "atlas:case": {"slug": "case"},
    "api-case": {"slug": "case"},
}
BY_PARAMETER = {
    "code": "code",
    "key": "quiz_key",
    "number": "number",
    "share_token": "share_token",
    "question_key": "question_key",
    "uidb64": "uidb64",
    "slug": "organisation",
    "pk": "project",
    "member_id": "project_member",
    "invitation_id": "project_invitation",
    "milestone_id": "milestone",
    "experiment_id": "experiment",
    "facilitation_id": "facilitation",
    "step_key": "step_key",
}


def path_for(name, world, language="fr"):
    converters = next(c for n, _route, _view, c in routes() if n == name)
    specific = PARAMETERS.get(name, {})
    kwargs = {
        parameter: world.values[specific.get(parameter) or BY_PARAMETER[parameter]]
        for parameter in converters
    }
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def translated_names():
    """The URL names under i18n_patterns: French at the root, English under /en/."""
    return sorted(
        name
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern)
        for name, *_rest in routes(entry.url_patterns)
    )


def row(default, **by_actor):
    """Statuses for every actor: `default`, except the actors named."""
    return {actor: by_actor.get(actor, default) for actor in ACTORS}


def members(status, refused=404, **others):
    """A logbook page: the project's team (member, admin) gets `status`; anyone else logged in
    the same 404 as for a project that does not exist; the anonymous visitor is sent to log in.
    """
    return logged_in(refused, **{MEMBER: status, ADMIN: status, **others})


def admins(status, member=403):
    """A logbook action for the project's admins only: a member gets the French 403 page."""
    return members(status, **{MEMBER: member})


def logged_in(status, **others):
    return row(status, **{ANONYMOUS: 302, PARTICIPANT: 302, FACILITATOR: 302, **others})


def anyone(status):
    """The visitors without an account (for `logged_in(…, **anyone(200))`)."""
    return dict.fromkeys((ANONYMOUS, PARTICIPANT, FACILITATOR), status)


def org(status, member=403, refused=404, **others):
    """Organisation A: its admin gets `status`, its member and editor `member` (the French 403
    page), anyone else logged in the same 404 as for an organisation that does not exist."""
    return logged_in(refused, **{MEMBER: member, EDITOR: member, ADMIN: status, **others})


def facilitator(status, refused=403):
    return row(refused, **{FACILITATOR: status})


READ = {"GET": 200, "POST": 405}
# A form anyone may use: an empty POST gets the form back with its errors.
FORM = {"GET": 200, "POST": 400}
# An action reached by POST only.
NEVER_GET = 405

# URL name → {method: status for everyone, or {actor: status}}.
MATRIX = {
    "healthz": READ,
    # Public pages and the public, read-only API.
    "core:home": READ,
    "core:about": READ,
    "core:accessibility": READ,
    "core:privacy": READ,
    "core:legal": READ,
    "atlas:map": READ,
    "atlas:catalogue": READ,
    "atlas:resource": READ,
    "atlas:glossary": READ,
    "atlas:term": READ,
    "atlas:cases": READ,
    "atlas:case": READ,
    "atlas:search": READ,
    "atlas:finder": READ,
    "journeys:index": READ,
    "journeys:trajectory": READ,
    "api-resources": READ,
    "api-resource": READ,
    "api-glossary": READ,
    "api-term": READ,
    "api-cases": READ,
    "api-case": READ,
    # Without a task the finder asks for one (a French 400); the page asks the question.
    "api-finder": {"GET": 400, "POST": 405},
    "api-trajectories": READ,
    "api-trajectory": READ,
    "api-quiz": READ,
    "api-openapi": READ,
    # The quiz needs no account; a result's private token is its key (unguessable, 22 chars).
    "quiz:start": READ,
    "quiz:question": FORM,
    "quiz:begin": {"GET": NEVER_GET, "POST": 302},
    "quiz:restart": {"GET": NEVER_GET, "POST": 302},
    "quiz:result": READ,
    "quiz:result-pdf": READ,
    "quiz:share": READ,
    "journeys:here": READ,
    "api-quiz-score": {"GET": NEVER_GET, "POST": 400},
    # Workshops: the code lets anyone join; the facilitator's pages need its token.
    "workshops:index": READ,
    "workshops:create": {"GET": NEVER_GET, "POST": 400},
    "workshops:join": FORM,
    "workshops:participant": {"GET": 200, "POST": 302},
    "workshops:answer": {"GET": NEVER_GET, "POST": row(403, **{PARTICIPANT: 302})},
    "workshops:keep-result": {"GET": NEVER_GET, "POST": row(403, **{PARTICIPANT: 302})},
    # A facilitator's question: an empty answer from a participant is sent back to the page.
    "workshops:answer-step": {"GET": NEVER_GET, "POST": row(403, **{PARTICIPANT: 302})},
    "workshops:guide": {"GET": 200, "POST": 405},
    "workshops:steps": {"GET": NEVER_GET, "POST": facilitator(400)},
    "workshops:duplicate": {"GET": NEVER_GET, "POST": facilitator(302)},
    "workshops:stream": READ,
    "workshops:secret": {"GET": 302, "POST": 405},
    "workshops:facilitate": {"GET": facilitator(200), "POST": 405},
    "workshops:control": {"GET": NEVER_GET, "POST": facilitator(400)},
    "workshops:projector": {"GET": facilitator(200), "POST": 405},
    "workshops:export-aggregates": {"GET": facilitator(200), "POST": 405},
    "workshops:export-participants": {"GET": facilitator(200), "POST": 405},
    "workshops:export-xlsx": {"GET": facilitator(200), "POST": 405},
    "workshops:report-pdf": {"GET": facilitator(200), "POST": 405},
    "workshops:debrief-pack": {"GET": facilitator(200), "POST": 405},
    # Access and co-facilitation: an empty address is a form error; withdrawing is done at
    # once; attaching needs an account as well: the world's facilitator, who has none, is sent
    # to log in.
    "workshops:access": {"GET": facilitator(200), "POST": 405},
    "workshops:send-link": {"GET": NEVER_GET, "POST": facilitator(400)},
    "workshops:cofacilitators": {"GET": NEVER_GET, "POST": facilitator(400)},
    "workshops:cofacilitator-withdraw": {"GET": NEVER_GET, "POST": facilitator(302)},
    "workshops:attach": {"GET": NEVER_GET, "POST": facilitator(302)},
    # The workshops' JSON API: the participant's and facilitator's tokens travel as Bearer.
    "api-workshops": {"GET": NEVER_GET, "POST": 400},
    "api-workshop": READ,
    "api-workshop-participants": {"GET": NEVER_GET, "POST": 201},
    "api-workshop-answer": {
        "GET": NEVER_GET,
        "POST": NEVER_GET,
        "PUT": row(403, **{PARTICIPANT: 400}),
    },
    "api-workshop-me": {"GET": row(403, **{PARTICIPANT: 200}), "POST": 405},
    "api-workshop-step-answer": {
        "GET": NEVER_GET,
        "POST": NEVER_GET,
        "PUT": row(403, **{PARTICIPANT: 400}),
    },
    "api-workshop-control": {"GET": NEVER_GET, "POST": facilitator(400)},
    "api-workshop-templates": READ,
    "api-workshop-results": {"GET": facilitator(200), "POST": 405},
    # Co-facilitators: the facilitator lists and adds (an empty body is a 400) and withdraws.
    "api-workshop-facilitators": {"GET": facilitator(200), "POST": facilitator(400)},
    "api-workshop-facilitator": {
        "GET": NEVER_GET,
        "POST": NEVER_GET,
        "DELETE": facilitator(204),
    },
    # Accounts: sign-up and log-in send a logged-in person on; the account's own pages need
    # a log-in.
    "accounts:signup": {
        "GET": logged_in(302, **anyone(200)),
        "POST": logged_in(302, **anyone(400)),
    },
    "accounts:signup_done": READ,
    "accounts:resend": FORM,
    # The signed token is the key: whoever holds it confirms that address, choosing its
    # password (an empty form is refused).
    "accounts:confirm": {"GET": 200, "POST": 400},
    "accounts:login": {"GET": logged_in(302, **anyone(200)), "POST": logged_in(302, **anyone(400))},
    "accounts:logout": {"GET": 405, "POST": 302},
    "accounts:password_reset": FORM,
    "accounts:password_reset_done": READ,
    "accounts:password_reset_confirm": {"GET": 302, "POST": 302},
    "accounts:password_reset_complete": READ,
    "accounts:password_change": {"GET": logged_in(200), "POST": logged_in(400)},
    "accounts:account": {"GET": logged_in(200), "POST": logged_in(302)},
    "accounts:delete": {"GET": logged_in(200), "POST": logged_in(400)},
    "accounts:organisation_create": {"GET": logged_in(200), "POST": logged_in(400)},
    # Organisation A: its people see it, only its admin manages it, others get a 404.
    "accounts:organisation": {"GET": org(200, member=200), "POST": logged_in(405)},
    "accounts:organisation_invite": {"GET": logged_in(405), "POST": org(400)},
    "accounts:member_role": {"GET": logged_in(405), "POST": org(400)},
    # The target is the member's own membership: a member may leave, an editor may not remove.
    "accounts:member_remove": {"GET": logged_in(405), "POST": {**org(302), MEMBER: 302}},
    "accounts:invitation_withdraw": {"GET": logged_in(405), "POST": org(302)},
    # An invitation to another address: a logged-in person is told it is not theirs (403).
    "accounts:invitation": {"GET": logged_in(403, **anyone(200)), "POST": logged_in(403)},
    # Logbooks: the team only (anyone else logged in: 404); admins manage the team and sharing.
    "logbook:index": {"GET": row(200), "POST": 405},
    "logbook:save-result": {"GET": NEVER_GET, "POST": logged_in(302)},
    "logbook:adopt-from": {"GET": logged_in(200), "POST": logged_in(400)},
    "logbook:create": {"GET": logged_in(200), "POST": logged_in(400)},
    # The invitation is for another address: members of the team are sent to the project.
    "logbook:accept": {
        "GET": logged_in(400, **{MEMBER: 302, ADMIN: 302}),
        "POST": logged_in(400),
    },
    "logbook:shared": READ,
    "logbook:shared-markdown": READ,
    "logbook:shared-pdf": READ,
    "logbook:project": {"GET": members(200), "POST": 405},
    "logbook:edit": {"GET": members(200), "POST": members(400)},
    "logbook:history": {"GET": members(200), "POST": 405},
    "logbook:team": {"GET": members(200), "POST": 405},
    "logbook:invite": {"GET": NEVER_GET, "POST": admins(400)},
    "logbook:withdraw": {"GET": NEVER_GET, "POST": admins(302)},
    "logbook:role": {"GET": NEVER_GET, "POST": admins(302)},
    "logbook:remove": {"GET": NEVER_GET, "POST": admins(302)},
    "logbook:share": {"GET": NEVER_GET, "POST": admins(400)},
    "logbook:markdown": {"GET": members(200), "POST": 405},
    "logbook:pdf": {"GET": members(200), "POST": 405},
    "logbook:positioning": {"GET": members(200), "POST": members(400)},
    "logbook:trajectory": {"GET": members(200), "POST": 405},
    "logbook:adopt": {"GET": NEVER_GET, "POST": members(302)},
    "logbook:add-milestone": {"GET": NEVER_GET, "POST": members(400)},
    "logbook:milestone": {"GET": NEVER_GET, "POST": members(400)},
    "logbook:milestone-edit": {"GET": members(200), "POST": members(400)},
    "logbook:experiment-create": {"GET": members(200), "POST": members(400)},
    "logbook:experiment": {"GET": members(200), "POST": 405},
    "logbook:experiment-edit": {"GET": members(200), "POST": members(400)},
}


def expected(name, method):
    entry = MATRIX[name]
    # HEAD is GET without the body: the same status, unless the entry says otherwise.
    value = entry.get(method, entry["GET"]) if method == "HEAD" else entry[method]
    return value if isinstance(value, dict) else row(value)


@pytest.fixture(autouse=True)
def _quick_pdfs(monkeypatch):
    # Who gets a PDF is decided before it is drawn: drawing it (WeasyPrint) would only cost
    # time here; tests/security/test_exports.py and the apps' tests draw real ones.
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7 stub")


def test_every_url_has_an_entry_in_the_matrix():
    missing = [name for name in url_names() if name not in MATRIX]
    assert not missing, (
        "These URLs have no entry in MATRIX (tests/security/test_authorisation_matrix.py): "
        "add one saying who may GET and POST each of them:\n" + "\n".join(missing)
    )


def test_the_matrix_names_no_url_that_no_longer_exists():
    assert not set(MATRIX) - set(url_names())


CASES = [(name, method) for name in url_names() if name in MATRIX for method in MATRIX[name]]


def send_as_each_actor(world, path, method, check=None):
    """{actor: status} of `method` on `path`; `check(actor, response)` sees each response."""
    got = {}
    for actor in ACTORS:
        browser = world.client(actor, api=path.startswith("/api/"))
        send = getattr(browser, method.lower())
        response = isolated(lambda send=send: send(path))
        got[actor] = response.status_code
        if check:
            check(actor, response)
    return got


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_each_visitor_gets_the_expected_status(world, name, method):
    path = path_for(name, world)

    def strict_policy(actor, response):
        if method == "GET" and response["Content-Type"].startswith("text/html"):
            policy = response.get("Content-Security-Policy", "")
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (actor, path)

    assert send_as_each_actor(world, path, method, strict_policy) == expected(name, method), path


# In English, each URL once, with the method that reaches its view (see the docstring).
ENGLISH = [
    (name, "POST" if MATRIX[name]["GET"] == NEVER_GET else "GET")
    for name in translated_names()
    if name in MATRIX
]


@pytest.mark.parametrize(("name", "method"), ENGLISH, ids=[f"{n}-{m}" for n, m in ENGLISH])
def test_the_english_address_gives_each_visitor_the_same_status(world, name, method):
    path = path_for(name, world, "en")
    assert path.startswith("/en/")

    def stays_in_english(actor, response):
        if response.status_code == 302:
            location = response["Location"]
            assert location.startswith("/en/") or "://" in location, (actor, path, location)
        elif response["Content-Type"].startswith("text/html") and response.content:
            assert '<html lang="en"' in response.content.decode(), (actor, path)

    got = send_as_each_actor(world, path, method, stays_in_english)
    assert got == expected(name, method), path


HEADS = [name for name in url_names() if name in MATRIX and "GET" in MATRIX[name]]
WRITES = ("INSERT", "UPDATE", "DELETE")
# The one page whose GET writes, and only the visitor's own session: Django's reset-link view
# keeps the token there and redirects to an address without it, so that it never leaks
# through the Referer header.
SESSION_ONLY = {"accounts:password_reset_confirm"}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("name", HEADS)
def test_head_gets_the_status_of_get_and_writes_nothing(world, name):
    path = path_for(name, world)

    def no_body(actor, response):
        assert not body(response), (actor, path)

    with CaptureQueriesContext(connection) as queries:
        got = send_as_each_actor(world, path, "HEAD", no_body)
    written = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    if name in SESSION_ONLY:
        written = [sql for sql in written if '"django_session"' not in sql.split("(")[0]]
    assert not written, (path, written)
    assert got == expected(name, "HEAD"), path
