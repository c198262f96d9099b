"""The editorial rules of the catalogue (issue 15): what `python -m sonar.atlas.schema` refuses.

Each rule is shown failing on a small synthetic file, with the file, the line and the field it
names; a complete file passes. The reference content gets the rules' fields on other branches:
the test over content/ is expected to fail until it does.
"""

import subprocess
import sys

import pytest
from django.conf import settings

from sonar.atlas import schema
from sonar.core import content
from tests.atlas.content_files import CASE, GLOSSARY, RESOURCE, SOURCE, changed, write


def line_of(path, marker, after=None):
    """1-based number of the first line of the file holding `marker` (after the line `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if after in line), 0) if after else 0
    return next(i for i, line in enumerate(lines, start=1) if i > start and marker in line)


def errors_of(atlas):
    errors, _counts = schema.check(atlas)
    return [(str(e.path), e.line, e.field, e.message) for e in errors]


def test_complete_files_pass_every_rule(tmp_path):
    atlas = write(tmp_path)

    errors, counts = schema.check(atlas)

    assert errors == []
    assert counts == {"resources": 1, "cases": 1, "terms": 1}


def test_a_resource_source_without_a_year_is_named_with_its_line(tmp_path):
    resource = changed(RESOURCE, sources=[{**SOURCE, "year": None}])
    atlas = write(tmp_path, resource=resource)
    path = atlas / "resources" / "echelle.yaml"

    assert errors_of(atlas) == [
        (
            "content/atlas/resources/echelle.yaml",
            line_of(path, "title: A Ladder"),
            "sources.0.year",
            "source sans année : « A Ladder of Citizen Participation »",
        )
    ]


def test_a_case_source_and_a_glossary_source_without_a_year_are_refused_too(tmp_path):
    case = changed(CASE, sources=[{**CASE["sources"][0], "year": None}])
    glossary = {"terms": [{**GLOSSARY["terms"][0], "sources": [{**SOURCE, "year": None}]}]}
    atlas = write(tmp_path, case=case, glossary=glossary)

    assert [field for _path, _line, field, _message in errors_of(atlas)] == [
        "terms.0.sources.0.year",
        "sources.0.year",
    ]


def test_a_resource_whose_only_source_is_wikipedia_is_refused(tmp_path):
    wikipedia = {**SOURCE, "url": "https://fr.wikipedia.org/wiki/Participation_citoyenne"}
    atlas = write(tmp_path, resource=changed(RESOURCE, sources=[wikipedia]))
    path = atlas / "resources" / "echelle.yaml"

    [(_path, line, field, message)] = errors_of(atlas)

    assert (line, field) == (line_of(path, "- title:"), "sources")
    assert message.startswith("Wikipédia est la seule source")


def test_wikipedia_beside_a_primary_source_is_accepted(tmp_path):
    wikipedia = {**SOURCE, "url": "https://en.wikipedia.org/wiki/Sherry_Arnstein"}
    atlas = write(tmp_path, resource=changed(RESOURCE, sources=[SOURCE, wikipedia]))

    assert errors_of(atlas) == []


def test_a_resource_that_names_no_critic_is_refused(tmp_path):
    atlas = write(tmp_path, resource=changed(RESOURCE, critics=None))

    [(_path, _line, field, message)] = errors_of(atlas)

    assert field == "critics"
    assert message.startswith("champ obligatoire manquant : nommez")


def test_an_empty_list_of_critics_is_refused_even_when_loading(tmp_path):
    atlas = write(tmp_path, resource=changed(RESOURCE, critics=[]))

    with pytest.raises(content.ContentInvalid) as raised:
        content.read(atlas.parent, editorial=False)

    assert [(e.field, e.message) for e in raised.value.errors] == [("critics", "liste trop courte")]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ({"fr": "Des chercheurs y voient un alibi.", "en": RESOURCE["controversies"]["en"]}, "fr"),
        ({"fr": RESOURCE["controversies"]["fr"], "en": "Arnstein calls it a fig leaf."}, "en"),
    ],
    ids=["not-in-french", "not-in-english"],
)
def test_a_critic_missing_from_one_language_of_the_controversy_is_refused(tmp_path, text, language):
    atlas = write(tmp_path, resource=changed(RESOURCE, controversies=text))
    path = atlas / "resources" / "echelle.yaml"

    assert errors_of(atlas) == [
        (
            "content/atlas/resources/echelle.yaml",
            line_of(path, "- Sherry R. Arnstein", after="critics:"),
            "critics.0",
            f"« Sherry R. Arnstein » n’est pas écrit tel quel dans controversies.{language}",
        )
    ]


def test_a_critic_who_wrote_none_of_the_sources_is_refused(tmp_path):
    atlas = write(tmp_path, resource=changed(RESOURCE, sources=[{**SOURCE, "author": None}]))

    [(_path, _line, field, message)] = errors_of(atlas)

    assert field == "critics.0"
    assert message.startswith("« Sherry R. Arnstein » n’est l’auteur (author) d’aucune source")


def test_a_critic_among_the_coauthors_of_a_source_is_accepted(tmp_path):
    coauthored = {**SOURCE, "author": "Sherry R. Arnstein et Jane Jacobs"}
    atlas = write(tmp_path, resource=changed(RESOURCE, sources=[coauthored]))

    assert errors_of(atlas) == []


def test_a_resource_must_say_whether_the_journal_names_it(tmp_path):
    atlas = write(tmp_path, resource=changed(RESOURCE, named_in_journal=None))

    [(_path, _line, field, message)] = errors_of(atlas)

    assert field == "named_in_journal"
    assert "true si le journal la nomme, sinon false" in message


@pytest.mark.parametrize("name", schema.RESOURCE_REQUIRED[1:])
def test_a_resource_without_a_finder_field_is_refused(tmp_path, name):
    atlas = write(tmp_path, resource=changed(RESOURCE, **{name: None}))

    assert [(field, message) for _p, _l, field, message in errors_of(atlas)] == [
        (name, "champ obligatoire manquant")
    ]


def test_a_case_without_what_did_not_work_is_refused(tmp_path):
    atlas = write(tmp_path, case=changed(CASE, did_not_work=None))

    [(path, _line, field, message)] = errors_of(atlas)

    assert (path, field) == ("content/atlas/cases/conseil-de-quartier.yaml", "did_not_work")
    assert message == (
        "champ obligatoire manquant : dites ce qui n’a pas marché, ou ce qu’on n’en sait pas"
    )


@pytest.mark.parametrize("name", ["collectivite", "themes", "results"])
def test_a_case_without_a_structured_field_is_refused(tmp_path, name):
    atlas = write(tmp_path, case=changed(CASE, **{name: None}))

    assert [field for _path, _line, field, _message in errors_of(atlas)] == [name]


def test_a_case_still_dated_with_year_is_asked_for_a_period(tmp_path):
    atlas = write(tmp_path, case=changed(CASE, period=None, year=2015))
    path = atlas / "cases" / "conseil-de-quartier.yaml"

    assert errors_of(atlas) == [
        (
            "content/atlas/cases/conseil-de-quartier.yaml",
            line_of(path, "year: 2015"),
            "year",
            "remplacé par period (start, end)",
        )
    ]


def test_a_case_whose_period_is_not_known_leaves_it_out(tmp_path):
    atlas = write(tmp_path, case=changed(CASE, period=None))

    assert errors_of(atlas) == []


BAD_VALUES = {
    "unknown-task": ("resource", {"tasks": ["tout-faire"]}, "tasks.0", "valeur non permise"),
    "five-tasks": (
        "resource",
        {"tasks": ["anticiper", "mesurer-effet", "tester-idee", "trouver-idees", "changer-regle"]},
        "tasks",
        "liste trop longue",
    ),
    "task-twice": (
        "resource",
        {"tasks": ["anticiper", "anticiper"]},
        "tasks",
        "une valeur est écrite deux fois",
    ),
    "cost-four": ("resource", {"cost": 4}, "cost", "valeur non permise"),
    "unknown-duration": ("resource", {"duration": "heures"}, "duration", "valeur non permise"),
    "unknown-theme": ("case", {"themes": ["sport"]}, "themes.0", "valeur non permise"),
    "unknown-type": (
        "case",
        {"collectivite": {"type": "canton"}},
        "collectivite.type",
        "valeur non permise",
    ),
    "empty-period": ("case", {"period": {}}, "period", "indiquez start, end ou les deux"),
    "period-backwards": (
        "case",
        {"period": {"start": 2019, "end": 2016}},
        "period",
        "end est avant start",
    ),
    "year-and-period": (
        "case",
        {"year": 2015},
        "period",
        "year et period à la fois : gardez period seul",
    ),
}


@pytest.mark.parametrize(
    ("kind", "fields", "field", "message"), BAD_VALUES.values(), ids=BAD_VALUES
)
def test_a_wrong_value_in_a_new_field_stops_even_a_lenient_load(
    tmp_path, kind, fields, field, message
):
    if kind == "resource":
        atlas = write(tmp_path, resource=changed(RESOURCE, **fields))
    else:
        atlas = write(tmp_path, case=changed(CASE, **fields))

    with pytest.raises(content.ContentInvalid) as raised:
        content.read(atlas.parent, editorial=False)

    [error] = raised.value.errors
    assert error.field == field
    assert error.message.startswith(message)


def test_a_file_without_the_new_fields_still_loads_while_the_rules_are_not_enforced(tmp_path):
    old_resource = changed(
        RESOURCE,
        named_in_journal=None,
        sources=[{**SOURCE, "year": None, "author": None}],
        **{name: None for name in schema.RESOURCE_REQUIRED},
    )
    old_case = changed(
        CASE, period=None, year=2015, **{name: None for name in schema.CASE_REQUIRED}
    )
    atlas = write(tmp_path, resource=old_resource, case=old_case)

    documents = content.read(atlas.parent, editorial=False)

    assert len(documents) == 3


def test_once_enforced_the_rules_stop_the_load_with_file_line_and_field(tmp_path, monkeypatch):
    monkeypatch.setattr(content, "EDITORIAL_RULES_ON_LOAD", True)
    atlas = write(tmp_path, case=changed(CASE, did_not_work=None))

    with pytest.raises(content.ContentInvalid) as raised:
        content.read(atlas.parent)

    [error] = raised.value.errors
    assert str(error).startswith(
        "content/atlas/cases/conseil-de-quartier.yaml, ligne 1, champ « did_not_work » : "
    )


def test_the_command_line_check_exits_with_an_error_and_lists_the_problems(tmp_path):
    atlas = write(tmp_path, case=changed(CASE, did_not_work=None))

    run = subprocess.run(
        [sys.executable, "-m", "sonar.atlas.schema", str(atlas)],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )

    assert run.returncode == 1
    assert "content/atlas/cases/conseil-de-quartier.yaml, ligne 1, champ « did_not_work »" in (
        run.stdout
    )


def test_the_command_line_check_can_be_limited_to_some_files(tmp_path):
    atlas = write(tmp_path, resource=changed(RESOURCE, cost=None), case=changed(CASE, themes=None))

    errors, _counts = schema.check(atlas, only=[atlas / "cases" / "conseil-de-quartier.yaml"])

    assert [e.field for e in errors] == ["themes"]


def test_the_reference_content_meets_the_editorial_rules():
    errors, _counts = schema.check(settings.SONAR_CONTENT_DIR / "atlas")

    assert [str(e) for e in errors] == []
