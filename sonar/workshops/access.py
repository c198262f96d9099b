"""Who is asking: the participant's and the facilitator's tokens, and the one lookup of a
workshop code, which counts wrong codes.

Tokens travel in cookies on the pages (httponly, SameSite=Lax, one per workshop, so a phone
that sleeps or a server that restarts loses nothing) and as `Authorization: Bearer` in the API.

Guessing codes
--------------
A code has 6 characters out of 31 (about 887 million codes). Every URL that takes a code — the
pages, the exports, the live stream, the API, positioning a logbook — finds its workshop through
`lookup()`, which is the only caller of `Workshop.objects.by_code` (a test built from the URL
conf checks each URL, tests/security/test_code_guessing.py). The rule:

1. A wrong code counts against the client's **network** (its address, an IPv6 /64:
   sonar.core.clients.client_key) and against the **browser** that typed it (a random id in
   the `sonar-essais` cookie, set on the first wrong code). Right codes never count.
2. A browser that typed CLIENT_LIMIT wrong codes in the window is refused (429) before its code
   is even looked at. A network that typed NETWORK_LIMIT wrong codes is refused the same way:
   the answer to a right code and to a wrong one is then the same 429, so a guess that hits
   cannot be told apart.
3. Two ways in never count and are never refused: a client that already holds a valid
   participant or facilitator token for the workshop (people already in keep answering), and
   the **room link** — the join link with its room key (`?cle=…`, an HMAC of the code under
   SECRET_KEY) that the QR code, the facilitator's page, the projector and the API's `join_url`
   carry. Only someone shown the link has the key; a wrong key is an ordinary try.

Why this shape (the town hall's NAT). One person behind the NAT of a town hall must not stop a
whole room from joining for ten minutes. With a normal browser, a colleague who mistypes is
stopped at CLIENT_LIMIT (10) tries, long before the network's 100: the room is untouched.
Someone who clears cookies to go on guessing reaches the network's limit; from then on, for up
to WINDOW_SECONDS, that network must join by the QR code or the link (the 429 page says so),
and people in the workshop carry on. What was not chosen:
- accepting a right code from any browser "that has not guessed": a guesser clears its cookies
  and every try comes from such a browser, so the limit would stop nothing;
- a proof of work for a network over its limit: what a phone computes in JavaScript in a second
  a guesser computes natively in a few milliseconds, and it would shut out phones without
  JavaScript, which Sonar serves.
bench/codes.py measures both stories (figures in bench/results/codes.md).
"""

import secrets
import threading
from functools import wraps

from django.conf import settings
from django.db import connection
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from sonar.core.clients import Window, client_key
from sonar.core.links import absolute
from sonar.workshops.models import Facilitation, Participant, Workshop, normalise_code

PARTICIPANT_COOKIE = "sonar-atelier-{code}"
FACILITATOR_COOKIE = "sonar-animation-{code}"
CLIENT_COOKIE = "sonar-essais"
ROOM_KEY_PARAMETER = "cle"

WRONG_CODE_WINDOW_SECONDS = 10 * 60
# Wrong codes per network address in the window: a whole room behind one address can mistype
# this many before typed codes pause for that network (the room link still works).
WRONG_CODE_LIMIT = 100
# Wrong codes per browser in the window.
CLIENT_LIMIT = 10


