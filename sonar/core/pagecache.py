"""The page cache: whole pages kept for visitors who carry no session, in one layer.

Most page views come from people who have not logged in and have answered nothing yet: for
them a page is a function of its address and of the reference content, so it is rendered
once and kept. Everything about keeping a page is in this module: which request may be
answered from the cache, the key, the store, what may be stored, and how a kept page is
answered (by PageCacheMiddleware inside Django, or before Django by sonar/core/frontcache.py,
which calls the same functions).

The contract: what a kept page may depend on
---------------------------------------------
A view decorated with `@pagecache.kept` promises that, for a request without cookies (but the
CSRF one), its response depends on nothing but what `key()` holds:

- the release (Sonar's code, templates, translations and static files, and the settings that
  show in pages: `release()`), so a new release never serves the previous one's pages;
- the content version, which every write of reference content moves (`bump()`, called by the
  writers themselves: the content loader and `core.actions.save_revision`);
- the scheme and the host Django sees (`request.scheme`, `request.get_host()`, which read the
  forwarding headers the settings allow);
- the path (the language is in the path) and the query as Django parses it: two addresses
  with the same `request.GET` share one page, so a kept page never reads the raw query string.

It must not depend on the session, the user, any other cookie or header, the clock, or data
that is not reference content (quiz results, workshops, logbooks, accounts). Where a page holds
a form, its CSRF token is a placeholder, and each visitor gets a token of their own when served.

Visitors with a session
-----------------------
A view decorated with `@pagecache.kept(sessions=True)` promises more: with a session too, its
page differs only in the layout's personal zones (`{% personal %}`: the account in the menu,
the messages). A visitor with a session is then served the kept page of the same key with
those zones rendered for them (`splice`), at the cost of the zones alone.

A personal zone may depend on whether the visitor is signed in, not on who they are, on the
page's path and language, on the visitor's messages and on their CSRF token. Rendered once per
process for each path, language and signed-in or not (with the token's placeholder), it is then
served as it is to everyone without a message waiting: a zone that read the user's name would
show one agent's name to another (tests/perf/test_session_pages.py renders a zone with no user
to read, and unknown template variables fail the tests).

The rules that enforce it
-------------------------
- Only a GET or HEAD without a cookie other than the CSRF one, and without a conditional
  header (If-None-Match, If-Modified-Since, Range), is answered from the cache or stored.
- Only a 200 is stored, and only when the response sets no cookie (Django's `get_token` sets
  the CSRF cookie, so a page holding anyone's real token is never kept), leaves the session
  untouched, is not streamed, and does not say `private` or `no-store` in Cache-Control.
- The store is bounded and evicts the least recently used pages: made-up addresses push out
  other pages, they never switch the cache off. In each process's memory without Redis
  (MEMORY_BYTES), in Redis with REDIS_URL (REDIS_PAGES, shared by every process).
- Redis away is a miss: pages are rendered, nothing is kept until it is back (/healthz says
  it is down).

A view whose page shows one value of the visitor's own (the choice made on a quiz question)
calls `kept_variant`: its page is kept once per value, under the page's key with the value
added, and served with the personal zones spliced as above.

SONAR_PAGE_CACHE_SECONDS bounds how long a page is kept (0 turns the cache off).
"""

import gzip
import hashlib
import logging
import os
import pickle
import re
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from functools import lru_cache, wraps
from pathlib import Path
from urllib.parse import urlencode

import django
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.template.loader import get_template
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)

VERSION_FILE = "content-version"
CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")
# Pages larger than this are not kept (none of Sonar's is near it).
LARGEST_PAGE = 2 * 1024 * 1024
# Without Redis: what each process keeps at most, pages and their compressed copies together.
MEMORY_BYTES = 48 * 1024 * 1024
# With Redis: how many pages every process together keeps at most.
REDIS_PAGES = 4000
# Smaller pages gain too little from compression to pay for it.
COMPRESS_FROM = 1024
# Headers not kept with a page: each answer gets its own.
DROPPED = {"set-cookie", "content-length", "x-page-cache", "date"}
# Files whose change makes a new release (the static files show through the manifest).
RELEASE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".svg", ".yaml"}
# Settings that show in pages.
RELEASE_SETTINGS = ("SONAR_BASE_URL", "DEBUG", "STATIC_URL", "LANGUAGE_CODE", "LANGUAGES")


