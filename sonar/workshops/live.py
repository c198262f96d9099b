"""The live fan-out: every change to a workshop reaches every open screen as a full snapshot.

A writer publishes the new snapshot once its transaction is committed (`publish`, called from
transaction.on_commit in actions.py). In one process the snapshot goes straight to the
subscribers' asyncio events; with REDIS_URL it goes through Redis pub/sub, so a participant
answering through one process is seen by a facilitator connected to another. A subscriber only
ever takes the latest snapshot: a slow screen skips versions and loses nothing, since each
snapshot is complete.
"""

import asyncio
import heapq
import itertools
import json
import logging
import threading
import time
from collections import OrderedDict

from django.conf import settings

logger = logging.getLogger(__name__)

CHANNEL = "workshops:"
# A comment line every 15 s keeps proxies and phones from dropping an idle stream.
HEARTBEAT_SECONDS = 15
# How long a browser waits before reconnecting after a dropped stream (the `retry:` hint).
RETRY_MILLISECONDS = 3000
# A facilitator's screen gets at most one snapshot per interval; what arrives meanwhile is
# merged into the next one (500 people answering need not mean 500 redraws a second).
MIN_INTERVAL_SECONDS = 0.1
# Snapshots built and published per workshop and process: at most one per interval.
PUBLISH_INTERVAL_SECONDS = 0.1
# Snapshots kept per process for workshops seen recently (each is a few kilobytes).
KEPT_CHANNELS = 2000
# A new stream waits this long for the Redis relay before falling back to polling; the relay
# retries a lost Redis connection at growing intervals up to this many seconds, and each
# publication through Redis gives up after the timeout (the answer is stored all the same).
LISTENER_WAIT_SECONDS = 1
RECONNECT_MAX_SECONDS = 5
REDIS_TIMEOUT_SECONDS = 1


def channel_prefix():
    """The Redis channels' prefix: the cache's key prefix first, so that two Sonars sharing one
    Redis (two sites, or a test run beside a site) never hear each other's workshops."""
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:{CHANNEL}"


class Snapshot:
    __slots__ = ("data", "payload", "stage", "version")

    def __init__(self, data, payload=None):
        self.data = data
        self.version = data["version"]
        self.stage = data["stage"]
        self.payload = payload or json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_payload(cls, payload):
        return cls(json.loads(payload), payload)


class Subscriber:
    """One open stream. `full` streams (facilitator, projector) want every change of counts;
    the others (participants) only changes of stage: a question opened, answers revealed."""

    def __init__(self, code, full, loop):
        self.code = code
        self.full = full
        self.loop = loop
        self.event = asyncio.Event()
        # Set when the Redis relay is lost: the stream ends and the browser comes back after
        # the retry hint, polling until the relay is back (changes from other processes
        # would otherwise never reach it).
        self.dropped = False

    def wake(self):
        self.loop.call_soon_threadsafe(self.event.set)


class Hub:
    def __init__(self):
        self._lock = threading.Lock()
        self._latest = OrderedDict()
        self._subscribers = {}
        self._listeners = {}

    def latest(self, code):
        with self._lock:
            return self._latest.get(code)

    def subscribe(self, code, full):
        subscriber = Subscriber(code, full, asyncio.get_running_loop())
        with self._lock:
            self._subscribers.setdefault(code, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber):
        with self._lock:
            subscribers = self._subscribers.get(subscriber.code)
            if subscribers is not None:
                subscribers.discard(subscriber)
                if not subscribers:
                    del self._subscribers[subscriber.code]

    def offer(self, code, snapshot):
        """Keep `snapshot` if it is newer than the one kept, and wake whoever it concerns."""
        with self._lock:
            kept = self._latest.get(code)
            if kept is not None and kept.version >= snapshot.version:
                return False
            self._latest[code] = snapshot
            self._latest.move_to_end(code)
            while len(self._latest) > KEPT_CHANNELS:
                self._latest.popitem(last=False)
            new_stage = kept is None or kept.stage != snapshot.stage
            woken = [s for s in self._subscribers.get(code, ()) if s.full or new_stage]
        for subscriber in woken:
            try:
                subscriber.wake()
            except RuntimeError:  # its event loop has closed: the stream is gone
                self.unsubscribe(subscriber)
        return True

    def drop_streams(self, loop):
        """End every stream of this event loop (see Subscriber.dropped)."""
        with self._lock:
            dropped = [s for group in self._subscribers.values() for s in group if s.loop is loop]
        for subscriber in dropped:
            subscriber.dropped = True
            try:
                subscriber.wake()
            except RuntimeError:
                self.unsubscribe(subscriber)

    async def ensure_listener(self):
        """With Redis, one task per process and event loop relays every workshop's snapshots.

        True once the relay is listening (always, without Redis). False while Redis is away:
        the caller then serves one snapshot and lets the browser come back after the retry
        hint, which is polling; the relay keeps trying to reconnect in the background.
        """
        if not settings.REDIS_URL:
            return True
        loop = asyncio.get_running_loop()
        listener = self._listeners.get(loop)
        if listener is None or listener[0].done():
            ready = asyncio.Event()
            listener = (loop.create_task(self._listen(ready)), ready)
            self._listeners[loop] = listener
        ready = listener[1]
        try:
            await asyncio.wait_for(ready.wait(), LISTENER_WAIT_SECONDS)
        except TimeoutError:
            return False
        return True

    async def _listen(self, ready):
        import redis.asyncio as aioredis

        delay = 0.5
        while True:
            client = aioredis.from_url(settings.REDIS_URL)
            pubsub = client.pubsub(ignore_subscribe_messages=True)
            try:
                prefix = channel_prefix()
                await pubsub.psubscribe(prefix + "*")
                ready.set()
                delay = 0.5
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    code = message["channel"].decode()[len(prefix) :]
                    self.offer(code, Snapshot.from_payload(message["data"].decode()))
            except asyncio.CancelledError:
                raise
            except Exception:
                # New streams poll until the relay is back (see ensure_listener).
                ready.clear()
                self.drop_streams(asyncio.get_running_loop())
                logger.warning("Live relay lost its Redis connection; retrying", exc_info=True)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_SECONDS)
            finally:
                try:
                    await pubsub.aclose()
                    await client.aclose()
                except Exception:  # noqa: S110 - a broken connection closes as it can
                    pass


