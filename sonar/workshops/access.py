"""Who is asking: the participant's and the facilitator's tokens, and the join-code limit.

Tokens travel in cookies on the pages (httponly, SameSite=Lax, one per workshop, so a phone
that sleeps or a server that restarts loses nothing) and as `Authorization: Bearer` in the API.
"""

import threading
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from sonar.workshops.models import Participant, Workshop

PARTICIPANT_COOKIE = "sonar-atelier-{code}"
FACILITATOR_COOKIE = "sonar-animation-{code}"
# Wrong join codes per network address: a whole room behind one address (a town hall's NAT)
# can mistype this many codes in the window before joining pauses; right codes never count.
WRONG_CODE_LIMIT = 100
WRONG_CODE_WINDOW_SECONDS = 10 * 60


def bearer(request):
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def participant_token(request, code):
    return request.COOKIES.get(PARTICIPANT_COOKIE.format(code=code), "") or bearer(request)


def facilitator_token(request, code):
    return request.COOKIES.get(FACILITATOR_COOKIE.format(code=code), "") or bearer(request)


def participant(request, workshop):
    return Participant.objects.by_token(workshop, participant_token(request, workshop.code))


def is_facilitator(request, workshop):
    return workshop.is_facilitator(facilitator_token(request, workshop.code))


def set_token_cookie(response, name, code, token):
    response.set_cookie(
        name.format(code=code),
        token,
        max_age=60 * 60 * 24 * settings.SONAR_WORKSHOP_RETENTION_DAYS,
        httponly=True,
        samesite="Lax",
        secure=settings.HTTPS,
    )


def _limit_key(request):
    return "workshops:wrong-codes:" + request.META.get("REMOTE_ADDR", "")


def too_many_wrong_codes(request):
    return (cache.get(_limit_key(request)) or 0) >= WRONG_CODE_LIMIT


def count_wrong_code(request):
    key = _limit_key(request)
    if cache.add(key, 1, WRONG_CODE_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, WRONG_CODE_WINDOW_SECONDS)


def find(request, raw_code):
    """The workshop with this code, or None; None also when this address has tried too many
    wrong codes lately (then `blocked` is True): guessing codes goes nowhere."""
    if too_many_wrong_codes(request):
        return None, True
    workshop = Workshop.objects.by_code(raw_code)
    if workshop is None:
        count_wrong_code(request)
    return workshop, False


# At most this many workshop requests use the database at once in one process; the others
# wait their turn without holding a connection. Two processes stay well under PostgreSQL's
# default of 100 connections, and fewer threads compete for the interpreter at once.
DATABASE_SLOTS = 16
_slots = threading.BoundedSemaphore(DATABASE_SLOTS)


def uses_database(function):
    """Run `function` in one of the process's database slots, then close its connection.

    Under ASGI a request's connection is not reliably closed when the request ends: it lingers
    until the garbage collector finds it, and a room of 500 people answering through two
    processes ran PostgreSQL out of connections (bench/workshop.py). The workshop views and the
    stream's reads close theirs themselves (a stream stays open for hours and must hold none).
    """

    @wraps(function)
    def wrapper(*args, **kwargs):
        with _slots:
            try:
                return function(*args, **kwargs)
            finally:
                if not connection.in_atomic_block:
                    connection.close()

    return wrapper
