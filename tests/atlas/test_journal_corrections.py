"""Corrections of issue 15 outside the resource and case files: Sonar's notes beside the
journal's glossary definitions, never inside them."""

import pytest
from django.urls import reverse

from tests.atlas.conftest import make_term, text


def term_page(client, slug, prefix=""):
    return client.get(prefix + reverse("atlas:term", args=[slug]), follow=bool(prefix))


def quoted(response):
    """The text of the page's quotation of the journal."""
    html = response.content.decode()
    return html.split("<blockquote>", 1)[1].split("</blockquote>", 1)[0]


@pytest.mark.usefixtures("reference_content")
class TestTheReferenceGlossary:
    def test_the_nudge_definition_says_it_is_cut_off_in_our_copy(self, client):
        response = term_page(client, "nudge")

        assert "(texte incomplet dans notre copie du journal)" in text(response)
        assert "incomplet" not in quoted(response)
        assert "pour faire fuir les […]" in quoted(response)

    def test_the_nudge_note_is_in_english_on_the_english_page(self, client):
        page = text(term_page(client, "nudge", "/en"))

        assert "(text incomplete in our copy of the journal)" in page

    def test_impact_based_policy_says_the_usual_term_and_cites_its_source(self, client):
        response = term_page(client, "impact-based-policy")
        page = text(response)

        assert "Note de Sonar : Le terme usuel est evidence-based policy" in page
        assert "evidence" not in quoted(response).replace("(evidence)", "")
        assert "Brian Head, " in page and "Key issues and challenges" in page

    def test_the_english_term_keeps_the_journal_s_words(self, client):
        response = term_page(client, "impact-based-policy", "/en")

        assert "<h1>Impact based policy</h1>" in response.content.decode()
        assert "The usual term is evidence-based policy" in text(response)

    def test_the_glossary_page_shows_the_notes_too(self, client):
        page = text(client.get(reverse("atlas:glossary")))

        assert "(texte incomplet dans notre copie du journal)" in page
        assert "Le terme usuel est evidence-based policy" in page

    def test_the_api_gives_a_term_s_note_apart_from_its_definition(self, client):
        body = client.get("/api/v1/glossary/nudge").json()

        assert body["note"].startswith("La définition s’interrompt ici")
        assert "incomplet" not in body["definition"]


@pytest.mark.django_db
def test_a_term_without_a_note_shows_none(client):
    make_term("sans-note", "Sans note")

    page = text(term_page(client, "sans-note"))

    assert "Note de Sonar" not in page
    assert client.get("/api/v1/glossary/sans-note").json()["note"] is None
