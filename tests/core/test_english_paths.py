"""English addresses use English words, French ones French words, and every address an older
release gave out still leads to its page: a French address under /en/, or the English slug
the French site once had, is sent for good (301) to the same page in its language."""

import pytest
from django.urls import reverse
from django.utils import translation

OLD_FRENCH_UNDER_EN = [
    ("/en/carte/ressources/", "/en/map/resources/"),
    ("/en/carte/ressources/design-de-service/", "/en/map/resources/design-de-service/"),
    ("/en/carte/", "/en/map/"),
    ("/en/carte/trouver/?tache=decider", "/en/map/finder/?tache=decider"),
    ("/en/glossaire/", "/en/glossary/"),
    ("/en/glossaire/nudge/", "/en/glossary/nudge/"),
    ("/en/cas/", "/en/cases/"),
    ("/en/recherche/?q=usagers", "/en/search/?q=usagers"),
    ("/en/a-propos/", "/en/about/"),
    ("/en/accessibilite/", "/en/accessibility/"),
    ("/en/confidentialite/", "/en/privacy/"),
    ("/en/mentions-legales/", "/en/legal-notice/"),
    ("/en/diagnostic/maturite/", "/en/diagnostic/maturity/"),
    ("/en/diagnostic/maturite/question/2/", "/en/diagnostic/maturity/question/2/"),
    ("/en/diagnostic/resultat/abcdefgh1234/", "/en/diagnostic/result/abcdefgh1234/"),
    ("/en/diagnostic/partage/abcdefgh1234/", "/en/diagnostic/share/abcdefgh1234/"),
    ("/en/ateliers/", "/en/workshops/"),
    ("/en/ateliers/rejoindre/", "/en/workshops/join/"),
    ("/en/ateliers/ABCD12/projection/", "/en/workshops/ABCD12/projector/"),
    ("/en/trajectoires/", "/en/trajectories/"),
    ("/en/trajectoires/vous-etes-ici/abcdefgh1234/", "/en/trajectories/you-are-here/abcdefgh1234/"),
    ("/en/compte/connexion/?next=/en/", "/en/account/log-in/?next=/en/"),
    ("/en/compte/inscription/", "/en/account/sign-up/"),
    ("/en/carnets/", "/en/logbooks/"),
    ("/en/carnets/12/trajectoire/", "/en/logbooks/12/trajectory/"),
    ("/en/carnets/12/experiences/3/modifier/", "/en/logbooks/12/experiments/3/edit/"),
]

ENGLISH_ON_THE_FRENCH_SITE = [
    ("/diagnostic/maturity/", "/diagnostic/maturite/"),
    ("/diagnostic/maturity/question/3/", "/diagnostic/maturite/question/3/"),
    ("/map/resources/", "/carte/ressources/"),
    ("/logbooks/", "/carnets/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("old, new", OLD_FRENCH_UNDER_EN + ENGLISH_ON_THE_FRENCH_SITE)
def test_an_address_in_the_other_language_is_sent_to_its_page(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


@pytest.mark.django_db
def test_a_post_to_an_old_address_is_not_redirected(client):
    assert client.post("/en/compte/connexion/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/nulle-part/", "/en/map/resources/inconnue/", "/nowhere/"])
def test_a_page_that_exists_in_no_language_is_still_a_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "name, args, french, english",
    [
        ("atlas:catalogue", [], "/carte/ressources/", "/en/map/resources/"),
        ("quiz:start", ["maturity"], "/diagnostic/maturite/", "/en/diagnostic/maturity/"),
        ("quiz:start", ["style"], "/diagnostic/style/", "/en/diagnostic/style/"),
        ("workshops:stream", ["ABCD12"], "/ateliers/ABCD12/flux", "/en/workshops/ABCD12/stream"),
        ("logbook:index", [], "/carnets/", "/en/logbooks/"),
        ("accounts:login", [], "/compte/connexion/", "/en/account/log-in/"),
        ("core:accessibility", [], "/accessibilite/", "/en/accessibility/"),
    ],
)
def test_each_language_names_its_addresses_in_its_own_words(name, args, french, english):
    with translation.override("fr"):
        assert reverse(name, args=args) == french
    with translation.override("en"):
        assert reverse(name, args=args) == english


@pytest.mark.engine_independent
def test_the_english_stream_address_is_recognised_before_django():
    from sonar.asgi import workshop_streamed

    assert workshop_streamed("/en/workshops/abcd12/stream") == "ABCD12"
    assert workshop_streamed("/ateliers/abcd12/flux") == "ABCD12"
