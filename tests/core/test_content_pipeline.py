"""The content pipeline: validated before anything is written, revisions kept, edits never lost."""

import pytest

from sonar.core import content
from sonar.core.actions import save_revision
from sonar.core.models import Revision, RevisionConflict
from sonar.quiz.models import Choice, Outcome, Question, Questionnaire
from tests.core.conftest import MINI, MINI_OBJECTS, write_quiz

pytestmark = pytest.mark.django_db


def database_state():
    """Everything a load could have written, to compare before and after."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (Questionnaire, Outcome, Question, Choice, Revision)
    ]


def line_of(text, marker):
    """1-based number of the only line of `text` containing `marker`."""
    lines = [i for i, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(lines) == 1, f"{marker!r} is on lines {lines}"
    return lines[0]


# (old, new): the edit that breaks MINI; then the field, the marker on the faulty line, and
# a fragment of the French message.
BROKEN = {
    "yaml-syntax": (
        '  en: "Mini questionnaire"\n',
        '  en: "Mini questionnaire"\n  - orphelin\n',
        "",
        "- orphelin",
        "YAML illisible",
    ),
    "missing-field": (
        '        rationale:\n          fr: "Les champs, c’est la terre."\n'
        '          en: "Fields mean land."\n',
        "",
        "questions.0.choices.1.rationale",
        'key: "q1b"',
        "champ obligatoire manquant",
    ),
    "unknown-field": (
        '  - key: "mer"\n',
        '  - key: "mer"\n    colour: "bleu"\n',
        "outcomes.0.colour",
        "colour",
        "champ inconnu",
    ),
    "empty-french-text": (
        'fr: "Où partir ?"',
        'fr: ""',
        "questions.0.text.fr",
        'fr: ""',
        "texte vide",
    ),
    "unknown-outcome": (
        'outcome: "terre"',
        'outcome: "ciel"',
        "questions.0.choices.1.outcome",
        '"ciel"',
        "« ciel » n’est pas un des résultats du questionnaire",
    ),
    "field-written-twice": (
        'source: "sonar"\n',
        'source: "sonar"\nsource: "double"\n',
        "source",
        '"double"',
        "champ écrit deux fois",
    ),
    "key-used-twice": (
        'key: "q1b"',
        'key: "q1a"  # doublon',
        "questions.0.choices.1.key",
        "# doublon",
        "clé « q1a » déjà utilisée",
    ),
}


@pytest.mark.parametrize(
    ("old", "new", "field", "marker", "message"), BROKEN.values(), ids=BROKEN.keys()
)
def test_a_broken_file_names_file_line_and_field_and_writes_nothing(
    content_dir, old, new, field, marker, message
):
    content.load(directory=content_dir)
    before = database_state()
    assert old in MINI
    # The broken file also renames the questionnaire: that must not land either.
    broken = MINI.replace(old, new).replace('fr: "Mini questionnaire"', 'fr: "Renommé"')
    write_quiz(content_dir, broken)

    with pytest.raises(content.ContentInvalid) as raised:
        content.load(directory=content_dir)

    [error] = raised.value.errors
    assert str(error.path) == "content/quiz/mini.yaml"
    assert error.line == line_of(broken, marker)
    assert error.field == field
    assert message in error.message
    assert database_state() == before


def test_an_error_in_one_file_keeps_every_other_file_out_too(content_dir):
    write_quiz(content_dir, MINI.replace('key: "mini"', 'key: "autre"'), name="autre")
    write_quiz(content_dir, MINI.replace('fr: "Au large"', 'fr: " "'))

    with pytest.raises(content.ContentInvalid):
        content.load(directory=content_dir)

    assert database_state() == [[], [], [], [], []]


def test_every_error_of_every_file_is_reported_at_once(content_dir):
    write_quiz(content_dir, MINI.replace('fr: "Au large"', 'fr: ""').replace("scoring", "score"))
    write_quiz(content_dir, MINI.replace('fr: "Mer"', 'fr: ""'), name="autre")

    with pytest.raises(content.ContentInvalid) as raised:
        content.load(directory=content_dir)

    assert sorted((str(e.path), e.field) for e in raised.value.errors) == [
        ("content/quiz/autre.yaml", "outcomes.0.name.fr"),
        ("content/quiz/mini.yaml", "questions.0.choices.0.text.fr"),
        ("content/quiz/mini.yaml", "score"),
    ]


def test_a_first_load_gives_every_object_one_revision_from_the_load(content_dir):
    report = content.load(directory=content_dir)

    assert (report.created, report.updated, report.unchanged) == (MINI_OBJECTS, 0, 0)
    assert list(Revision.objects.values_list("number", "origin").distinct()) == [(1, "load")]
    assert Revision.objects.count() == MINI_OBJECTS


def test_a_changed_file_updates_the_object_with_a_new_revision(content_dir):
    content.load(directory=content_dir)
    write_quiz(content_dir, MINI.replace('fr: "Où partir ?"', 'fr: "Où aller ?"'))

    report = content.load(directory=content_dir)

    question = Question.objects.get(key="q1")
    assert (report.updated, report.unchanged) == (1, MINI_OBJECTS - 1)
    assert question.text_fr == "Où aller ?"
    assert [r.snapshot["text_fr"] for r in question.revisions()] == ["Où partir ?", "Où aller ?"]


def edit_question(text):
    question = Question.objects.get(key="q1")
    question.text_fr = text
    return save_revision(question, Revision.Origin.EDIT, based_on=question.revision)


def test_an_edit_made_in_sonar_is_kept_and_reported_as_a_conflict(content_dir):
    content.load(directory=content_dir)
    edit_question("Vers où mettre le cap ?")
    write_quiz(content_dir, MINI.replace('fr: "Où partir ?"', 'fr: "Où aller ?"'))

    report = content.load(directory=content_dir)

    assert Question.objects.get(key="q1").text_fr == "Vers où mettre le cap ?"
    assert report.updated == 0
    [conflict] = report.conflicts
    assert "content/quiz/mini.yaml" in conflict
    assert "mini/q1" in conflict
    assert "--force" in conflict


def test_force_replaces_an_edit_and_keeps_it_in_the_revisions(content_dir):
    content.load(directory=content_dir)
    edit_question("Vers où mettre le cap ?")

    report = content.load(directory=content_dir, force=True)

    question = Question.objects.get(key="q1")
    assert (report.updated, report.conflicts) == (1, [])
    assert question.text_fr == "Où partir ?"
    assert [(r.origin, r.snapshot["text_fr"]) for r in question.revisions()] == [
        ("load", "Où partir ?"),
        ("edit", "Vers où mettre le cap ?"),
        ("load", "Où partir ?"),
    ]


def test_a_dry_run_counts_changes_and_writes_nothing(content_dir):
    report = content.load(directory=content_dir, dry_run=True)

    assert report.created == MINI_OBJECTS
    assert database_state() == [[], [], [], [], []]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: r.save(), id="save"),
        pytest.param(lambda r: r.delete(), id="delete"),
        pytest.param(
            lambda r: Revision.objects.filter(pk=r.pk).update(snapshot=r.snapshot), id="bulk-update"
        ),
        pytest.param(lambda r: Revision.objects.filter(pk=r.pk).delete(), id="bulk-delete"),
    ],
)
def test_a_saved_revision_can_be_neither_changed_nor_deleted(content_dir, change):
    content.load(directory=content_dir)
    revision = Revision.objects.first()
    revision.snapshot = {"text_fr": "réécrit"}

    with pytest.raises(ValueError, match="append-only"):
        change(revision)

    assert Revision.objects.get(pk=revision.pk).snapshot != {"text_fr": "réécrit"}


def test_a_save_based_on_an_older_revision_is_refused(content_dir):
    content.load(directory=content_dir)
    # Two editors open the same question at revision 1; the first one saves.
    first = Question.objects.get(key="q1")
    second = Question.objects.get(key="q1")
    first.text_fr = "Version de la première personne"
    save_revision(first, Revision.Origin.EDIT, based_on=1)
    second.text_fr = "Version de la seconde personne"

    with pytest.raises(RevisionConflict):
        save_revision(second, Revision.Origin.EDIT, based_on=1)

    question = Question.objects.get(key="q1")
    assert (question.text_fr, question.revision) == ("Version de la première personne", 2)
    assert question.revisions().count() == 2
