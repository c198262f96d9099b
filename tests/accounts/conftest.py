"""A small base for the account tests: page text as a user reads it, links out of e-mails."""

import re

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _french_after_each_test():
    yield
    translation.activate("fr")


def text(response):
    """The page's visible text, spaces collapsed, no-break spaces as plain ones."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def link_in(message):
    """The path of the first Sonar link in an e-mail's body."""
    found = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert found, message.body
    return found.group(1)
