"""A workshop is a session of steps: editing never loses an answer, a past workshop can be
duplicated, workshops made before steps become one step with their answers."""

import importlib

import pytest
from django.apps import apps as django_apps

from sonar.quiz import data
from sonar.workshops import actions, kinds
from sonar.workshops.kinds.choice import STYLE_PROFILES
from sonar.workshops.models import Answer, Step, StepAnswer
from tests.workshops.conftest import choice_for, join

pytestmark = pytest.mark.django_db

QUESTION = {"kind": "choice", "prompt": "Par où commencer ?", "choices": ["Un essai", "Un échange"]}


@pytest.fixture
def session(quiz):
    steps = actions.build_steps([{"kind": "style"}, QUESTION, {**QUESTION, "prompt": "Et après ?"}])
    workshop, token = actions.create_workshop(quiz, "Séance", "self-paced", steps)
    workshop.token = token
    return workshop


def keys(workshop):
    return [s.key for s in workshop.ordered_steps()]


def test_the_choice_kind_knows_the_style_quizs_profiles(quiz):
    assert tuple(o.key for o in quiz.outcomes) == STYLE_PROFILES


def test_every_kind_is_found_in_its_own_module():
    assert {"style", "maturity", "choice"} <= set(kinds.registered())


def test_steps_are_reordered_added_and_removed_before_any_answer(session):
    actions.move_step(session, "question-2", 1)
    assert keys(session) == ["question-2", "style", "question-1"]
    added = actions.add_step(session, {**QUESTION, "prompt": "Une dernière ?"}, position=2)
    assert added.key == "question-3"
    assert keys(session) == ["question-2", "question-3", "style", "question-1"]
    actions.remove_step(session, "question-3")
    assert keys(session) == ["question-2", "style", "question-1"]
    assert [s.position for s in session.ordered_steps()] == [1, 2, 3]


def test_a_step_with_answers_cannot_be_removed_or_rewritten_only_closed_or_hidden(session):
    person = join(session)
    actions.answer_step(session, person, "question-1", {"choice": "c2"})
    with pytest.raises(actions.WorkshopError) as removed:
        actions.remove_step(session, "question-1")
    assert removed.value.status == 409
    assert "clore ou la masquer" in removed.value.message
    with pytest.raises(actions.WorkshopError) as rewritten:
        actions.update_step(session, "question-1", {"prompt": "Autre", "choices": ["A", "B"]})
    assert rewritten.value.status == 409
    actions.set_hidden(session, "question-1", True)
    assert "question-1" not in [s["key"] for s in actions.results.snapshot(session)["steps"]]
    assert StepAnswer.objects.get(step__key="question-1").value == {"choices": ["c2"]}


def test_a_questionnaire_step_with_answers_is_kept_too(session, quiz):
    person = join(session)
    actions.answer(session, person, "q1", choice_for(quiz, "q1", "usages"))
    with pytest.raises(actions.WorkshopError):
        actions.remove_step(session, "style")
    assert Answer.objects.filter(participant=person).count() == 1


def test_a_step_without_answers_can_be_rewritten(session):
    step = actions.update_step(session, "question-2", {"prompt": "Autre", "choices": ["A", "B"]})
    assert step.config["prompt"] == "Autre"
    assert [c["label"] for c in step.config["choices"]] == ["A", "B"]


def test_a_past_workshop_is_duplicated_without_its_people(session):
    join(session)
    actions.set_hidden(session, "question-2", True)
    copy, token = actions.duplicate(session)
    assert copy.code != session.code and token
    assert keys(copy) == ["style", "question-1"]
    assert copy.title == "Séance (copie)"
    assert copy.participants.count() == 0


def test_a_workshop_made_before_steps_becomes_one_step_with_its_answers(workshop, quiz):
    person = join(workshop)
    actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "culture"))
    Step.objects.filter(workshop=workshop).delete()
    migration = importlib.import_module("sonar.workshops.migrations.0004_workshops_become_steps")
    migration.to_steps(django_apps, None)
    (step,) = workshop.ordered_steps()
    assert (step.key, step.kind, step.position) == ("style", "style", 1)
    assert Answer.objects.filter(participant=person).count() == 1
    data.forget()
    # It is answered as before, through its step.
    actions.answer(workshop, person, "q2", choice_for(quiz, "q2", "culture"))
    assert Answer.objects.filter(participant=person).count() == 2


def test_a_template_creates_its_steps_with_script_and_questions(reference_content, quiz):
    from sonar.workshops.models import WorkshopTemplate

    template = WorkshopTemplate.objects.get(key="seminaire-direction-2h")
    workshop, _token = actions.create_workshop(
        quiz, "CODIR", "paced", actions.build_steps(template.specs("fr"))
    )
    steps = workshop.ordered_steps()
    assert [s.kind for s in steps] == ["style", "maturity", "choice", "choice"]
    assert all(s.script and s.discussion and s.minutes for s in steps)
    assert steps[2].config["multiple"] is True
    assert sum(s.minutes for s in steps) <= template.minutes


def test_the_purge_keeps_each_steps_counts(session):
    from django.utils import timezone

    person = join(session)
    actions.answer_step(session, person, "question-1", {"choice": "c2"})
    assert actions.purge(now=timezone.now() + timezone.timedelta(days=400)) == 1
    session.refresh_from_db()
    assert not StepAnswer.objects.exists()
    counts = actions.results.step_results(session)["question-1"]["counts"]
    assert counts == {"c1": 0, "c2": 1}
