"""Whole pages kept for visitors who carry no session, invalidated by any content edit.

Most page views come from people who have not logged in and have answered nothing yet: for
them a page is a function of its address, its language and the reference content, so it is
rendered once and kept. Three rules keep that safe:

- Only a GET or HEAD without a session cookie is served from, or stored into, the cache. A
  session means a logged-in person, messages or quiz answers: those requests are rendered
  for their owner, as before. A response that sets a cookie (a new session) or changes the
  session is never stored.
- A page holding a form holds a CSRF token, which is the visitor's own. Before a page is
  stored, every token of the visitor is replaced by a placeholder; each visitor served from
  the cache gets a token of their own in its place (and the CSRF cookie that goes with it).
- The cache key holds a content version that every save or deletion of reference content
  (quiz, atlas, journeys) changes: an edit shows at once. The version is shared by every
  process: a key in Redis when REDIS_URL is set (the cache is then Redis too), otherwise a
  file under SONAR_VAR_DIR (the cache is then each process's memory).

SONAR_PAGE_CACHE_SECONDS bounds how long a page is kept (0 turns the cache off).
"""

import hashlib
import os
import re
import secrets
import tempfile
import threading
import time
from functools import lru_cache, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

VERSION_KEY = "pagecache:content-version"
VERSION_FILE = "content-version"
# Apps whose models are the reference content every cached page is built from. A quiz result
# is a visitor's own and is only shown at its own address: creating one changes no other page.
CONTENT_APPS = {"quiz", "atlas", "journeys"}
VISITOR_DATA = {"quiz.Result"}
# Headers of the view's response kept with the page; the middleware adds the others each time.
KEPT_HEADERS = ("Content-Type", "Cache-Control", "X-Robots-Tag", "Content-Disposition")
# Pages larger than this are not kept (none of Sonar's is near it).
LARGEST_PAGE = 2 * 1024 * 1024
MAX_KEPT_PER_PERIOD = 2000
TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def placeholder():
    """Where a visitor's CSRF token goes in a kept page. Derived from SECRET_KEY, so that no one
    can put it in a page through a search or an address and have their token written there."""
    return _placeholder(settings.SECRET_KEY)


@lru_cache(maxsize=4)
def _placeholder(secret_key):
    return "csrf-" + salted_hmac("sonar.core.pagecache", "csrf", secret=secret_key).hexdigest()[:40]


def seconds():
    return getattr(settings, "SONAR_PAGE_CACHE_SECONDS", 0)


def _version_path():
    return Path(settings.VAR_DIR) / VERSION_FILE


def content_version():
    """A value that changes whenever reference content changes, the same in every process."""
    if settings.REDIS_URL:
        version = cache.get(VERSION_KEY)
        if version is None:
            # Starts from the clock, so a lost key never brings back an old version's pages.
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache.get(VERSION_KEY)
        return version
    try:
        status = os.stat(_version_path())
    except FileNotFoundError:
        return "0"
    # A new file (new inode) at each change: unique even within one clock tick.
    return f"{status.st_ino}-{status.st_mtime_ns}"


def _bump_now():
    if settings.REDIS_URL:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        return
    path = _version_path()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".content-version-")
    with os.fdopen(fd, "w") as stream:
        stream.write(secrets.token_hex(8))
    os.replace(temporary, path)


def bump():
    """Forget every cached page: now, and again once the change is committed (a page rendered
    meanwhile, from the data before the commit, must not outlive it)."""
    if not seconds():
        return
    _bump_now()
    transaction.on_commit(_bump_now)


def content_changed(sender, **kwargs):
    """Signal receiver (post_save, post_delete, m2m_changed; connected in CoreConfig.ready)."""
    label = sender._meta.label
    if sender._meta.app_label not in CONTENT_APPS:
        return
    if label in VISITOR_DATA and "created" in kwargs:
        return  # a new result changes no page but its own, which did not exist before
    bump()


def _key(request, version):
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"pagecache:{version}:{get_language()}:{request.scheme}:{digest}"


