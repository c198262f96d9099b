"""Joining: the code field first, and no operators' note for the participants."""

import re

import pytest

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_code_field_has_focus_on_arrival_with_only_the_skip_link_before_it(client):
    page = text(client.get("/ateliers/rejoindre/"))
    assert re.search(r'id="id_code"[^>]*\bautofocus\b', page)
    field = page.index('id="id_code"')
    before = page[: page.rindex("<", 0, field)]
    # Tab stops before the field: the skip link only (no site header, search or navigation).
    stops = re.findall(r"<(a|button|input|select|textarea)\b(?![^>]*type=\"hidden\")", before)
    assert stops == ["a"]


def test_after_a_wrong_code_the_error_summary_takes_the_focus(client, workshop):
    page = text(client.post("/ateliers/rejoindre/", {"code": "ZZZZZZ"}))
    assert re.search(r'class="error-summary"[^>]*autofocus', page)
    assert not re.search(r'id="id_code"[^>]*\bautofocus\b', page)


def test_the_rate_limit_note_is_for_facilitators_not_participants(client, quiz):
    assert "Par sécurité" not in text(client.get("/ateliers/rejoindre/"))
    assert "Par sécurité, un même navigateur peut se tromper de code" in text(
        client.get("/ateliers/")
    )
