"""The small shared base of the suite: reference content, a Chromium page, an axe check."""

import faulthandler
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from sonar.core import content

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}


def pytest_configure(config):
    """With Redis, the cache is shared by every test process: give each its own key prefix, so
    that one process's content edit (which moves the kept pages' version) or budget count never
    reaches another's test. var/ is made here as `sonar` commands make it (the settings write
    nothing): without Redis, the kept pages' version is a file there."""
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    if settings.REDIS_URL:
        from django.core.cache import caches

        worker = getattr(config, "workerinput", {}).get("workerid", "main")
        settings.CACHES["default"]["KEY_PREFIX"] = f"sonar-test-{worker}-{os.getpid()}"
        caches.__dict__.pop("settings", None)


# A test that asks for one of these, or is marked django_db, runs on both engines even inside
# a module marked engine_independent.
DATABASE_FIXTURES = {
    "db", "transactional_db", "django_db_setup", "live_server",
    "reference_content", "_reference_snapshot", "client", "async_client", "admin_client",
}  # fmt: skip


def runs_once(item):
    """Marked engine_independent, and touching no database: the SQLite pass is enough."""
    return (
        item.get_closest_marker("engine_independent") is not None
        and item.get_closest_marker("django_db") is None
        and not DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


# Whole modules about rules that Python decides and no database engine can change: who may
# open what (pages, logbooks, organisations, exports), security headers, redirects, CSRF, the
# routes of each language, the OpenAPI document, the HTML of the RGAA sample, the editorial rules
# of the content files. They use a database only to build their world; the SQLite pass is
# enough, and leaving them out keeps CI under 25 minutes.
FIRST_PASS_ONLY = {
    "tests/security/test_authorisation_matrix.py",
    "tests/security/test_open_redirect.py",
    "tests/security/test_csrf.py",
    "tests/core/test_english_paths.py",
    "tests/core/test_rgaa_sample.py",
    "tests/api/test_openapi.py",
    "tests/atlas/test_editorial_rules.py",
    "tests/core/test_security.py",
    "tests/logbook/test_access.py",
    "tests/accounts/test_organisation_access.py",
    "tests/security/test_exports.py",
}


def pytest_collection_modifyitems(config, items):
    """CI's second pass (PostgreSQL and Redis) leaves out the tests that the first pass
    (SQLite) already ran and that no database or cache can change."""
    if os.environ.get("SONAR_TESTS_SECOND_ENGINE") != "1":
        return
    kept, left = [], []
    for item in items:
        once = runs_once(item) or item.nodeid.split("::")[0] in FIRST_PASS_ONLY
        (left if once else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.hookimpl(tryfirst=True)
def pytest_timeout_set_timer(item, settings):
    """A test past its timeout in a pytest-xdist worker: pytest-timeout would print the stacks
    to the worker's stdout, which xdist throws away. Print them to stderr, which reaches the
    terminal, then let pytest-timeout end the worker (xdist reports the test as crashed, failed,
    and starts another worker)."""
    if not hasattr(item.config, "workerinput") or settings.method != "thread":
        return None
    import pytest_timeout

    def timed_out():
        capture = item.config.pluginmanager.getplugin("capturemanager")
        if capture:
            capture.suspend_global_capture(item)
        sys.stderr.write(f"\n+++ Timeout: {item.nodeid} ran past {settings.timeout} s +++\n")
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        sys.stderr.flush()
        pytest_timeout.timeout_timer(item, settings)

    timer = threading.Timer(settings.timeout, timed_out)
    timer.name = f"timeout {item.nodeid}"
    timer.daemon = True

    def cancel():
        timer.cancel()
        timer.join()

    item.cancel_timeout = cancel
    timer.start()
    return True


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # Tests run without `collectstatic`: serve static files straight from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Kept pages would outlive a test's rolled-back database; tests/perf turn the cache on.
    settings.SONAR_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _french_by_default():
    # A request under /en/ leaves English active in the test's thread, and reverse() follows
    # the active language: every test starts, and leaves, in French.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings, request):
    # argon2 is deliberately slow (it is the production hasher); tests about it ask for it by
    # having "argon2" in their name.
    if "argon2" not in request.node.name:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_quiz_read_model():
    # The quiz read model lives in process memory; a rolled-back test database can bring back the
    # same ids and revision numbers with other texts, so each test starts without it.
    from sonar.quiz import data

    data.forget()
    yield
    data.forget()


@pytest.fixture(autouse=True)
def _on_commit_work_runs_when_a_request_ends():
    """Actions send their e-mails once their transaction commits (sonar/core/mail.py). A test's
    database work happens inside a transaction rolled back at its end, which never commits: what
    a request left for the commit runs when that request ends, as it would in production."""
    from django.core.signals import request_finished, request_started
    from django.db import connection

    marks = []

    def started(**kwargs):
        marks.append(len(connection.run_on_commit) if connection.in_atomic_block else None)

    def finished(**kwargs):
        start = marks.pop() if marks else None
        if start is None or not connection.in_atomic_block:
            return
        while len(connection.run_on_commit) > start:
            _sids, callback, _robust = connection.run_on_commit.pop(start)
            callback()

    request_started.connect(started)
    request_finished.connect(finished)
    yield
    request_started.disconnect(started)
    request_finished.disconnect(finished)


@pytest.fixture(autouse=True)
def _fresh_mail_limits(monkeypatch):
    # The e-mail limits count per address for an hour; in a cache of their own, each test
    # starts from zero, and tests sharing a Redis never count against one another.
    from django.core.cache.backends.locmem import LocMemCache

    from sonar.accounts import limits

    counts = LocMemCache("tests-mail-limits", {})
    counts.clear()
    monkeypatch.setattr(limits, "cache", counts)


@pytest.fixture(scope="session")
def reference_documents():
    """The content files, parsed and validated once for the whole run."""
    return content.read(settings.SONAR_CONTENT_DIR)


@pytest.fixture(scope="session")
def _reference_snapshot(django_db_setup, django_db_blocker, reference_documents):
    """Load the reference content once per test process, keep its rows, roll it back."""
    from django.db import transaction

    from tests.snapshot import Snapshot

    with django_db_blocker.unblock(), transaction.atomic():
        snapshot, report = Snapshot.around(lambda: content.load(documents=reference_documents))
        transaction.set_rollback(True)
    return snapshot, report


@pytest.fixture
def reference_content(db, _reference_snapshot):
    """The reference content of content/, as `sonar load-content` leaves it (rows put back)."""
    snapshot, report = _reference_snapshot
    snapshot.restore()
    return report


def chromium_path():
    found = os.environ.get("CHROMIUM") or next(
        (p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None
    )
    return found or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if not path:
        pytest.fail(
            "Chromium est introuvable : `make test` l’installe (apt, en root) ; "
            "sinon installez le paquet Debian `chromium` ou indiquez son chemin dans CHROMIUM."
        )
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # access happens in its own thread, so this only lifts Django's guard for test set-up code.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A Playwright page on the live server that records CSP violations and console errors."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.problems = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"JS error: {exc}"))

    def _console(self, message):
        expected = message.text.startswith("Failed to load resource") and (
            message.location.get("url") == self.page.url
        )
        if message.type == "error" and not expected:
            self.problems.append(message.text)

    def goto(self, path):
        return self.page.goto(self.base_url + path)

    def open_menu(self):
        """On a phone, open the header's menu (sections, account, search, language)."""
        button = self.page.locator("summary.site-menu__button")
        if button.is_visible() and not self.page.locator("details.site-menu[open]").count():
            button.click()

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request):
    return VIEWPORTS[request.param]


@pytest.fixture
def page(browser, live_server, viewport, settings):
    # Links handed out to be opened elsewhere (share links, e-mails) lead to this test server.
    settings.SONAR_BASE_URL = live_server.url
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    wrapped = Page(context.new_page(), live_server.url)
    yield wrapped
    context.close()
    assert not wrapped.problems, "Erreurs dans la console du navigateur :\n" + "\n".join(
        wrapped.problems
    )


def assert_accessible(page):
    """axe-core restricted to the RGAA 4 rules: zero violations allowed."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error

    options = {"runOnly": {"type": "tag", "values": ["RGAAv4"]}}
    for attempt in range(3):
        # After a click on a link, the next page may still be arriving: axe needs a whole
        # document, and one that a navigation does not replace while it reads it.
        page.page.wait_for_load_state("load")
        try:
            results = Axe().run(page.page, options=options)
            break
        except Error as error:
            arriving = "documentElement" in error.message or "context was destroyed" in (
                error.message
            )
            if not arriving or attempt == 2:
                raise
    assert results.violations_count == 0, results.generate_report()
