"""The page store in Redis (sonar/core/pagecache.py): shared by every process, bounded, the
least recently used page out first; the content version survives a lost key."""

import os
import uuid

import pytest
import redis
from django.conf import settings

from sonar.core.pagecache import RedisStore

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


@pytest.fixture
def pages():
    found = RedisStore(settings.REDIS_URL, f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}", limit=3)
    yield found
    client = redis.Redis.from_url(settings.REDIS_URL)
    names = list(client.scan_iter(match=f"{found.prefix}*"))
    if names:
        client.delete(*names)


def entry(text):
    return {"status": 200, "headers": [], "body": text.encode(), "gzip": None, "csrf": False}


def test_the_least_recently_used_page_goes_first_when_full(pages):
    for name in ("a", "b", "c"):
        pages.set(name, entry(name), 60)
    assert pages.get("a")["body"] == b"a"  # used: "b" is now the oldest
    pages.set("d", entry("d"), 60)
    assert pages.get("b") is None
    assert [pages.get(n)["body"] for n in ("a", "c", "d")] == [b"a", b"c", b"d"]


def test_a_bump_changes_the_version_and_a_lost_version_never_comes_back(pages):
    first = pages.version()
    pages.bump()
    second = pages.version()
    assert second != first
    redis.Redis.from_url(settings.REDIS_URL).delete(pages.version_key)
    assert pages.version() not in (first, second)