def keep(key, entry):
    """Store a kept page, within a budget: at most MAX_KEPT_PER_PERIOD new pages per period of
    SONAR_PAGE_CACHE_SECONDS. Every address with a new query string is a new page; without a
    ceiling, someone requesting made-up addresses could fill the cache (Redis keeps what it is
    given until it expires). Pages expire after one period, so at most twice the budget is kept
    at any time; beyond it, pages are rendered each time until the next period."""
    period = seconds()
    counter = f"pagecache:budget:{int(time.time() // period)}"
    try:
        used = cache.incr(counter)
    except ValueError:
        cache.add(counter, 0, period * 2)
        used = cache.incr(counter)
    if used <= MAX_KEPT_PER_PERIOD:
        cache.set(key, entry, period)


def _eligible(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and seconds() > 0
    )


def _without_csrf(request, content):
    """The page with this visitor's CSRF tokens replaced by the placeholder, and whether there
    were any; None when a trace of their secret would remain (then the page is not kept).

    Every 64-character word of the page is checked against the visitor's secret, whatever
    rendered it (a form's hidden field or anything else)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return content, False
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None, False
    found = []

    def swap(match):
        if _unmask_cipher_token(match.group(0)) != secret:
            return match.group(0)
        found.append(match)
        return placeholder()

    text = TOKEN.sub(swap, text)
    if secret in text:
        return None, False
    return text.encode("utf-8"), bool(found)


def _store(request, key, response):
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or getattr(request, "session", None) is None
        or request.session.modified
    ):
        return
    content, csrf = _without_csrf(request, response.content)
    if content is None or len(content) > LARGEST_PAGE:
        return
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    keep(key, {"content": content, "headers": headers, "csrf": csrf})
    return True


def _replay(request, kept):
    content = kept["content"]
    if kept["csrf"]:
        content = content.replace(placeholder().encode(), get_token(request).encode())
    response = HttpResponse(content)
    for name, value in kept["headers"].items():
        response[name] = value
    # The same page is rendered differently for a visitor with a session.
    patch_vary_headers(response, ("Cookie",))
    response["X-Page-Cache"] = "hit"
    return response


# Pages being rendered in this process, each with the event its other visitors wait on: when a
# page is missing (after an edit, or at start), fifty visitors at once must not render it fifty
# times over (the sea chart takes a few hundred milliseconds: its p99 went above 300 ms).
_rendering = {}
_rendering_lock = threading.Lock()
WAIT_SECONDS = 10


def _wait_for_another_rendering(key):
    """(None, True) at once for the first visitor to miss this page: it renders it. The others
    wait for that rendering and get (the kept page, False), or (None, False) when it was not
    kept (then each renders it for themselves)."""
    with _rendering_lock:
        event = _rendering.get(key)
        if event is None:
            _rendering[key] = threading.Event()
            return None, True
    event.wait(WAIT_SECONDS)
    return cache.get(key), False


def _rendered(key):
    with _rendering_lock:
        event = _rendering.pop(key, None)
    if event is not None:
        event.set()


def for_anonymous(view):
    """Serve this view's page from the shared cache to visitors without a session.

    For views whose page, without a session, depends only on the address, the language and
    the reference content (see the module's docstring).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _eligible(request):
            return view(request, *args, **kwargs)
        # The key is taken before rendering: a page rendered while content changes is stored
        # under the version it started from, which is then already out of use.
        version = content_version()
        key = _key(request, version)
        kept, leader = cache.get(key), False
        if kept is None:
            kept, leader = _wait_for_another_rendering(key)
        if kept is not None:
            # sonar/core/frontcache.py may keep the whole response (headers included).
            request.front_version = version
            return _replay(request, kept)
        try:
            response = view(request, *args, **kwargs)
            if _store(request, key, response):
                request.front_version = version
        finally:
            if leader:
                _rendered(key)
        response["X-Page-Cache"] = "miss"
        return response

    return wrapper
