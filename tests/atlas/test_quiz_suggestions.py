"""The quiz result suggests resources that fit the profile, and counterweights from the others."""

import re

import pytest
from django.urls import reverse

from sonar.atlas import suggestions
from sonar.atlas.models import Resource
from tests.atlas.conftest import make_resource, text

USAGES = ["q1d", "q2c", "q3c", "q4b", "q5a", "q6a"]  # four for usages, two for hybride
TIE = ["q1a", "q2b", "q3c", "q4b", "q5a", "q6d"]  # culture 2, usages 2


def result_page(client, choices):
    response = None
    for number, choice in enumerate(choices, start=1):
        response = client.post(reverse("quiz:question", args=["style", number]), {"choice": choice})
    return client.get(response.url)


def section(html, heading):
    part = html.split(f">{heading}</h2>", 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="/carte/ressources/([\w-]+)/"', part)


@pytest.mark.parametrize(
    ("choices", "winners"), [(USAGES, {"usages"}), (TIE, {"culture", "usages"})]
)
def test_the_result_page_shows_resources_alike_and_counterweights(
    client, reference_content, choices, winners
):
    html = result_page(client, choices).content.decode()
    alike = section(html, "Ressources qui vous ressemblent")
    counter = section(html, "Contrepoids")
    assert 3 <= len(alike) <= 5
    assert 2 <= len(counter) <= 3
    for slug in alike:
        assert winners & set(Resource.objects.get(slug=slug).profile_keys)
    for slug in counter:
        assert not winners & set(Resource.objects.get(slug=slug).profile_keys)


def test_the_counterweights_say_why_mixing_approaches_matters(client, reference_content):
    page = text(result_page(client, USAGES))
    assert "mélanger les approches tient plus longtemps" in page


def test_the_same_profile_always_gets_the_same_suggestions(reference_content):
    first = suggestions.ranked(["usages"])
    second = suggestions.ranked(["usages"])
    assert [r.slug for r in first[0]] == [r.slug for r in second[0]]
    assert [r.slug for r in first[1]] == [r.slug for r in second[1]]


def test_a_mixed_profile_sees_resources_of_each_side(reference_content):
    alike = suggestions.ranked(["culture", "usages"])[0]
    assert any("culture" in r.profile_keys for r in alike)
    assert any("usages" in r.profile_keys for r in alike)


def test_counterweights_prefer_resources_in_tension_then_far_on_the_map(db):
    make_resource("mine", profiles=["usages"], focus=0, maturity=0, named_in_journal=True)
    make_resource("near", profiles=["technique"], focus=5, maturity=5)
    make_resource("far", profiles=["technique"], focus=-100, maturity=100)
    make_resource("rival", profiles=["culture"], focus=1, maturity=1, in_tension_with=["mine"])
    chosen = suggestions.ranked(["usages"])
    assert [r.slug for r in chosen[0]] == ["mine"]
    assert [r.slug for r in chosen[1]] == ["rival", "far", "near"]


def test_journal_resources_and_the_most_specific_come_first(db):
    make_resource("broad", profiles=["usages", "culture", "technique"])
    make_resource("narrow", profiles=["usages"])
    make_resource("journal", profiles=["usages", "culture"], named_in_journal=True)
    assert [r.slug for r in suggestions.ranked(["usages"])[0]] == ["journal", "narrow", "broad"]


def test_no_suggestions_without_a_known_profile(db):
    make_resource("any")
    assert suggestions.for_profiles(["inconnu"]).alike == []
