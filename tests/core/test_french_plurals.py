"""French plurals follow French rules: 0 and 1 are singular (the French catalogue of plural
messages, scripts/french-plurals)."""

import pytest
from django.template import Context, Template
from django.utils import translation

BALISES = (
    "{% load i18n %}{% blocktranslate trimmed count done=done with total=4 %}"
    "{{ done }} balise franchie sur {{ total }}.{% plural %}"
    "{{ done }} balises franchies sur {{ total }}.{% endblocktranslate %}"
)


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        (0, "0 balise franchie sur 4."),
        (1, "1 balise franchie sur 4."),
        (2, "2 balises franchies sur 4."),
    ],
)
def test_zero_and_one_are_singular_in_french(done, expected):
    with translation.override("fr"):
        assert Template(BALISES).render(Context({"done": done})) == expected


def test_english_keeps_its_own_rule():
    with translation.override("en"):
        assert "0 milestones" in Template(BALISES).render(Context({"done": 0}))
