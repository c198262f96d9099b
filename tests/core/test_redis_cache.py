"""The Redis cache's clear() forgets Sonar's keys only (sonar/core/cache.py)."""

import os
import uuid

import pytest
import redis
from django.conf import settings

from sonar.core.cache import CLEAR_BATCH, ResilientRedisCache

URL = settings.REDIS_URL or "redis://127.0.0.1:6379/0"


@pytest.fixture
def client():
    connection = redis.Redis.from_url(URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip(f"No Redis at {URL}")
    yield connection
    connection.close()


def a_cache(prefix):
    return ResilientRedisCache(URL, {"KEY_PREFIX": prefix})


def unique(name):
    return f"{name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def test_clear_forgets_its_own_keys_and_leaves_the_others(client):
    ours, theirs = a_cache(unique("ours")), a_cache(unique("theirs"))
    foreign = unique("another-program")
    try:
        client.set(foreign, b"kept")
        for number in range(CLEAR_BATCH * 2 + 7):  # more than one batch
            ours.set(f"page-{number}", number)
        theirs.set("page-1", "theirs")
        assert ours.clear() is True
        assert ours.get("page-1") is None
        assert ours.get(f"page-{CLEAR_BATCH * 2 + 6}") is None
        assert list(client.scan_iter(match=f"{ours.key_prefix}:*")) == []
        assert theirs.get("page-1") == "theirs"
        assert client.get(foreign) == b"kept"
    finally:
        client.delete(foreign)
        theirs.clear()


def test_a_prefix_with_pattern_characters_is_matched_literally(client):
    base = unique("p")
    ours, theirs = a_cache(f"{base}*[a]?"), a_cache(f"{base}x[a]y")
    try:
        ours.set("page", "ours")
        theirs.set("page", "theirs")
        ours.clear()
        assert ours.get("page") is None
        assert theirs.get("page") == "theirs"
    finally:
        theirs.clear()


def test_clear_without_redis_is_a_miss_not_an_error():
    assert ResilientRedisCache("redis://127.0.0.1:9/0", {}).clear() is False
