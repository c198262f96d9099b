"""« Vous êtes ici »: a maturity result's stage, combined with a style result."""

import pytest
from django.urls import reverse

from tests.journeys.conftest import make_result, remember

pytestmark = pytest.mark.django_db


def here(result, style=None):
    url = reverse("journeys:here", args=[result.token])
    return url + (f"?style={style.token}" if style else "")


@pytest.fixture
def maturity(loaded):
    return make_result("maturity", ["equipage"], answers={"equipe": "choix-tres-prive"})


def test_without_a_style_result_it_invites_to_take_the_style_quiz(client, maturity):
    response = client.get(here(maturity))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>\n        Vous êtes ici\u00a0: Équipage formé" in page
    assert "Faire le test de style" in page
    assert f'href="{reverse("quiz:start", args=["style"])}"' in page
    assert "Côté" not in page


def test_the_stage_s_milestones_and_trajectory_are_shown(client, maturity):
    page = client.get(here(maturity)).content.decode()
    assert (
        "Votre trajectoire\u00a0: Sortir du lab’\u00a0: travailler avec toutes les directions"
        in page
    )
    assert "Des projets demandés par les directions" in page
    assert 'href="/trajectoires/equipage/"' in page


def test_a_team_strong_in_one_profile_is_pointed_to_the_three_it_lacks(client, maturity):
    style = make_result("style", ["usages"])
    page = client.get(here(maturity, style)).content.decode()
    assert "votre équipe est forte du côté\u00a0: <strong>usages</strong>" in page
    for name in ("Culture interne", "Innovations techniques", "Hybride"):
        assert f"Côté «\u00a0{name}\u00a0»" in page
    assert "Côté «\u00a0Usages\u00a0»" not in page
    # Why: what the missing profile brings, in the style quiz's words.
    assert "Le premier chantier, c’est la culture interne et le management." in page


def test_the_suggested_resources_suit_the_missing_profile(client, maturity):
    from sonar.atlas.models import Resource
    from sonar.journeys import data
    from sonar.journeys.models import Trajectory

    style = make_result("style", ["usages"])
    found = data.here(Trajectory.objects.get(key="equipage"), style)
    assert [m.profile.key for m in found.missing] == ["culture", "technique", "hybride"]
    own = set(Trajectory.objects.get(key="equipage").resource_slugs)
    for missing in found.missing:
        assert all(missing.profile.key in r.profile_keys for r in missing.in_trajectory)
        assert all(r.slug in own for r in missing.in_trajectory)
        assert all(missing.profile.key in r.profile_keys for r in missing.on_map)
        assert all(r.slug not in own for r in missing.on_map)
        assert len(missing.on_map) <= data.MAP_PICKS
    page = client.get(here(maturity, style)).content.decode()
    shown = found.missing[0].on_map[0]
    assert f'href="{Resource.objects.get(slug=shown.slug).get_absolute_url()}"' in page


def test_a_mixed_style_lacks_only_the_other_profiles(client, maturity):
    style = make_result("style", ["usages", "culture"])
    page = client.get(here(maturity, style)).content.decode()
    assert "forte du côté\u00a0: <strong>culture interne et usages</strong>" in page
    assert "Côté «\u00a0Culture interne\u00a0»" not in page
    assert "Côté «\u00a0Hybride\u00a0»" in page


def test_a_style_mixing_every_profile_lacks_none(client, maturity):
    style = make_result("style", ["culture", "technique", "usages", "hybride"])
    page = client.get(here(maturity, style)).content.decode()
    assert "Votre style mêle déjà tous les profils" in page


def test_by_default_the_latest_style_result_of_this_browser_is_used(client, maturity):
    older = make_result("style", ["technique"])
    latest = make_result("style", ["usages"])
    remember(client, older, maturity, latest)
    page = client.get(here(maturity)).content.decode()
    assert "D’après votre dernier test de style dans ce navigateur" in page
    assert "<strong>usages</strong>" in page


def test_a_style_given_in_the_address_wins_over_the_browser_s(client, maturity):
    remember(client, make_result("style", ["usages"]))
    given = make_result("style", ["technique"])
    page = client.get(here(maturity, given)).content.decode()
    assert "D’après le résultat de style indiqué dans l’adresse" in page
    assert "<strong>innovations techniques</strong>" in page


def test_another_browser_s_style_result_is_not_used(client, maturity):
    make_result("style", ["usages"])
    assert "Faire le test de style" in client.get(here(maturity)).content.decode()


def test_the_page_never_shows_the_answers_nor_the_style_token(client, maturity):
    style = make_result("style", ["usages"], answers={"q1": "reponse-confidentielle"})
    remember(client, style)
    page = client.get(here(maturity)).content.decode()
    assert "choix-tres-prive" not in page
    assert "reponse-confidentielle" not in page
    assert style.token not in page


def test_the_page_is_private(client, maturity):
    response = client.get(here(maturity))
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


@pytest.mark.parametrize(
    "path",
    [
        "/trajectoires/vous-etes-ici/jeton-invente/",
        "/trajectoires/vous-etes-ici/" + "x" * 200 + "/",
    ],
)
def test_a_forged_maturity_token_is_a_french_404(client, loaded, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_style_result_s_token_in_place_of_a_maturity_one_is_a_404(client, loaded):
    style = make_result("style", ["usages"])
    assert client.get(here(style)).status_code == 404


def test_the_share_token_of_a_maturity_result_is_not_its_private_token(client, maturity):
    url = reverse("journeys:here", args=[maturity.share_token])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("style", ["jeton-invente", "", "x" * 5000])
def test_a_forged_style_token_is_a_french_404(client, maturity, style):
    response = client.get(here(maturity) + f"?style={style}")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_maturity_token_given_as_style_is_a_404(client, maturity):
    other = make_result("maturity", ["a-quai"])
    assert client.get(here(maturity) + f"?style={other.token}").status_code == 404


def test_a_post_is_refused_with_405(client, maturity):
    assert client.post(here(maturity)).status_code == 405


def test_it_reads_in_english_under_en(client, maturity):
    style = make_result("style", ["usages"])
    response = client.get("/en" + here(maturity, style), follow=True)
    page = response.content.decode()
    assert "A crew on board" in page
    assert "Internal culture" in page