# The layout's parts that are each visitor's own (sonar/core/templatetags/personal.py).
PERSONAL_TEMPLATES = ("core/_account_nav.html", "core/_messages.html")
PERSONAL = re.compile(r"<!--sonar-personal:([\w/.-]+)-->.*?<!--/sonar-personal-->", re.S)
PERSONAL_BYTES = re.compile(PERSONAL.pattern.encode(), re.S)
MESSAGES_TEMPLATE = "core/_messages.html"


def seconds():
    return getattr(settings, "SONAR_PAGE_CACHE_SECONDS", 0)


def placeholder():
    """Where a visitor's CSRF token goes in a kept page. Derived from SECRET_KEY, so that no one
    can put it in a page through a search or an address and have their token written there."""
    return _placeholder(settings.SECRET_KEY)


@lru_cache(maxsize=4)
def _placeholder(secret_key):
    return "csrf-" + salted_hmac("sonar.core.pagecache", "csrf", secret=secret_key).hexdigest()[:40]


@lru_cache(maxsize=1)
def release():
    """A digest of what this process serves pages from: Sonar's code, templates and
    translations, the static files' manifest, Django's version and the settings that show in
    pages. Read once per process."""
    digest = hashlib.sha256(django.get_version().encode())
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*")):
        if path.suffix in RELEASE_SUFFIXES and path.is_file():
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT or "") / "staticfiles.json"
    if settings.STATIC_ROOT and manifest.is_file():
        digest.update(manifest.read_bytes())
    for name in RELEASE_SETTINGS:
        digest.update(repr(getattr(settings, name, None)).encode())
    return digest.hexdigest()[:16]


def private(response, robots="noindex"):
    """Mark a response as one person's own: no search engine, no shared cache, and never kept
    here either (`private, no-store`)."""
    response["X-Robots-Tag"] = robots
    response["Cache-Control"] = "private, no-store"
    return response


# The store.


class MemoryStore:
    """Each process's pages, least recently used evicted first, at most `limit` bytes."""

    def __init__(self, var_dir, limit=MEMORY_BYTES):
        self.version_path = Path(var_dir) / VERSION_FILE
        self.limit = limit
        self.used = 0
        self.entries = OrderedDict()  # key -> (expires, size, entry)
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return found[2]

    def set(self, key, entry, timeout):
        size = _size(entry)
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + timeout, size, entry)
            self.used += size
            while self.used > self.limit and self.entries:
                self._drop(next(iter(self.entries)))

    def _drop(self, key):
        self.used -= self.entries.pop(key)[1]

    def version(self):
        """The content version, in a file under SONAR_VAR_DIR: shared by every process."""
        try:
            status = os.stat(self.version_path)
        except FileNotFoundError:
            return "0"
        # A new file (new inode) at each change: unique even within one clock tick.
        return f"{status.st_ino}-{status.st_mtime_ns}"

    def bump(self):
        path = self.version_path
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".content-version-")
        with os.fdopen(fd, "w") as stream:
            stream.write(secrets.token_hex(8))
        os.replace(temporary, path)


def _size(entry):
    return len(entry["body"]) + len(entry.get("gzip") or b"") + 512


class RedisStore:
    """Pages shared by every process, at most REDIS_PAGES, least recently used evicted first
    (a sorted set holds each page's last use). Redis away is a miss, and for a second after a
    failure it is not asked again, so that a Redis that hangs cannot hang the site."""

    PAUSE_SECONDS = 1

    def __init__(self, url, prefix, limit=REDIS_PAGES):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self.errors = (redis.RedisError, OSError)
        self.prefix = f"{prefix}:pages"
        self.index = f"{self.prefix}:used"
        self.version_key = f"{self.prefix}:content-version"
        self.limit = limit
        self.paused_until = 0.0

    def _call(self, operation, default=None):
        if time.monotonic() < self.paused_until:
            return default
        try:
            return operation()
        except self.errors:
            self.paused_until = time.monotonic() + self.PAUSE_SECONDS
            logger.warning("Redis unavailable: pages are rendered, not kept", exc_info=True)
            return default

    def get(self, key):
        def read():
            pipe = self.client.pipeline(transaction=False)
            pipe.get(f"{self.prefix}:{key}")
            pipe.zadd(self.index, {key: time.time()}, xx=True)
            raw, _used = pipe.execute()
            return pickle.loads(raw) if raw is not None else None  # noqa: S301 (our own entries)

        return self._call(read)

    def set(self, key, entry, timeout):
        def write():
            pipe = self.client.pipeline(transaction=False)
            pipe.set(f"{self.prefix}:{key}", pickle.dumps(entry), ex=max(1, int(timeout)))
            pipe.zadd(self.index, {key: time.time()})
            pipe.zcard(self.index)
            over = pipe.execute()[-1] - self.limit
            if over > 0:
                oldest = [name.decode() for name, _used in self.client.zpopmin(self.index, over)]
                self.client.delete(*(f"{self.prefix}:{name}" for name in oldest))

        self._call(write)

    def version(self):
        """The content version, in Redis; None while Redis is away (nothing is kept then)."""

        def read():
            version = self.client.get(self.version_key)
            if version is None:
                # Starts from the clock, so a lost key never brings back an old version's pages.
                self.client.set(self.version_key, time.time_ns(), nx=True)
                version = self.client.get(self.version_key)
            return version.decode()

        return self._call(read)

    def bump(self):
        def write():
            self.client.set(self.version_key, time.time_ns(), nx=True)
            self.client.incr(self.version_key)

        self._call(write)


