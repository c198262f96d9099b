"""Limits on the e-mails anyone can make Sonar send without logging in: a link to choose a new
password, a new confirmation link (the resend form, or a sign-up with an address that already
has an account). Without them, anyone could flood someone's mailbox, at Sonar's sending cost.

Rules:
- One address receives at most PER_ADDRESS e-mails of one kind per WINDOW_SECONDS (3 an hour).
  Past it, the request is answered exactly as before and no e-mail leaves: the page never says
  whether an address has an account, nor whether it reached its limit.
- One client sends at most PER_CLIENT requests of one kind per WINDOW_SECONDS (20 an hour)
  through the password-reset form and the confirmation link's resend form, counted when the
  address typed is valid (a typo sends nothing); past it, the French 429 page. The client is
  its network as `sonar serve` reports it (X-Forwarded-For is believed only from
  FORWARDED_ALLOW_IPS: sonar/core/serving.py), an IPv6 client counted per /64
  (sonar/core/clients.py), as for the log-in lockout. The agents of a town
  hall behind one public address share it; 20 is far more than they ask for in an hour. The
  sign-up form is limited per address only: a room of newcomers signing up together from one
  address is normal.
- The counts live in Django's cache, in windows that start with the first request. When Redis
  is away, the ResilientRedisCache answers as an empty cache, so these limits fail open: e-mails
  go out as they did before the limits existed. Accepted: that is the worst case, while failing
  closed would stop every password reset during a Redis outage.
"""

import hashlib

from django.core.cache import cache
from django.shortcuts import render

from sonar.core.clients import client_key

WINDOW_SECONDS = 60 * 60
PER_ADDRESS = 3
PER_CLIENT = 20

RESET_LINK = "reset-link"
# The sign-up e-mails: a confirmation link, or "you already have an account".
SIGN_UP = "sign-up"


def _count(key):
    """Add one to the count at `key`; the new count (1 when the cache is away)."""
    if cache.add(key, 1, WINDOW_SECONDS):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls, or the cache is away
        cache.add(key, 1, WINDOW_SECONDS)
        return 1


def _address_key(kind, email):
    # A digest: the cache never holds the address itself.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"accounts:mails:{kind}:{digest}"


def _client_key(kind, request):
    return f"accounts:mail-requests:{kind}:{client_key(request)}"


def client_blocked(kind, request):
    """Whether this client has made PER_CLIENT requests of `kind` this window."""
    return (cache.get(_client_key(kind, request)) or 0) >= PER_CLIENT


def may_send(kind, email, request=None):
    """Count one e-mail of `kind` to `email` (and, given the request, one request from its
    client); whether the e-mail may still leave this window."""
    if request is not None:
        _count(_client_key(kind, request))
    return _count(_address_key(kind, email)) <= PER_ADDRESS


def too_many_requests(request):
    response = render(
        request,
        "accounts/too_many_requests.html",
        {"limit": PER_CLIENT},
        status=429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
