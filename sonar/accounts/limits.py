"""Limits on the e-mails people can make Sonar send: a link to choose a new password, a sign-up
link (or "you already have an account"), an invitation to an organisation or a project's team.
Without them, anyone could flood someone's mailbox, or use Sonar to send their own messages, at
Sonar's sending cost and in its name.

Rules:
- One address receives at most PER_ADDRESS e-mails of one kind per WINDOW_SECONDS (3 an hour).
  For the e-mails anyone can ask for without logging in, the request past it is answered
  exactly as before and no e-mail leaves: the page never says whether an address has an
  account, nor whether it reached its limit.
- One client makes at most PER_CLIENT[kind] requests of one kind per WINDOW_SECONDS through
  the password-reset form (20 an hour) and the sign-up and new-link forms (60 an hour), counted
  when the address typed is valid (a typo sends nothing); past it, the French 429 page. The
  client is its network as `sonar serve` reports it (X-Forwarded-For is believed only from
  FORWARDED_ALLOW_IPS: sonar/serving.py), an IPv6 client counted per /64
  (sonar/core/clients.py), as for the log-in lockout. The agents of a town hall behind one
  public address share it: 20 resets an hour is far more than they ask for, and 60 sign-ups
  leaves room for a training session where everyone creates an account at once.
- One signed-in person sends at most PER_SENDER invitations per WINDOW_SECONDS (30 an hour,
  organisations and projects together), and one address receives at most PER_ADDRESS of them:
  past either, the inviting form says so (the sender is known, nothing is hidden from them).
- The counts live in Django's cache, in windows that start with the first request. When Redis
  is away, the ResilientRedisCache answers as an empty cache, so these limits fail open: e-mails
  go out as they did before the limits existed. Accepted: that is the worst case, while failing
  closed would stop every password reset during a Redis outage.
"""

import hashlib

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from sonar.core import pagecache
from sonar.core.clients import client_key

WINDOW_SECONDS = 60 * 60
PER_ADDRESS = 3

RESET_LINK = "reset-link"
# The sign-up e-mails: a sign-up link, or "you already have an account".
SIGN_UP = "sign-up"
# Invitations to an organisation or to a project's team.
INVITATION = "invitation"

PER_CLIENT = {RESET_LINK: 20, SIGN_UP: 60}
PER_SENDER = 30


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


def _sender_key(user):
    return f"accounts:invitations-sent:{user.pk}"


def client_blocked(kind, request):
    """Whether this client has made PER_CLIENT[kind] requests of `kind` this window."""
    return (cache.get(_client_key(kind, request)) or 0) >= PER_CLIENT[kind]


def count_request(kind, request):
    """Count one request of `kind` from this client (a valid address was typed)."""
    _count(_client_key(kind, request))


def may_send(kind, email):
    """Count one e-mail of `kind` to `email`; whether it may still leave this window."""
    return _count(_address_key(kind, email)) <= PER_ADDRESS


def invitation_refused(sender, email):
    """Count one invitation from `sender` to `email`; None when it may leave, else the French
    sentence that says why not."""
    if (cache.get(_sender_key(sender)) or 0) >= PER_SENDER:
        return _(
            "Vous avez envoyé %(limit)s invitations en moins d’une heure : c’est le plus "
            "qu’accepte Sonar, pour qu’on ne puisse pas s’en servir pour envoyer des courriels "
            "en nombre. Réessayez d’ici une heure."
        ) % {"limit": PER_SENDER}
    if (cache.get(_address_key(INVITATION, email)) or 0) >= PER_ADDRESS:
        return _(
            "Cette adresse a déjà reçu %(limit)s invitations de Sonar en moins d’une heure. "
            "Réessayez plus tard."
        ) % {"limit": PER_ADDRESS}
    _count(_sender_key(sender))
    _count(_address_key(INVITATION, email))
    return None


def too_many_requests(request, kind):
    response = render(
        request,
        "accounts/too_many_requests.html",
        {"limit": PER_CLIENT[kind]},
        status=429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS)

    return pagecache.private(response)
