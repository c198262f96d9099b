"""A logbook's exports carry what the team typed without letting it become live.

Markdown: a download (`attachment`, `text/markdown`, `nosniff`), so a browser never renders it;
but it is meant to be pasted into wikis and tools that render Markdown, and Markdown lets raw
HTML and links through. The choice: the text people typed is written with `<`, `[`, `]` and
`\\` backslash-escaped (the `markdown_text` filter), so a CommonMark renderer shows it as typed
and never makes an element or a link of it; read as plain text it only gains a few backslashes.

PDF: rendered by WeasyPrint from an autoescaped template, with every external fetch refused:
the HTML it is given has exactly the elements it has for ordinary text.
"""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from sonar.logbook import exports
from sonar.logbook.book import Logbook
from sonar.logbook.models import Experiment, Project, ProjectMilestone
from tests.security.conftest import ADMIN, ANONYMOUS, elements, isolated
from tests.security.test_xss import ORDINARY, PAYLOADS, structure

pytestmark = pytest.mark.django_db

MARKDOWN_PAYLOADS = [
    *PAYLOADS,
    "[cliquez](javascript:alert(1))",
    "<javascript:alert(1)>",
    "\\<script>alert(1)</script>",
    "[ref]: javascript:alert(1)",
    "![x](https://evil.example/pixel.png)",
]


def _fill(world, value):
    Project.objects.filter(pk=world.values["project"]).update(title=value, about=value)
    ProjectMilestone.objects.filter(pk=world.values["milestone"]).update(title=value)
    Experiment.objects.filter(pk=world.values["experiment"]).update(
        hypothesis=value, happened=value, learnt=value
    )


def unescaped(text, character):
    """Positions of `character` not made literal by a backslash (an odd number of them)."""
    return [
        m.start()
        for m in re.finditer(re.escape(character), text)
        if (len(text[: m.start()]) - len(text[: m.start()].rstrip("\\"))) % 2 == 0
    ]


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_the_markdown_export_makes_what_was_typed_inert(world, payload):
    def export():
        _fill(world, payload)
        mine = world.client(ADMIN).get(reverse("logbook:markdown", args=[world.values["project"]]))
        token = world.values["project_share_token"]
        shared = world.client(ANONYMOUS).get(reverse("logbook:shared-markdown", args=[token]))
        return mine, shared

    for response in isolated(export):
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "text/markdown; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        text = response.content.decode()
        # The export's own task list ("1. [x] …") is Markdown on purpose.
        text = re.sub(r"(?m)^(\d+)\. \[[ x]\] ", r"\1. ", text)
        for character in "<[]":
            assert not unescaped(text, character), (character, text)
        # Still there, to be read: every character the person typed is kept.
        unmarked = str.maketrans("", "", "\\<[]")
        assert payload.translate(unmarked) in text.translate(unmarked)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_pdf_is_made_from_html_where_what_was_typed_is_only_text(world, payload):
    def html(value):
        _fill(world, value)
        project = Project.objects.get(pk=world.values["project"])
        return render_to_string("logbook/pdf.html", exports._context(Logbook(project)))

    ordinary = elements(isolated(lambda: html(ORDINARY)))
    found = elements(isolated(lambda: html(payload)))

    assert structure(found) == structure(ordinary)


def test_the_pdf_of_a_logbook_full_of_payloads_is_made(world):
    def pdf():
        _fill(world, "".join(PAYLOADS)[:200])
        return world.client(ADMIN).get(reverse("logbook:pdf", args=[world.values["project"]]))

    response = isolated(pdf)

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
