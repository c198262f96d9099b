"""The live publisher: the first commit after a quiet spell is published at once, the commits
that follow within the interval by one trailing snapshot, all workshops' trailing snapshots
waited for by one scheduler thread; and Redis channels carry the cache's key prefix."""

import threading

import pytest
import redis
from django.conf import settings

from sonar.workshops import live


class Sent:
    """The snapshots a publisher sent, and a way to wait for the n-th one."""

    def __init__(self):
        self.codes = []
        self.condition = threading.Condition()

    def __call__(self, workshop_id, code):
        with self.condition:
            self.codes.append(code)
            self.condition.notify_all()

    def wait_for(self, count, timeout=10):
        with self.condition:
            assert self.condition.wait_for(lambda: len(self.codes) >= count, timeout), self.codes


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(live, "PUBLISH_INTERVAL_SECONDS", 0.05)


@pytest.mark.engine_independent
def test_commits_in_quick_succession_are_published_once_more_at_the_end(fast):
    publisher = live.Publisher()
    sent = Sent()
    for _ in range(5):
        publisher.committed(1, "ABCDEF", sent)
    assert sent.codes == ["ABCDEF"]  # the first at once, the others wait for the trailing one
    sent.wait_for(2)
    assert sent.codes == ["ABCDEF", "ABCDEF"]


@pytest.mark.engine_independent
def test_every_workshops_trailing_snapshot_is_waited_for_by_one_thread(fast):
    publisher = live.Publisher()
    sent = Sent()
    before = set(threading.enumerate())
    codes = [f"W{n:05d}" for n in range(40)]
    for code in codes:
        publisher.committed(1, code, sent)  # at once
        publisher.committed(1, code, sent)  # trailing
    started = set(threading.enumerate()) - before
    assert [t.name for t in started] == ["sonar-live-scheduler"]
    sent.wait_for(80)
    assert sorted(sent.codes) == sorted(codes * 2)


@pytest.mark.engine_independent
def test_the_scheduler_runs_calls_in_the_order_of_their_time():
    scheduler = live.Scheduler()
    done = Sent()
    now = live.time.monotonic()
    scheduler.call_at(now + 0.06, done, 0, "third")
    scheduler.call_at(now + 0.02, done, 0, "first")
    scheduler.call_at(now + 0.04, done, 0, "second")
    done.wait_for(3)
    assert done.codes == ["first", "second", "third"]


@pytest.mark.engine_independent
def test_a_failing_call_leaves_the_scheduler_running():
    scheduler = live.Scheduler()
    done = Sent()

    def fails():
        raise RuntimeError("a broken snapshot")

    scheduler.call_at(0, fails)
    scheduler.call_at(0, done, 0, "after")
    done.wait_for(1)


@pytest.mark.engine_independent
def test_the_redis_channel_starts_with_the_caches_key_prefix(settings):
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": "metropole-a"},
    }
    assert live.channel_prefix() == "metropole-a:workshops:"


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL (CI's second pass sets it)")
def test_two_sonars_sharing_one_redis_do_not_hear_each_other(settings, monkeypatch):
    client = redis.Redis.from_url(settings.REDIS_URL)
    listening = client.pubsub(ignore_subscribe_messages=True)
    monkeypatch.setattr(live, "hub", live.Hub())
    caches = settings.CACHES["default"]
    try:
        settings.CACHES = {"default": {**caches, "KEY_PREFIX": "sonar-a-test"}}
        listening.psubscribe(live.channel_prefix() + "*")
        listening.get_message(timeout=5)  # the subscription's confirmation
        settings.CACHES = {"default": {**caches, "KEY_PREFIX": "sonar-b-test"}}
        live.publish("BBBBBB", {"version": 1, "stage": "open", "from": "b"})
        settings.CACHES = {"default": {**caches, "KEY_PREFIX": "sonar-a-test"}}
        live.publish("AAAAAA", {"version": 1, "stage": "open", "from": "a"})
        # One client publishes both in order: the first message heard is the first heard at all.
        first = None
        for _ in range(3):
            message = listening.get_message(timeout=5)
            if message and message["type"] == "pmessage":
                first = message
                break
        assert first is not None and first["channel"] == b"sonar-a-test:workshops:AAAAAA"
    finally:
        listening.close()
        client.close()
