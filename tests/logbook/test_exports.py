"""The logbook exported as Markdown and PDF: everything written, no e-mail address."""

import pytest
from django.urls import reverse

from sonar.logbook import actions
from tests.logbook.conftest import make_experiment, make_milestone


@pytest.fixture
def filled(project, admin, stages):
    make_experiment(
        project,
        admin,
        hypothesis="Un guichet le samedi attire les actifs.",
        audiences=["usagers", "elus"],
    )
    milestone = make_milestone(project, admin, title="Présenter au conseil")
    actions.tick_milestone(milestone, admin, True)
    actions.position(project, admin, "stage", ["a-quai"], "hand")
    return project


def test_the_markdown_export_is_a_download_with_everything_written(client, filled, member):
    client.force_login(member)
    response = client.get(reverse("logbook:markdown", args=[filled.pk]))
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert text.lstrip().startswith("# Accueil des nouveaux habitants")
    assert "Un guichet le samedi attire les actifs." in text
    assert "[x] Présenter au conseil" in text
    assert "À quai (choisi par l’équipe," in text
    assert "Avec qui\u00a0: usagers, élus\n" in text
    assert "@" not in text
    assert "&#x27;" not in text and "&amp;" not in text


def test_the_pdf_export_is_a_pdf(client, filled, member):
    client.force_login(member)
    response = client.get(reverse("logbook:pdf", args=[filled.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_empty_logbook_exports_too(client, project, member):
    client.force_login(member)
    response = client.get(reverse("logbook:markdown", args=[project.pk]))
    assert "Aucune expérience pour l’instant." in response.content.decode()


@pytest.fixture
def builds(monkeypatch, settings):
    """Every PDF that WeasyPrint actually lays out (about 2 s each), in a cache of this test's
    own."""
    import weasyprint

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "logbook-pdf-kept",
        },
    }
    from django.core.cache import cache

    cache.clear()
    made = []
    write_pdf = weasyprint.HTML.write_pdf

    def counted(self, *args, **kwargs):
        made.append(self)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counted)
    return made


def test_a_shared_pdf_is_kept_until_the_logbook_changes(client, filled, admin, builds):
    actions.share(filled, "create")
    url = reverse("logbook:shared-pdf", args=[filled.share_token])

    first, second = client.get(url), client.get(url)

    assert len(builds) == 1
    assert first.content == second.content
    make_experiment(filled, admin, "experience-2", hypothesis="Une permanence en mairie annexe.")
    third = client.get(url)
    assert len(builds) == 2
    assert third.content != first.content


def test_the_team_and_the_share_link_share_the_kept_pdf(client, filled, member, builds):
    actions.share(filled, "create")
    client.get(reverse("logbook:shared-pdf", args=[filled.share_token]))
    client.force_login(member)
    response = client.get(reverse("logbook:pdf", args=[filled.pk]))
    assert response.content.startswith(b"%PDF")
    assert len(builds) == 1


def test_an_emoji_typed_in_the_logbook_is_drawn_in_the_pdf(client, project, member):
    """DejaVu has no 🚀: without the emoji font declared (and installed by
    scripts/system-deps), the PDF would print an empty box."""
    from tests.core.pdf_fonts import EMOJI_FONT, emoji_images, fonts_used

    make_experiment(project, member, hypothesis="Un guichet le samedi 🚀 attire les actifs 🎉")
    client.force_login(member)
    response = client.get(reverse("logbook:pdf", args=[project.pk]))
    fonts = fonts_used(response.content)
    assert EMOJI_FONT in fonts, f"{fonts}: installez fonts-noto-color-emoji (make system-deps)"
    assert "DejaVu-Sans" in fonts
    assert emoji_images(response.content) >= 2


def test_digits_are_not_taken_from_the_emoji_font(client, filled, member):
    """Noto Color Emoji holds digits too (for keycaps): dates and counts stay in DejaVu."""
    from tests.core.pdf_fonts import EMOJI_FONT, fonts_used

    client.force_login(member)
    response = client.get(reverse("logbook:pdf", args=[filled.pk]))
    assert not any(name.startswith(EMOJI_FONT) for name in fonts_used(response.content))
