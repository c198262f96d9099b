"""Reading the environment loudly: a malformed value raises ImproperlyConfigured with the
variable's name, instead of being read as something else (healthchecks' hc/settings.py does the
same). Used by the settings and by the commands that read HOST, PORT and the like."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default=False):
    """A yes/no variable: 1, true, yes, on or 0, false, no, off (any case); unset or empty is
    the default; anything else stops start-up."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1, true, yes, on, 0, false, no, off")


def envint(name, default, least=None):
    """A whole number (at least `least` when given); unset or empty is the default."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if least is not None and number < least:
        raise ImproperlyConfigured(f"{name} must be at least {least}, not {number}")
    return number


def envurl(name, default, schemes):
    """An absolute URL with one of these schemes and a host."""
    value = os.environ.get(name, "").strip() or default
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {error}") from None
    if parts.scheme not in schemes or not (parts.hostname or parts.path):
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(f'{s}://' for s in schemes)}"
        )
    return value
