"""The account e-mails: rendered from templates in the visitor's language, sent through
Django's e-mail backend (console in development, SMTP when configured, mail.outbox in tests),
once the transaction that decided them commits (sonar/core/mail.py). Only actions.py sends them.

Links are built on SONAR_BASE_URL, never on the request's Host header (sonar/core/links.py), so
a forged header cannot make Sonar mail a link to another site.
"""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse

from sonar.core import mail
from sonar.core.links import absolute

CONFIRM_SALT = "sonar.accounts.confirm"


def send(name, to, context):
    """Send accounts/email/<name>_subject.txt and <name>_body.txt to one address."""
    context = {"base_url": settings.SONAR_BASE_URL, **context}
    subject = render_to_string(f"accounts/email/{name}_subject.txt", context)
    body = render_to_string(f"accounts/email/{name}_body.txt", context)
    mail.send_on_commit(subject, body, to)


def confirmation_token(email, next_url=""):
    """A signed, expiring token naming the address it lets its holder confirm; `next_url`
    (already checked as safe) comes back once the account is made. It names no account: the
    account is made, or its password chosen, by whoever opens the link."""
    return signing.dumps({"e": email, "n": next_url}, salt=CONFIRM_SALT)


def read_confirmation_token(token):
    """The token's payload, or raise signing.BadSignature (SignatureExpired when too old).
    Tokens of the previous version also named an account ("u"): only the address counts."""
    payload = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.ACCOUNT_CONFIRMATION_MAX_AGE)
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), str):
        raise signing.BadSignature("incomplete")
    return payload


def send_confirmation(email, next_url=""):
    url = absolute(reverse("accounts:confirm", args=[confirmation_token(email, next_url)]))
    send("confirm", email, {"url": url})


def send_already_registered(user):
    """Someone signed up with an address that already has an account: tell its owner, not the
    person signing up (who could be anyone)."""
    send(
        "already_registered",
        user.email,
        {
            "user": user,
            "login_url": absolute(reverse("accounts:login")),
            "reset_url": absolute(reverse("accounts:password_reset")),
        },
    )


def sender_label(user):
    """Who sends an invitation, as the e-mail names her: her name quoted, then her confirmed
    address ("Anne Martin (anne@ville.fr)"), or the address alone."""
    if not user.name.strip():
        return user.email
    return f"{mail.quoted(user.name, limit=60)} ({user.email})"


def send_invitation(invitation, token):
    """The invitation names the organisation and the person who sent it as she chose to write
    them, quoted (sonar/core/mail.py: one short line, no working link), and her confirmed
    address, so the person invited knows who writes; the subject names neither."""
    url = absolute(reverse("accounts:invitation", args=[token]))
    context = {
        "invitation": invitation,
        "url": url,
        "organisation": mail.quoted(invitation.organisation.name),
        "sender": sender_label(invitation.invited_by),
    }
    send("invitation", invitation.email, context)
