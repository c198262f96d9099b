"""The workshop e-mails: a facilitator's own secret link sent to herself, and a new
co-facilitator's link. Sent once the transaction commits (sonar/core/mail.py), with links on
SONAR_BASE_URL (sonar/core/links.py).

Limits, as for the account e-mails (sonar/accounts/limits.py), counted in windows of
WINDOW_SECONDS in the shared cache (sonar/core/clients.Window, which fails open when the cache
is away):
- one client (its network, sonar/core/clients.client_key) asks for at most PER_CLIENT workshop
  e-mails an hour: a facilitator sends herself her link once or twice, a room of co-facilitators
  is a handful;
- one address receives at most PER_ADDRESS of them an hour.
Past either, the form says so in French and no e-mail leaves. An e-mail to someone else quotes
the workshop's title on one short line with no working link (sonar.core.mail.quoted): a title
is typed by anyone, and must not make Sonar a mailer for their message.
"""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from sonar.core import mail
from sonar.core.clients import Window, client_key
from sonar.core.links import absolute

WINDOW_SECONDS = 60 * 60
PER_CLIENT = 20
PER_ADDRESS = 3


def _clients():
    return Window("workshops:mails:client", PER_CLIENT, WINDOW_SECONDS)


def _addresses():
    return Window("workshops:mails:address", PER_ADDRESS, WINDOW_SECONDS)


def _address_key(email):
    # A digest: the cache never holds the address itself.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def refusal(request, email):
    """None when one more workshop e-mail to `email` may leave for this client (and count it),
    else the French sentence that says why not."""
    client = client_key(request)
    if _clients().full(client):
        return _(
            "Trop de courriels ont été demandés depuis votre réseau en moins d’une heure "
            "(%(limit)d au plus) : réessayez plus tard."
        ) % {"limit": PER_CLIENT}
    if _addresses().full(_address_key(email)):
        return _(
            "Cette adresse a déjà reçu %(limit)d courriels d’atelier en moins d’une heure : "
            "réessayez plus tard."
        ) % {"limit": PER_ADDRESS}
    _clients().add(client)
    _addresses().add(_address_key(email))
    return None


def secret_url(code, token):
    return absolute(reverse("workshops:secret", args=[code, token]))


def _send(name, to, context):
    context = {"base_url": settings.SONAR_BASE_URL, **context}
    subject = render_to_string(f"workshops/email/{name}_subject.txt", context)
    body = render_to_string(f"workshops/email/{name}_body.txt", context)
    mail.send_on_commit(subject, body, to)


def send_secret_link(workshop, token, to):
    """A facilitator's own link, to the address she typed."""
    _send(
        "secret_link",
        to,
        {
            "title": mail.quoted(workshop.title),
            "code": workshop.code,
            "url": secret_url(workshop.code, token),
            "days": settings.SONAR_WORKSHOP_RETENTION_DAYS,
        },
    )


def send_cofacilitation(workshop, token, to, sender_label=""):
    """A new co-facilitator's own link (in French: she has no language yet). `sender_label`
    names who added her, when signed in."""
    with override("fr"):
        _send(
            "cofacilitation",
            to,
            {
                "title": mail.quoted(workshop.title),
                "code": workshop.code,
                "url": secret_url(workshop.code, token),
                "sender": sender_label,
            },
        )
