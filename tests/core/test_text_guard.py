"""Text no form can hold is refused wherever it enters (issue 12, finding 7): a NUL or another
control character anywhere (path, query, form) gets the French 400 page or the API's error
shape before any view runs; a line break in a field that is one line on the page gets a form
error, and every form of Sonar carries that rule."""

import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse

import sonar
from sonar.core.forms import TextGuard
from sonar.core.middleware import MALFORMED
from sonar.logbook.models import Project
from tests.factories import UserFactory

NUL_AND_CONTROLS = ["a\x00b", "cloche\x07", "échap\x1b[31m", "suppr\x7f"]


def every_form_class():
    for module in pkgutil.walk_packages(sonar.__path__, "sonar."):
        if ".migrations" in module.name or module.name.endswith(("asgi", "wsgi", "serving")):
            continue
        importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted(
        {cls for cls in subclasses(forms.BaseForm) if cls.__module__.startswith("sonar.")},
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def test_every_form_of_sonar_refuses_line_breaks_in_its_one_line_fields():
    found = every_form_class()
    assert len(found) > 20
    assert [cls for cls in found if not issubclass(cls, TextGuard)] == []


@pytest.fixture
def anne(client, db):
    user = UserFactory()
    client.force_login(user)
    return user


def create(client, **changes):
    data = {"title": "Accueil", "kind": "service", "about": "Texte.", "form_key": "k" * 24}
    data.update(changes)
    return client.post(reverse("logbook:create"), data)


def test_a_line_break_in_a_one_line_field_gets_a_french_form_error(client, anne):
    response = create(client, title="Accueil\r\nBcc: tous@exemple.fr")
    assert response.status_code == 400
    assert "Ce champ tient sur une ligne" in response.content.decode()
    assert not Project.objects.exists()


def test_a_text_area_keeps_its_line_breaks(client, anne):
    assert create(client, about="Première ligne.\r\nSeconde ligne.").status_code == 302
    assert Project.objects.get().about == "Première ligne.\r\nSeconde ligne."


@pytest.mark.parametrize("value", NUL_AND_CONTROLS)
def test_a_control_character_in_a_form_gets_the_french_400_page(client, anne, value):
    response = create(client, about=value)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "caractère invisible que Sonar n’accepte pas" in page
    assert not Project.objects.exists()


@pytest.mark.parametrize("value", NUL_AND_CONTROLS)
def test_a_control_character_in_a_path_gets_the_french_400_page(client, db, value):
    response = client.get(f"/ateliers/{value}/")
    assert response.status_code == 400
    assert "caractère invisible que Sonar n’accepte pas" in response.content.decode()


@pytest.mark.parametrize("value", NUL_AND_CONTROLS)
def test_a_page_asked_with_control_characters_in_its_query_is_asked_again_without_them(
    client, db, value
):
    response = client.get("/recherche/", {"q": value, "t\x00ype": "cas"})
    assert response.status_code == 302
    clean = MALFORMED.sub("", value)
    location = response["Location"]
    assert location.startswith("/recherche/?")
    assert all(ord(ch) >= 32 for ch in location)
    again = client.get(location)
    assert again.status_code == 200
    assert clean in again.content.decode()


def test_the_api_gets_its_error_shape(client, db):
    response = client.get("/api/v1/workshops/AB%00CD")
    assert response.status_code == 400
    assert set(response.json()) == {"error", "fields"}


def test_the_english_site_says_it_in_english(client, db):
    response = client.get("/en/workshops/a%00/")
    assert response.status_code == 400
    assert '<html lang="en"' in response.content.decode()


def test_ordinary_text_passes(client, anne):
    title = "Accueil « en ligne » — 2026 : ça marche ! \t (tabulation)"
    assert create(client, title=title).status_code == 302


@pytest.mark.parametrize("path", ["/", "/compte/", "/carnets/", "/ateliers/"])
def test_a_forged_session_cookie_is_no_session_not_an_error(client, db, path):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get(path)
    assert response.status_code in (200, 302)
    assert response.cookies["sessionid"].value == ""  # and the browser is told to forget it


def test_a_real_session_still_works(client, db):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/compte/").status_code == 200
