"""The Redis cache, for which Redis being away is a miss, not an error.

Nothing Sonar keeps in its cache is the only copy of anything: pages, drawings, the wrong-code
counts of workshops. When Redis stops, requests go on as if the cache were empty (the pages are
rendered, the answers stored) instead of failing with a 500; `/healthz` names Redis as down.
Each call gives up after a second, so a Redis that hangs cannot hang the site either. While
Redis is away, wrong join codes are not counted: the limit holds again as soon as it is back.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 1
# One warning per this many seconds of outage, not one per request.
WARN_EVERY_SECONDS = 60
# Keys looked up and deleted per round trip when clearing.
CLEAR_BATCH = 500


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._options = {
            "socket_connect_timeout": TIMEOUT_SECONDS,
            "socket_timeout": TIMEOUT_SECONDS,
            **self._options,
        }
        self._warned_at = None

    def _missed(self, operation):
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at > WARN_EVERY_SECONDS:
            self._warned_at = now
            logger.warning("Redis cache unavailable (%s): serving without it", operation)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            self._missed("add")
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            self._missed("get")
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except RedisError:
            self._missed("set")

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError:
            self._missed("touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            self._missed("delete")
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            self._missed("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError:
            self._missed("has_key")
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError:
            self._missed("incr")
            # What callers already handle: the key is not there.
            raise ValueError(f"Key '{key}' not found (Redis unavailable)") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            self._missed("set_many")
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except RedisError:
            self._missed("delete_many")

    def clear(self):
        """Forget Sonar's keys, those under its KEY_PREFIX, and nothing else.

        Django's clear() empties the whole Redis database (FLUSHDB): every other program
        sharing it, and every other Sonar sharing it under its own prefix, would lose its keys
        too (among them the test processes of one suite, each with its own prefix)."""
        pattern = _glob_escape(self.key_prefix) + ":*"
        try:
            client = self._cache.get_client(None, write=True)
            batch = []
            for name in client.scan_iter(match=pattern, count=CLEAR_BATCH):
                batch.append(name)
                if len(batch) >= CLEAR_BATCH:
                    client.unlink(*batch)
                    batch = []
            if batch:
                client.unlink(*batch)
            return True
        except RedisError:
            self._missed("clear")
            return False


def _glob_escape(text):
    """Text matched literally in a Redis glob pattern (SCAN MATCH)."""
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)
