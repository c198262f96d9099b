"""The structured fields of issue 15: loaded from the files, shown on the resource and case
pages, given by the API and published in the open data with their types."""

import csv
import json

import pytest
from django.conf import settings

from sonar.atlas.models import Case, Resource
from sonar.core import content, opendata
from tests.atlas.conftest import make_case, make_resource, text
from tests.atlas.content_files import CASE, changed, write

pytestmark = pytest.mark.django_db


def load(tmp_path, **files):
    content.load(directory=write(tmp_path, **files).parent)


@pytest.fixture
def loaded(tmp_path):
    load(tmp_path)


def test_a_resource_keeps_what_the_finder_needs(loaded):
    resource = Resource.objects.get(slug="echelle")

    assert resource.task_keys == ["decider-habitants"]
    assert (resource.cost, resource.duration, resource.group_size) == (1, "jours", "petit")
    assert (resource.political_sensitivity, resource.outside_help) == ("moyenne", "non")
    assert resource.critics == ["Sherry R. Arnstein"]


def test_a_source_keeps_its_author(loaded):
    [source] = Resource.objects.get(slug="echelle").sources

    assert source["author"] == "Sherry R. Arnstein"
    assert source["year"] == 1969


def test_a_case_keeps_its_period_collectivite_themes_and_outcomes(loaded):
    case = Case.objects.get(slug="conseil-de-quartier")

    assert (case.period_start, case.period_end) == (2015, None)
    assert (case.collectivite_type, case.population) == ("commune", "200000-1000000")
    assert case.theme_keys == ["participation"]
    assert case.budget_fr == "12 000 euros par an."
    assert case.results_en == "Opinions given."
    assert case.did_not_work_fr == "Peu de jeunes sont venus."


def test_a_case_file_still_dated_with_year_is_refused_and_told_to_use_period(tmp_path):
    with pytest.raises(content.ContentInvalid) as refused:
        load(tmp_path, case=changed(CASE, period=None, year=2012))

    assert "remplacé par period" in str([str(e) for e in refused.value.errors])
    assert not Case.objects.filter(slug="conseil-de-quartier").exists()


# The resource page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        "En pratique",
        "Utile pour décider avec les habitants",
        "Coût € : avec les moyens de l’équipe, quelques milliers d’euros au plus",
        "Durée avant un premier résultat quelques jours",
        "Taille du groupe petit groupe (moins de 12 personnes)",
        "Sensibilité politique moyenne",
        "Aide extérieure pas nécessaire",
    ],
)
def test_the_resource_page_shows_its_practical_facts(client, loaded, shown):
    assert shown in text(client.get("/carte/ressources/echelle/"))


def test_a_source_names_its_author_before_its_title(client, loaded):
    html = client.get("/carte/ressources/echelle/").content.decode()

    assert (
        'Sherry R. Arnstein, <a href="https://doi.org/10.1080/01944366908977225" rel="external">'
        "A Ladder of Citizen Participation</a>, Journal of the American Institute of Planners, 1969"
    ) in html


def test_the_practical_facts_are_in_english_on_the_english_page(client, loaded):
    page = text(client.get("/en/map/resources/echelle/"))

    assert "In practice" in page
    assert "Useful for decide with residents" in page
    assert "Outside help not needed" in page


def test_a_resource_whose_file_gives_no_facts_has_no_practical_section(client):
    make_resource("sans-faits")

    assert "En pratique" not in text(client.get("/carte/ressources/sans-faits/"))


# The case page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shown",
    [
        "Qui l’a mené Commune, de 200 000 à 1 million d’habitants",
        "Période Depuis 2015",
        "Thèmes participation citoyenne",
        "Budget 12 000 euros par an.",
        "Ce que cela a produit Des avis rendus.",
        "Ce qui n’a pas marché Peu de jeunes sont venus.",
        "Méthodes et ressources utilisées Échelle de la participation",
    ],
)
def test_the_case_page_shows_its_structured_fields(client, loaded, shown):
    assert shown in text(client.get("/cas/conseil-de-quartier/"))


