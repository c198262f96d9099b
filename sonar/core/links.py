"""Absolute links: one rule for every address Sonar hands out to be opened elsewhere.

Share links, the QR codes of the PDF card and of a workshop, the links of every e-mail, a
workshop's join and facilitator links: all start with SONAR_BASE_URL, never with the request's
Host header. A forged Host cannot make Sonar mail or print a link to another site, and a link
is the same whoever asked for it. When SONAR_BASE_URL is not set, it comes from HOST and PORT
(sonar/core/baseurl.py), the address `make run` and `sonar serve` listen on.
"""

from django.conf import settings


def absolute(path):
    """The address of `path` (which starts with "/") as people outside open it."""
    return settings.SONAR_BASE_URL + path
