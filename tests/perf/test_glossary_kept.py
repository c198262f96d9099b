"""Glossary linking is prepared once per content version and language, not per request: the
terms are read and their pattern built again only after an edit."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from sonar.atlas.templatetags.glossary import Linker
from tests.atlas.conftest import make_term


def test_the_glossary_of_a_page_is_read_once_per_content_version(db):
    make_term("capacitation", "Capacitation")
    Linker.for_page()
    with CaptureQueriesContext(connection) as queries:
        linker = Linker.for_page()
    assert len(queries) == 0
    assert "Capacitation" in linker.link("La capacitation des agents.")

    make_term("tiers-lieu", "Tiers-lieu")
    assert "<details" in Linker.for_page().link("Un tiers-lieu ouvert.")


def test_each_page_links_each_term_once_even_from_a_kept_linker(db):
    make_term("capacitation", "Capacitation")
    first, second = Linker.for_page(), Linker.for_page()
    assert "<details" in first.link("capacitation")
    assert "<details" not in first.link("capacitation encore")
    assert "<details" in second.link("capacitation")


def test_each_language_has_its_own_kept_linker(db):
    make_term("capacitation", "Capacitation")
    with translation.override("en"):
        assert "/en/" in Linker.for_page().link("capacitation")
    assert "/en/" not in Linker.for_page().link("capacitation")