class CodeRefused(Exception):
    """No workshop for this code (404), or too many wrong codes lately (429)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


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
    return facilitator_access(request, workshop) is not None


# Who runs the workshop: the creation link, and each person's own access (models.Facilitation).
CREATOR = "creator"


def valid_facilitator_token(workshop, token):
    """Whether `token` opens the workshop: the creation link's, or a co-facilitator's own
    token that has not been withdrawn."""
    return workshop.is_facilitator(token) or (
        bool(token) and Facilitation.objects.by_token(workshop, token) is not None
    )


def facilitator_access(request, workshop):
    """How this request runs the workshop, or None: CREATOR (the creation link's token), or the
    Facilitation it holds (a co-facilitator's own token, or the signed-in account of the owner
    or of a co-facilitator). A withdrawn access is None from the moment it is withdrawn."""
    token = facilitator_token(request, workshop.code)
    if workshop.is_facilitator(token):
        return CREATOR
    found = Facilitation.objects.by_token(workshop, token) if token else None
    if found is None:
        user = getattr(request, "user", None)
        # The owner first: she may manage the others.
        found = (
            Facilitation.objects.of_user(user).filter(workshop=workshop).order_by("-role").first()
        )
    return found


def manages_access(request, workshop):
    """Whether this request may add and withdraw co-facilitators and attach the workshop: the
    holder of the creation link, or the signed-in owner."""
    found = facilitator_access(request, workshop)
    return found == CREATOR or (isinstance(found, Facilitation) and found.is_owner)


def set_token_cookie(response, name, code, token):
    response.set_cookie(
        name.format(code=code),
        token,
        max_age=60 * 60 * 24 * settings.SONAR_WORKSHOP_RETENTION_DAYS,
        httponly=True,
        samesite="Lax",
        secure=settings.HTTPS,
    )


# The room link ------------------------------------------------------------------------------


def room_key(code):
    """The key of the room link of the workshop `code` (see the module's docstring)."""
    digest = salted_hmac("sonar.workshops.room-link", normalise_code(code)).hexdigest()
    return digest[:16]


def room_link(workshop):
    """The absolute join link with its room key: for the QR code, the facilitator, the API."""
    return absolute(f"{workshop.get_absolute_url()}?{ROOM_KEY_PARAMETER}={room_key(workshop.code)}")


def _has_room_key(code, key):
    return bool(key) and constant_time_compare(str(key)[:64], room_key(code))


# Counting wrong codes ------------------------------------------------------------------------


def networks():
    return Window("workshops:wrong-codes:network", WRONG_CODE_LIMIT, WRONG_CODE_WINDOW_SECONDS)


def clients():
    return Window("workshops:wrong-codes:client", CLIENT_LIMIT, WRONG_CODE_WINDOW_SECONDS)


def _client_id(request):
    value = request.COOKIES.get(CLIENT_COOKIE, "")
    return value if value.isalnum() and len(value) == 22 else ""


def too_many_wrong_codes(request):
    client = _client_id(request)
    return (client and clients().full(client)) or networks().full(client_key(request))


def _count_wrong_code(request):
    networks().add(client_key(request))
    client = _client_id(request) or secrets.token_urlsafe(16).replace("-", "a").replace("_", "b")
    clients().add(client)
    # The page that answers gives the browser this id (`remember_client`); an API client
    # keeps no cookie and is counted by its network alone.
    request.workshop_client = client


def remember_client(request, response):
    """Give a browser that typed its first wrong code the id its next tries count under."""
    client = getattr(request, "workshop_client", "")
    if client and client != _client_id(request):
        response.set_cookie(
            CLIENT_COOKIE,
            client,
            max_age=WRONG_CODE_WINDOW_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.HTTPS,
        )
    return response


def _holds_a_token(request, workshop):
    code = workshop.code
    if not participant_token(request, code) and not facilitator_token(request, code):
        return False
    return participant(request, workshop) is not None or is_facilitator(request, workshop)


def lookup(request, raw_code, key=""):
    """The workshop with this code, for this request; raises CodeRefused.

    The one way any view finds a workshop from a code (module docstring): right codes never
    count; wrong ones count against the network and the browser; past either limit every code
    is refused alike, except for a client already in the workshop and for the room link.
    """
    workshop = Workshop.objects.by_code(raw_code)
    if workshop is not None and (
        _has_room_key(workshop.code, key) or _holds_a_token(request, workshop)
    ):
        return workshop
    if workshop is None and _has_room_key(normalise_code(raw_code), key):
        raise CodeRefused(404, _("Aucun atelier ne porte ce code."))
    if too_many_wrong_codes(request):
        raise CodeRefused(
            429,
            _(
                "Trop de codes erronés ont été saisis depuis votre réseau : par sécurité, il faut "
                "attendre quelques minutes avant de réessayer (au plus %(minutes)d minutes), ou "
                "rejoindre l’atelier par son QR code ou le lien que donne la personne qui anime."
            )
            % {"minutes": WRONG_CODE_WINDOW_SECONDS // 60},
        )
    if workshop is None:
        _count_wrong_code(request)
        raise CodeRefused(404, _("Aucun atelier ne porte ce code."))
    return workshop


def facilitated(request, code):
    """The workshop, when this request holds its facilitator token; raises CodeRefused (404,
    429) for the code, or NotFacilitator."""
    workshop = lookup(request, code)
    if not is_facilitator(request, workshop):
        raise NotFacilitator(workshop)
    return workshop


class NotFacilitator(Exception):
    """The workshop exists, and this request does not hold its facilitator token."""

    def __init__(self, workshop):
        super().__init__(workshop.code)
        self.workshop = workshop


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