def test_a_theme_of_a_case_links_to_the_cases_of_that_theme(client, loaded):
    html = client.get("/cas/conseil-de-quartier/").content.decode()

    assert '<a href="/cas/?theme=participation">participation citoyenne</a>' in html


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [
        (2014, 2016, "Période 2014–2016"),
        (2016, 2016, "Période 2016 "),
        (None, 2017, "Période Jusqu’en 2017"),
    ],
)
def test_the_period_reads_as_a_reader_says_it(client, start, end, shown):
    make_case("cas-date", period_start=start, period_end=end)

    assert shown in text(client.get("/cas/cas-date/"))


def test_a_case_whose_period_is_not_known_leaves_it_out(client):
    make_case("cas-sans-date")

    page = text(client.get("/cas/cas-sans-date/"))

    assert "Période" not in page
    assert "non connue" not in page


def test_the_case_page_is_in_english_on_the_english_page(client, loaded):
    page = text(client.get("/en/cases/conseil-de-quartier/"))

    assert "Period Since 2015" in page
    assert "What did not work Few young people came." in page


# The API ----------------------------------------------------------------------------------------


def test_the_api_gives_a_resource_s_practical_facts(client, loaded):
    body = client.get("/api/v1/resources/echelle").json()

    assert {name: body[name] for name in ("tasks", "cost", "duration", "critics")} == {
        "tasks": ["decider-habitants"],
        "cost": 1,
        "duration": "jours",
        "critics": ["Sherry R. Arnstein"],
    }
    assert body["sources"][0]["author"] == "Sherry R. Arnstein"


def test_the_api_gives_null_for_facts_a_resource_does_not_give_yet(client):
    make_resource("sans-faits")

    body = client.get("/api/v1/resources/sans-faits").json()

    assert (body["tasks"], body["cost"], body["outside_help"]) == ([], None, None)


def test_the_api_gives_a_case_s_structured_fields(client, loaded):
    body = client.get("/api/v1/cases/conseil-de-quartier?lang=en").json()

    assert body["period"] == {"start": 2015, "end": None}
    assert body["collectivite"] == {"type": "commune", "population": "200000-1000000"}
    assert body["themes"] == ["participation"]
    assert body["did_not_work"] == "Few young people came."


def test_the_case_list_of_the_api_leaves_the_long_texts_to_each_case(client, loaded):
    [summary] = client.get("/api/v1/cases").json()["results"]

    assert summary["collectivite"]["type"] == "commune"
    assert "did_not_work" not in summary


# Open data ---------------------------------------------------------------------------------


@pytest.fixture
def exported(loaded, tmp_path):
    opendata.export(tmp_path / "export")
    return tmp_path / "export"


def rows(directory, name):
    with open(directory / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_open_data_carries_the_new_fields_of_resources_and_cases(exported):
    [resource] = rows(exported, "resources")
    [case] = rows(exported, "cases")

    assert (resource["tasks"], resource["cost"], resource["outside_help"]) == (
        '["decider-habitants"]',
        "1",
        "non",
    )
    assert (case["period_start"], case["period_end"], case["collectivite_type"]) == (
        "2015",
        "",
        "commune",
    )
    assert case["did_not_work_en"] == "Few young people came."


def test_a_value_not_given_is_null_in_the_json_export(client, exported):
    make_case("cas-sans-type")
    opendata.export(exported)

    document = json.loads((exported / "sonar.json").read_text(encoding="utf-8"))
    [case] = [c for c in document["datasets"]["cases"] if c["slug"] == "cas-sans-type"]
    assert (case["collectivite_type"], case["population"], case["themes"]) == (None, None, [])


def test_the_data_package_types_each_column_and_lists_fixed_values(exported):
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    fields = {
        (resource["name"], field["name"]): field
        for resource in package["resources"]
        for field in resource["schema"]["fields"]
    }

    assert fields[("resources", "cost")] == {
        "name": "cost",
        "type": "integer",
        "constraints": {"enum": [1, 2, 3]},
    }
    assert fields[("resources", "tasks")]["type"] == "array"
    assert fields[("resources", "sources")]["type"] == "array"
    assert fields[("cases", "period_start")]["type"] == "integer"
    assert fields[("cases", "named_in_journal")]["type"] == "boolean"
    assert fields[("cases", "collectivite_type")]["constraints"]["enum"][:2] == ["commune", "epci"]
    assert fields[("glossary", "resource")]["type"] == "string"


def test_the_export_base_url_is_the_site_s(exported):
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))

    assert package["sources"][0]["path"] == settings.SONAR_BASE_URL
