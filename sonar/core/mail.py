"""Sending an e-mail: after the transaction that decided it commits, with a subject that is
always one line, and with the texts a sender chose quoted so that they cannot be abused.

A subject is a header: a line break in it (a project title typed with one, say) would either be
refused by Django with an error, or, in a hand-made header, let the text after it write headers
of its own. Whatever text goes into a subject here is folded onto one line first, so no text a
person chose can fail a send or add a header. Sonar's own subjects carry no such text anyway.

An e-mail that someone makes Sonar send to another person (an invitation) may name things that
person chose: her name, a project's title. Put as they are, they would make Sonar a mailer for
anyone's message: a paragraph of advertising, a link to a fake log-in page. `quoted` gives such
a text on one short line, cut at QUOTE_LIMIT characters, with anything a mail program would turn
into a link (an address with a scheme, www., a domain name) written so it no longer is one
("arnaque[.]example").
"""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

QUOTE_LIMIT = 80

# A scheme (https://, ftp://…), "www.", or a domain name: something.tld, with a path or not.
_LINK = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b(?:/\S*)?"
)


def one_line(text):
    """`text` with every run of white space, line breaks included, made one space."""
    return " ".join(str(text).split())


def _unlinked(match):
    return match.group(0).replace("://", "[:]//").replace(".", "[.]")


def quoted(text, limit=QUOTE_LIMIT):
    """A text someone chose, made safe to put in an e-mail sent to someone else: one line, at
    most `limit` characters (cut with "…"), no working link."""
    text = one_line(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return _LINK.sub(_unlinked, text)


def send(subject, body, to):
    """Send one plain-text e-mail to one address, now."""
    send_mail(one_line(subject), body, settings.DEFAULT_FROM_EMAIL, [to])


def send_on_commit(subject, body, to):
    """Send it once the current transaction commits (at once outside of one): an e-mail never
    announces something that was rolled back, and its link always finds what it names."""
    transaction.on_commit(lambda: send(subject, body, to))
