"""Who a client is, for the limits that count per client: its network, not its exact address.

An IPv4 address is one client. An IPv6 client usually holds a whole /64 (its home or office
network gets one, and its devices pick fresh addresses in it at will, some of them every few
minutes), so counting each IPv6 address apart would give one person endless fresh tries: an
IPv6 client is its /64. An IPv4 address written as IPv6 (::ffff:192.0.2.1, as a dual-stack
server may report it) is the IPv4 client it names.

The key is itself an address (the first one of the /64), so it fits wherever an address is
stored: django-axes keeps it in a GenericIPAddressField. Every per-client count of Sonar uses
this one function: the e-mail limits, the log-in lockout, the workshop-code limit, the live
streams' admission.

`Window` counts events per key in the cache (Redis when REDIS_URL is set, so every process
shares the counts) over a fixed window; a cache that is away counts nothing rather than
failing the request.
"""

import ipaddress
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

IPV6_PREFIX = 64


def network_key(address):
    """The client key of a network address (a string): the IPv4 address, or the IPv6 /64's
    first address; '' when there is no address, and the text itself when it is not one (a
    test client's "testclient", a Unix socket's path), so nothing fails on it."""
    text = (address or "").strip()
    if not text:
        return ""
    try:
        parsed = ipaddress.ip_address(text.split("%", 1)[0])  # without a zone (fe80::1%eth0)
    except ValueError:
        return text
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, IPV6_PREFIX), strict=False).network_address)
    return str(parsed)


def client_key(request):
    """The client key of a Django request (its REMOTE_ADDR, which `sonar serve` takes from
    X-Forwarded-For only behind a trusted proxy)."""
    return network_key(request.META.get("REMOTE_ADDR", ""))


def scope_client_key(scope):
    """The client key of an ASGI connection scope."""
    client = scope.get("client") or ("", 0)
    return network_key(client[0] if client else "")


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
