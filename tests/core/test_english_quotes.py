"""English text quotes with curly quotes, as the French does with guillemets."""

import re
from pathlib import Path

import polib

PO_FILE = Path(__file__).resolve().parents[2] / "sonar/locale/en/LC_MESSAGES/django.po"


def outside_tags(text):
    return re.sub(r"<[^>]*>", "", text)


def test_where_the_french_has_guillemets_the_english_has_no_straight_quotes():
    straight = [
        entry.msgstr
        for entry in polib.pofile(str(PO_FILE))
        if "«" in entry.msgid
        and '"' in outside_tags(entry.msgstr)
        # A JSON example keeps the quotes its syntax needs.
        and "quotation marks" not in entry.msgstr
    ]
    assert straight == []