_stores = {}
_stores_lock = threading.Lock()


def store():
    """The store of the current settings: Redis with REDIS_URL, else this process's memory."""
    url = settings.REDIS_URL or ""
    where = (url, settings.CACHES["default"].get("KEY_PREFIX", "") or "sonar", settings.VAR_DIR)
    found = _stores.get(where)
    if found is None:
        with _stores_lock:
            found = _stores.get(where)
            if found is None:
                found = RedisStore(url, where[1]) if url else MemoryStore(where[2])
                _stores[where] = found
    return found


# The content version.


def content_version():
    """A value that changes whenever reference content changes, the same in every process;
    None when it cannot be read (Redis away)."""
    return store().version()


def bump():
    """Forget every kept page: now, and again once the change is committed (a page rendered
    meanwhile, from the data before the commit, must not outlive it). Called by every writer of
    reference content."""
    if not seconds():
        return
    current = store()
    current.bump()
    transaction.on_commit(current.bump)


# The key.


def normalised_query(request):
    """The query as Django parsed it: `?a=1&&b=%32` and `?a=1&b=2` are one page."""
    return urlencode(list(request.GET.lists()), doseq=True)


def key(request, version):
    """The one key of a page: release, content version, scheme, host, path and parsed query
    (see the contract above). Raises DisallowedHost for a host Django would refuse."""
    address = "\n".join(
        (request.scheme, request.get_host(), request.path, normalised_query(request))
    )
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()[:40]
    return f"{release()}:{version}:{digest}"


def _eligible(request):
    if request.method not in ("GET", "HEAD") or not seconds():
        return False
    if any(name in request.META for name in CONDITIONAL):
        return False
    return not set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}


def key_for(request):
    """The key this request's page is kept under, or None when it is not to be kept or
    served from the cache."""
    if not _eligible(request):
        return None
    version = content_version()
    if version is None:
        return None
    try:
        return key(request, version)
    except Exception:  # a disallowed or malformed host: Django answers it
        return None


def lookup(request):
    """(key, the kept entry or None); (None, None) when the request is not for the cache."""
    found = key_for(request)
    if found is None:
        return None, None
    return found, store().get(found)


# Answering.


def accepts_gzip(request):
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _with_token(request, response, content):
    """`content` with the placeholder replaced by a CSRF token of this visitor's own, and the
    CSRF cookie set on `response` as Django's CSRF middleware sets it."""
    csrf = CsrfViewMiddleware(lambda _request: response)
    csrf.process_request(request)  # reads the visitor's CSRF cookie, if any
    content = content.replace(placeholder().encode(), get_token(request).encode())
    csrf.process_response(request, response)
    return content


def answer(request, entry):
    """The kept page for this visitor: (status, headers, body, cookies). A token of the
    visitor's own where the page has a form (with the CSRF cookie Django's middleware sets),
    the compressed copy for whoever accepts it where it has none."""
    headers = list(entry["headers"])
    body = entry["body"]
    cookies = None
    if entry["csrf"]:
        carrier = HttpResponse()
        body = _with_token(request, carrier, body)
        cookies = carrier.cookies
    elif entry.get("gzip") and accepts_gzip(request):
        body = entry["gzip"]
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("X-Page-Cache", "hit"))
    return entry["status"], headers, body, cookies


def replay(request, entry):
    """`answer` as a Django response."""
    status, headers, body, cookies = answer(request, entry)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    if cookies:
        response.cookies.update(cookies)
    return response


def _storable(request, response):
    cache_control = response.get("Cache-Control", "").lower()
    return (
        getattr(request, "page_keep", False)
        and request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(getattr(request, "session", None), "modified", False)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and not response.has_header("Content-Encoding")
        and len(response.content) <= LARGEST_PAGE
    )


