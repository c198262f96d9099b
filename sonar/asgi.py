"""The ASGI application: Django's handler, with each request's thread taken from a pool.

Django runs a request's synchronous code (middleware, views, the ORM) on a thread of its own,
created for that request and joined by yet another new thread when it ends. Both threads are
started from the event loop, and starting a thread waits for it to run: while requests are
busy, each start waits its turn for the interpreter, and every live stream, answer and page of
the process waits behind it. With 50 workshops of 20 people, the loop spent most of its time
starting threads and answers took 15 s or more to be acknowledged (bench/scale.py).

Here a request borrows a one-thread executor kept from earlier requests (asgiref's
ThreadSensitiveContext with a given executor: the request's synchronous calls still run one at
a time, on one thread, as Django expects) and gives it back when it ends.

In front of it, sonar/core/frontcache.py answers the pages kept for visitors without a session,
and before anything, sonar/core/admission.py stops a body at its size limit and admits a live
stream only within its caps.
"""

import logging
import os
import queue
import threading
from concurrent.futures import Executor, Future

import django
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonar.settings")
logger = logging.getLogger(__name__)

# Idle executors kept for the next requests; more are made when more requests run at once (each
# live stream holds one while it is open), and those beyond this are let go when given back.
KEPT_IDLE = 64
# An executor's thread ends after this long without work, and a new one starts with the next
# call. A live stream's synchronous work is done in its first milliseconds (reading the
# workshop), then the stream waits for hours: its thread (stack, interpreter state, database
# wrapper, about 100 KB) would wait with it, 500 of them for a room of 500 (bench/workshop.py).
IDLE_SECONDS = 5.0
_STOP = object()


class IdleEndingExecutor(Executor):
    """Runs what it is given one call at a time on one thread, as ThreadSensitiveContext
    requires; the thread starts with the first call and ends after IDLE_SECONDS without one.

    Between two calls separated by a longer wait, a request's thread may change: nothing
    of Django's spans two calls but the database connection, and a thread closes its
    connections before it ends."""

    def __init__(self, idle=None):
        self.idle = IDLE_SECONDS if idle is None else idle
        self._work = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread = None
        self._shut = False

    def submit(self, fn, /, *args, **kwargs):
        future = Future()
        with self._lock:
            if self._shut:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._work.put((future, fn, args, kwargs))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sonar-request", daemon=True)
                self._thread.start()
        return future

    def shutdown(self, wait=True, *, cancel_futures=False):
        with self._lock:
            self._shut = True
            thread = self._thread
            if thread is not None:
                self._work.put(_STOP)
        if wait and thread is not None and thread is not threading.current_thread():
            thread.join()

    @property
    def has_thread(self):
        return self._thread is not None

    def _run(self):
        try:
            while True:
                try:
                    item = self._work.get(timeout=self.idle)
                except queue.Empty:
                    with self._lock:
                        if self._work.empty():
                            self._thread = None
                            return
                    continue
                if item is _STOP:
                    return
                future, fn, args, kwargs = item
                del item
                if future.set_running_or_notify_cancel():
                    try:
                        result = fn(*args, **kwargs)
                    except BaseException as exc:
                        future.set_exception(exc)
                    else:
                        future.set_result(result)
                del future, fn, args, kwargs
        finally:
            _close_connections()


def _close_connections():
    """This thread's database connections, closed as the thread ends."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception:
            logger.debug("Could not close a database connection", exc_info=True)


class Executors:
    def __init__(self, kept=KEPT_IDLE):
        self.kept = kept
        self._idle = []
        self._lock = threading.Lock()

    def take(self):
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return IdleEndingExecutor()

    def give(self, executor):
        with self._lock:
            if len(self._idle) < self.kept:
                self._idle.append(executor)
                return
        # Its thread ends once it has run what it was given; nothing waits for it.
        executor.shutdown(wait=False)


class PooledASGIHandler(ASGIHandler):
    def __init__(self):
        super().__init__()
        self.executors = Executors()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await super().__call__(scope, receive, send)  # refused there
        executor = self.executors.take()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            self.executors.give(executor)


def workshop_streamed(path):
    """The code of the workshop whose live stream `path` opens, or None for any other path."""
    from django.conf import settings
    from django.urls import Resolver404, resolve
    from django.utils.translation import get_language_from_path, override

    # The stream's route, in French and in English (sonar/workshops/urls.py); cheap first.
    if not path.endswith(("/flux", "/stream")):
        return None
    # Under /en/, the English routes: resolve as LocaleMiddleware will.
    with override(get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            match = resolve(path)
        except Resolver404:
            return None
    if match.view_name != "workshops:stream":
        return None
    return match.kwargs["code"].strip().upper()


def get_application():
    django.setup(set_prefix=False)
    # These need the settings.
    from sonar.core.admission import BodyLimit, StreamAdmission
    from sonar.core.frontcache import FrontCache

    # A live stream is let in within its caps, and a body stops at its limit, before anything
    # reads it (sonar/core/admission.py).
    return StreamAdmission(BodyLimit(FrontCache(PooledASGIHandler())), workshop_streamed)


application = get_application()
