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

In front of it, sonar/core/frontcache.py answers the pages kept for visitors without a session.
"""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonar.settings")

# Idle executors kept for the next requests; more are made when more requests run at once (each
# live stream holds one while it is open), and those beyond this are let go when given back.
KEPT_IDLE = 64


class Executors:
    def __init__(self, kept=KEPT_IDLE):
        self.kept = kept
        self._idle = []
        self._lock = threading.Lock()

    def take(self):
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="sonar-request")

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


def get_application():
    django.setup(set_prefix=False)
    from sonar.core.frontcache import FrontCache  # needs the settings

    return FrontCache(PooledASGIHandler())


application = get_application()
