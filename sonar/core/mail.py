"""Sending an e-mail: after the transaction that decided it commits, with a subject that is
always one line.

A subject is a header: a line break in it (a project title typed with one, say) would either be
refused by Django with an error, or, in a hand-made header, let the text after it write headers
of its own. Whatever text goes into a subject here is folded onto one line first, so no text a
person chose can fail a send or add a header.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def one_line(text):
    """`text` with every run of white space, line breaks included, made one space."""
    return " ".join(str(text).split())


def send(subject, body, to):
    """Send one plain-text e-mail to one address, now."""
    send_mail(one_line(subject), body, settings.DEFAULT_FROM_EMAIL, [to])


def send_on_commit(subject, body, to):
    """Send it once the current transaction commits (at once outside of one): an e-mail never
    announces something that was rolled back, and its link always finds what it names."""
    transaction.on_commit(lambda: send(subject, body, to))