class Scheduler:
    """One thread per process that runs calls at their time: however many workshops wait for
    a trailing snapshot, one thread waits for them all (a timer thread each cost a thread per
    workshop and per interval). Calls run one after another: a trailing snapshot takes a few
    milliseconds to build. Started at the first call, and again in a forked process."""

    def __init__(self):
        self._condition = threading.Condition()
        self._queue = []  # (when, order, function, args), the soonest first
        self._order = itertools.count()
        self._thread = None

    def call_at(self, when, function, *args):
        """Run function(*args) in the scheduler's thread once time.monotonic() reaches when."""
        with self._condition:
            heapq.heappush(self._queue, (when, next(self._order), function, args))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="sonar-live-scheduler", daemon=True
                )
                self._thread.start()
            self._condition.notify()

    def _run(self):
        while True:
            with self._condition:
                while not self._queue:
                    self._condition.wait()
                when, _order, function, args = self._queue[0]
                wait = when - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue  # an earlier call may have come in meanwhile
                heapq.heappop(self._queue)
            try:
                function(*args)
            except Exception:
                logger.exception("A scheduled call failed")


class Publisher:
    """Builds and sends at most one snapshot per workshop per interval in this process.

    The first commit after a quiet spell is published at once; commits that follow within the
    interval are covered by one trailing snapshot, read from the database when the interval
    ends, so it holds every one of them. With 500 people answering, snapshots are built a few
    times a second instead of once per answer, and nothing committed is left unpublished.
    """

    def __init__(self, scheduler=None):
        self._lock = threading.Lock()
        self._last = {}
        self._pending = set()
        self.scheduler = scheduler or Scheduler()

    def committed(self, workshop_id, code, send):
        now = time.monotonic()
        with self._lock:
            if code in self._pending:
                return  # the trailing snapshot will read this commit too
            wait = self._last.get(code, 0.0) + PUBLISH_INTERVAL_SECONDS - now
            if wait <= 0:
                self._last[code] = now
            else:
                self._pending.add(code)
        if wait <= 0:
            send(workshop_id, code)
        else:
            self.scheduler.call_at(now + wait, self._trailing, workshop_id, code, send)

    def _trailing(self, workshop_id, code, send):
        from django.db import connection

        with self._lock:
            # Cleared before reading: a commit from now on schedules its own snapshot.
            self._pending.discard(code)
            self._last[code] = time.monotonic()
        try:
            send(workshop_id, code)
        except Exception:
            logger.exception("Could not publish workshop %s", code)
        finally:
            connection.close()


hub = Hub()
publisher = Publisher()
_redis = None
_redis_lock = threading.Lock()


def _redis_client():
    global _redis
    with _redis_lock:
        if _redis is None:
            import redis

            _redis = redis.Redis.from_url(
                settings.REDIS_URL,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
            )
        return _redis


def publish(code, data):
    """Send a committed snapshot to every stream, in this process or (with Redis) any other."""
    snapshot = Snapshot(data)
    if settings.REDIS_URL:
        try:
            _redis_client().publish(channel_prefix() + code, snapshot.payload)
        except Exception:
            # The answer is stored whatever happens here; screens catch up at the next change
            # or by polling. Local streams still get it.
            logger.warning("Could not publish workshop %s through Redis", code, exc_info=True)
    hub.offer(code, snapshot)


def event(snapshot):
    return f"id: {snapshot.version}\nevent: snapshot\ndata: {snapshot.payload}\n\n"


async def stream(code, full, initial, last_id):
    """The Server-Sent Events of one screen, until it disconnects.

    `initial` is the snapshot read when the stream opened; anything published since is already
    kept by the hub (in this process, or relayed from Redis), so nothing is missed. A client
    that says it has seen a version (Last-Event-ID) gets only newer ones; otherwise the current
    snapshot comes at once.
    """
    subscriber = hub.subscribe(code, full)
    try:
        hub.offer(code, initial)
        yield f"retry: {RETRY_MILLISECONDS}\n\n"
        sent = last_id or 0
        sent_stage = None
        last_sent_at = 0.0
        while not subscriber.dropped:
            latest = hub.latest(code)
            due = latest is not None and latest.version > sent
            if due and not full and latest.stage == sent_stage:
                due = False  # counts changed, nothing a participant sees
                sent = latest.version
            if due:
                wait = MIN_INTERVAL_SECONDS - (time.monotonic() - last_sent_at)
                if full and wait > 0:
                    await asyncio.sleep(wait)
                    latest = hub.latest(code)
                yield event(latest)
                sent, sent_stage, last_sent_at = latest.version, latest.stage, time.monotonic()
                continue
            subscriber.event.clear()
            if (hub.latest(code) or latest) is not latest:
                continue  # something came in between the check and the clear
            try:
                await asyncio.wait_for(subscriber.event.wait(), HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": heartbeat\n\n"
    finally:
        hub.unsubscribe(subscriber)