def keep(request, response, page_key):
    """Store the final response of a page under `page_key`, when the rules allow it."""
    if not _storable(request, response):
        return False
    content = response.content
    csrf = placeholder().encode() in content
    compressed = None
    # No token in the page, nor anything else of a visitor's: nothing for a compression side
    # channel (BREACH) to find. A page with a form is sent as it is.
    if not csrf and len(content) >= COMPRESS_FROM:
        compressed = gzip.compress(content, compresslevel=6, mtime=0)
        if len(compressed) >= len(content):
            compressed = None
        else:
            patch_vary_headers(response, ("Accept-Encoding",))
    patch_vary_headers(response, ("Cookie",))
    entry = {
        "status": response.status_code,
        "headers": [(n, v) for n, v in response.items() if n.lower() not in DROPPED],
        "body": content,
        "gzip": compressed,
        "csrf": csrf,
        "zones": zones(content),
    }
    store().set(page_key, entry, seconds())
    return True


# Visitors missing the same page at once wait for one rendering: when a page is missing (after
# an edit, or at start), fifty visitors of the sea chart must not render it fifty times over.
# Only paths whose view keeps its page are waited on (learnt at their first rendering), so that
# two identical requests for a page that is never kept do not queue behind each other.
_rendering = {}
_rendering_lock = threading.Lock()
_kept_paths = OrderedDict()
KEPT_PATHS = 4096
WAIT_SECONDS = 10


def _learn(path, kept_view):
    with _rendering_lock:
        if kept_view:
            _kept_paths[path] = True
            _kept_paths.move_to_end(path)
            while len(_kept_paths) > KEPT_PATHS:
                _kept_paths.popitem(last=False)
        else:
            _kept_paths.pop(path, None)


def _wait_for_another_rendering(path, page_key):
    """(None, True) at once for the first visitor to miss this page: it renders it. The others
    wait for that rendering and get (the kept page, False), or (None, False) when it was not
    kept (then each renders it for themselves). Paths not known to be kept: (None, False)."""
    with _rendering_lock:
        if path not in _kept_paths:
            return None, False
        event = _rendering.get(page_key)
        if event is None:
            _rendering[page_key] = threading.Event()
            return None, True
    event.wait(WAIT_SECONDS)
    return store().get(page_key), False


def _rendered(page_key):
    with _rendering_lock:
        event = _rendering.pop(page_key, None)
    if event is not None:
        event.set()


def personal_zone(template_name, html):
    """A personal part of a page, marked in a page rendered to be kept."""
    return f"<!--sonar-personal:{template_name}-->{html}<!--/sonar-personal-->"


def zones(body):
    """Where a kept page's personal zones are: [(start, end, template name)], found once when
    the page is kept rather than searched for on each visit (a sea chart is 180 kB)."""
    return [
        (match.start(), match.end(), match.group(1).decode())
        for match in PERSONAL_BYTES.finditer(body)
    ]


@lru_cache(maxsize=4096)
def _zone(template_name, signed_in, path, language, marker):
    """A personal zone as it reads for every visitor who has no message waiting: it depends on
    whether they are signed in, not on who they are (the contract above), on the page's path
    and on the language; the token of its form is the placeholder."""
    context = {
        "request": _Path(path),
        "signed_in": signed_in,
        "messages": (),
        "csrf_token": marker,
    }
    return get_template(template_name).render(context).encode()


class _Path:
    """What a personal zone reads of the request: its path."""

    def __init__(self, path):
        self.path = path


