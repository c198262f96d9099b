"""Who a limit counts: the client's network, and counters over a fixed window.

`network_key(request)` is the key every per-address limit uses: an IPv4 address as it is, an
IPv6 address by its /64, because one subscriber, one phone or one server gets a whole /64 and
could otherwise draw a fresh address for every try. Behind a proxy, REMOTE_ADDR is the client's
only when `sonar serve` trusts the proxy (FORWARDED_ALLOW_IPS, sonar/serving.py).

`Window` counts events per key in the cache (Redis when REDIS_URL is set, so every process
shares the counts) over a fixed window; a cache that is away counts nothing rather than
failing the request.
"""

import ipaddress
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

IPV6_PREFIX = 64


def network_key(request):
    """The client's network as a limit counts it: "203.0.113.7", "2001:db8:1:2::/64"."""
    raw = request.META.get("REMOTE_ADDR", "") or ""
    try:
        address = ipaddress.ip_address(raw.split("%", 1)[0])
    except ValueError:
        return raw[:64]
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


class Window:
    """At most `limit` events per key in `seconds` (a fixed window that starts with the first
    event of the key)."""

    def __init__(self, name, limit, seconds):
        self.name = name
        self.limit = limit
        self.seconds = seconds

    def _key(self, key):
        return f"limits:{self.name}:{key}"

    def count(self, key):
        try:
            return cache.get(self._key(key)) or 0
        except Exception:  # a cache that is away: no limit rather than no site
            logger.warning("The cache is away: %s is not counted", self.name)
            return 0

    def full(self, key):
        return self.count(key) >= self.limit

    def add(self, key):
        cache_key = self._key(key)
        try:
            if cache.add(cache_key, 1, self.seconds):
                return
            try:
                cache.incr(cache_key)
            except ValueError:  # expired between the two calls
                cache.add(cache_key, 1, self.seconds)
        except Exception:
            logger.warning("The cache is away: %s is not counted", self.name)
