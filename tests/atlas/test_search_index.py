"""The search index follows every edit, and ranks title matches before summary and body ones."""

import pytest

from sonar.atlas import search
from sonar.atlas.models import Resource, SynonymGroup
from sonar.core.actions import save_revision
from sonar.core.models import Revision


def top_slugs(query, language="fr", n=5):
    return [r.slug for r in search.search(query, language, limit=n).resources]


def make_resource(slug, title="Sans titre", summary="Un résumé.", body="Une description."):
    resource = Resource(
        slug=slug,
        kind="methode",
        title_fr=title,
        title_en=title,
        summary_fr=summary,
        summary_en=summary,
        description_fr=body,
        description_en=body,
        when_to_use_fr="",
        when_to_use_en="",
        when_not_to_use_fr="",
        when_not_to_use_en="",
        controversies_fr="",
        controversies_en="",
        visions=" art ",
        profiles=" usages ",
        focus=0,
        maturity=0,
    )
    return save_revision(resource, Revision.Origin.EDIT)


@pytest.mark.django_db
def test_title_matches_come_first_then_summary_then_body():
    make_resource("corps", body="Une fresque dessinée ensemble, longuement, fresque après fresque.")
    make_resource("resume", summary="On y dessine une fresque.")
    make_resource("titre", title="La fresque")
    assert top_slugs("fresque") == ["titre", "resume", "corps"]


@pytest.mark.django_db
def test_an_edit_is_found_at_once_and_the_old_text_is_not():
    resource = make_resource("atelier", title="Fresque du climat")
    assert top_slugs("fresque") == ["atelier"]
    resource.title_fr = "Atelier prospectif"
    save_revision(resource, Revision.Origin.EDIT)
    assert top_slugs("fresque") == []
    assert top_slugs("prospectif") == ["atelier"]


@pytest.mark.django_db
def test_a_deleted_resource_is_no_longer_found():
    make_resource("ephemere", title="Cartographie sensible").delete()
    assert top_slugs("cartographie") == []


@pytest.mark.django_db
def test_a_new_synonym_group_applies_at_once():
    make_resource("fresque", title="Fresque collective")
    assert top_slugs("mural") == []
    SynonymGroup.objects.create(key="fresque", words=["fresque", "mural"])
    assert top_slugs("mural") == ["fresque"]


@pytest.mark.django_db
def test_rebuild_fills_an_emptied_index():
    from sonar.atlas.models import SearchEntry

    make_resource("atelier", title="Fresque du climat")
    SearchEntry.objects.all().delete()
    search.rebuild()
    assert top_slugs("fresque") == ["atelier"]