def splice(request, entry):
    """The kept page for a visitor with a session: its personal zones rendered for them."""
    body = entry["body"]
    found = entry.get("zones")
    if found is None:
        found = zones(body)
    signed_in = _signed_in(request) is not None
    messages = get_messages(request)
    language = translation.get_language()
    marker = placeholder()
    parts, done = [], 0
    for start, end, name in found:
        parts.append(body[done:start])
        if name in PERSONAL_TEMPLATES:
            if messages and name == MESSAGES_TEMPLATE:
                parts.append(_with_messages(request, name, signed_in, messages))
            else:
                # Under DEBUG a template edited while the server runs shows at once.
                render = _zone.__wrapped__ if settings.DEBUG else _zone
                parts.append(render(name, signed_in, request.path, language, marker))
        done = end
    parts.append(body[done:])
    body = b"".join(parts)
    marker = marker.encode()
    if marker in body:
        # Django's CSRF middleware sets the cookie on the way out, as for any page.
        body = body.replace(marker, get_token(request).encode())
    response = HttpResponse(body, status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    patch_vary_headers(response, ("Cookie",))
    response["Cache-Control"] = "private"
    response["X-Page-Cache"] = "personal"
    return response


def _with_messages(request, name, signed_in, messages):
    context = {
        "request": request,
        "signed_in": signed_in,
        "messages": messages,
        "csrf_token": placeholder(),
    }
    return get_template(name).render(context).encode()


def _signed_in(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _for_session(request):
    """The kept page spliced for this visitor with a session, or None when there is none."""
    if request.method not in ("GET", "HEAD") or not seconds():
        return None
    if any(name in request.META for name in CONDITIONAL):
        return None
    version = content_version()
    if version is None:
        return None
    entry = store().get(key(request, version))
    return splice(request, entry) if entry is not None else None


def kept_variant(request, variant, render):
    """The page of a kept view that, for a visitor with a session, shows one value of their own
    (`variant`: the choice they made on a quiz question). It is kept once per variant under the
    page's key with the variant added, and only ever served spliced (its personal zones
    rendered for each visitor), never to a visitor without a session: the page kept first holds
    the zones of the visitor it was rendered for. With no variant, the anonymous page itself is
    served when it is kept. `render()` renders the page for this visitor."""
    if getattr(request, "page_key", None) is not None:
        return render()  # no session: kept by the middleware as any page
    try:
        keys = _variant_keys(request, variant)
        for page_key in keys:
            entry = store().get(page_key)
            if entry is not None:
                return splice(request, entry)
    except Exception:
        logger.warning("Could not serve %s from the cache", request.path, exc_info=True)
        return render()
    if not keys:
        return render()
    request.page_keep = True  # the personal zones marked, the token a placeholder
    response = render()
    try:
        keep(request, response, keys[-1])
    except Exception:
        logger.warning("Could not keep %s", request.path, exc_info=True)
    return finish(request, response)


def _variant_keys(request, variant):
    """The keys to look under, the last one the key to keep under (never an anonymous page's)."""
    if request.method not in ("GET", "HEAD") or not seconds():
        return []
    if any(name in request.META for name in CONDITIONAL):
        return []
    version = content_version()
    if version is None:
        return []
    page_key = key(request, version)
    digest = hashlib.sha256(str(variant).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    own = f"{page_key}:session:{digest}"
    return [page_key, own] if not variant else [own]


def kept(view=None, *, sessions=False):
    """Let the page cache keep this view's page (see the contract in the module's docstring);
    with `sessions=True`, visitors with a session get the kept page with their personal zones."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if getattr(request, "page_key", None) is not None:
                request.page_keep = True
            elif sessions:
                try:
                    spliced = _for_session(request)
                except Exception:
                    logger.warning("Could not serve %s from the cache", request.path, exc_info=True)
                    spliced = None
                if spliced is not None:
                    return spliced
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def finish(request, response):
    """A rendered page on its way out: the placeholder of a page that was rendered to be kept
    becomes this visitor's token, whether the page was kept or not."""
    if not getattr(request, "page_keep", False) or response.streaming:
        return response
    if placeholder().encode() in response.content:
        response.content = _with_token(request, response, response.content)
        if response.has_header("Content-Length"):  # set by CommonMiddleware
            response["Content-Length"] = str(len(response.content))
    response["X-Page-Cache"] = "miss"
    return response


class PageCacheMiddleware:
    """First in MIDDLEWARE: answers kept pages, and keeps pages as every other middleware left
    them (headers included). Under `sonar serve`, frontcache answers kept pages before Django
    with `lookup` and `replay`; this middleware stores them and answers under any other server."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            page_key, entry = lookup(request)
        except Exception:
            # The cache away is a miss: the page is rendered, and not kept.
            logger.warning("Page cache lookup failed", exc_info=True)
            page_key = None
        if page_key is None:
            return self.get_response(request)
        leader = False
        if entry is None:
            entry, leader = _wait_for_another_rendering(request.path, page_key)
        if entry is not None:
            return replay(request, entry)
        request.page_key = page_key
        try:
            response = self.get_response(request)
            kept_view = getattr(request, "page_keep", False)
            _learn(request.path, kept_view)
            if kept_view:
                try:
                    keep(request, response, page_key)
                except Exception:
                    # A page not kept is only a slower next visit.
                    logger.warning("Could not keep %s", request.path, exc_info=True)
            return finish(request, response)
        finally:
            if leader:
                _rendered(page_key)
