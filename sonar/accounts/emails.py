"""The account e-mails: rendered from templates in the visitor's language, sent through
Django's e-mail backend (console in development, SMTP when configured, mail.outbox in tests).

Links are built on SONAR_BASE_URL, never on the request's Host header, so a forged header
cannot make Sonar mail a link to another site.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

CONFIRM_SALT = "sonar.accounts.confirm"


def absolute(path):
    return settings.SONAR_BASE_URL + path


def send(name, to, context):
    """Send accounts/email/<name>_subject.txt and <name>_body.txt to one address."""
    context = {"base_url": settings.SONAR_BASE_URL, **context}
    subject = " ".join(render_to_string(f"accounts/email/{name}_subject.txt", context).split())
    body = render_to_string(f"accounts/email/{name}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def confirmation_token(user, next_url=""):
    """A signed, expiring token naming the account and the address it confirms: changing the
    address invalidates it. `next_url` (already checked as safe) comes back after log-in."""
    return signing.dumps({"u": user.pk, "e": user.email, "n": next_url}, salt=CONFIRM_SALT)


def read_confirmation_token(token):
    """The token's payload, or raise signing.BadSignature (SignatureExpired when too old)."""
    payload = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.ACCOUNT_CONFIRMATION_MAX_AGE)
    if not isinstance(payload, dict) or not {"u", "e"} <= payload.keys():
        raise signing.BadSignature("incomplete")
    return payload


def send_confirmation(user, next_url=""):
    url = absolute(reverse("accounts:confirm", args=[confirmation_token(user, next_url)]))
    send("confirm", user.email, {"user": user, "url": url})


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


def send_invitation(invitation, token):
    url = absolute(reverse("accounts:invitation", args=[token]))
    send("invitation", invitation.email, {"invitation": invitation, "url": url})
