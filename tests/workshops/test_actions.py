"""Workshop rules: codes, tokens, answers committed before they are acknowledged, states."""

import pytest
from django.db import connection, transaction

from sonar.workshops import actions, live, results
from sonar.workshops.models import CODE_ALPHABET, Workshop, digest, new_code
from tests.workshops.conftest import choice_for, join

pytestmark = pytest.mark.django_db


def test_a_join_code_has_six_characters_without_look_alikes():
    codes = {new_code() for _ in range(200)}
    assert all(len(code) == 6 for code in codes)
    assert set("".join(codes)) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)


def test_only_a_digest_of_the_facilitator_token_is_stored(workshop):
    stored = Workshop.objects.get(pk=workshop.pk)
    assert len(workshop.token) >= 32  # 24 random bytes, URL-safe: 192 bits
    assert workshop.token not in {stored.facilitator_digest, stored.code}
    assert stored.facilitator_digest == digest(workshop.token)
    assert stored.is_facilitator(workshop.token)
    last = "y" if workshop.token.endswith("x") else "x"
    assert not stored.is_facilitator(workshop.token[:-1] + last)  # one character changed


def test_a_code_is_found_whatever_the_case_and_spaces(workshop):
    typed = f" {workshop.code[:3].lower()} {workshop.code[3:]} "
    assert Workshop.objects.by_code(typed) == workshop


@pytest.mark.django_db(transaction=True)
def test_an_answer_is_committed_before_it_is_published_and_acknowledged(
    make_workshop, quiz, monkeypatch
):
    workshop = make_workshop()
    person = join(workshop)
    seen = []

    def publish(code, data):
        # Runs on commit: outside any transaction, with the answer already in the database.
        seen.append((connection.in_atomic_block, data["answers"], data["version"]))

    monkeypatch.setattr(live, "publish", publish)
    version = actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages"))
    assert seen == [(False, 1, version)]


def test_nothing_is_published_while_the_transaction_is_open(workshop, quiz, monkeypatch):
    published = []
    monkeypatch.setattr(live, "publish", lambda code, data: published.append(data))
    person = join(workshop)
    with transaction.atomic():
        actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages"))
    # The test's own transaction is never committed, so the snapshot never leaves.
    assert published == []


def test_changing_an_answer_keeps_one_answer_the_last(workshop, quiz):
    person = join(workshop)
    actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages"))
    actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "technique"))
    assert person.answers_by_question() == {"q1": choice_for(quiz, "q1", "technique")}


def test_each_change_raises_the_version(workshop, quiz):
    versions = [Workshop.objects.get(pk=workshop.pk).version]
    person = join(workshop)
    versions.append(Workshop.objects.get(pk=workshop.pk).version)
    versions.append(actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages")))
    versions.append(actions.change(workshop, revealed=True).version)
    assert versions == sorted(set(versions))


@pytest.mark.parametrize(
    ("question", "choice", "status"),
    [
        ("q1", "q2a", 400),  # a choice from another question
        ("q1", "zzz", 400),
        ("q9", "q1a", 404),
    ],
)
def test_answers_that_do_not_fit_are_refused(workshop, question, choice, status):
    person = join(workshop)
    with pytest.raises(actions.WorkshopError) as refused:
        actions.answer(workshop, person, question, choice)
    assert refused.value.status == status


def test_a_closed_workshop_refuses_answers_with_409(workshop, quiz):
    person = join(workshop)
    actions.change(workshop, is_open=False)
    with pytest.raises(actions.WorkshopError) as refused:
        actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages"))
    assert refused.value.status == 409


def test_in_paced_mode_only_the_open_question_takes_answers(paced, quiz):
    person = join(paced)
    with pytest.raises(actions.WorkshopError):
        actions.answer(paced, person, "q1", choice_for(quiz, "q1", "usages"))
    actions.change(paced, current=1)
    actions.answer(paced, person, "q1", choice_for(quiz, "q1", "usages"))
    actions.change(paced, current=2)
    with pytest.raises(actions.WorkshopError) as refused:
        actions.answer(paced, person, "q1", choice_for(quiz, "q1", "culture"))
    assert refused.value.status == 409


def test_before_the_reveal_the_snapshot_holds_counts_only(workshop, quiz):
    person = join(workshop)
    actions.answer(workshop, person, "q1", choice_for(quiz, "q1", "usages"))
    snapshot = results.snapshot(Workshop.objects.get(pk=workshop.pk))
    assert snapshot["results"] is None
    assert snapshot["answered"]["q1"] == 1
    assert snapshot["participants"] == 1


def test_after_the_reveal_the_snapshot_holds_the_distribution(workshop, quiz):
    for outcome in ("usages", "usages", "culture"):
        person = join(workshop)
        for question in quiz.questions:
            actions.answer(workshop, person, question.key, choice_for(quiz, question.key, outcome))
    actions.change(workshop, revealed=True)
    snapshot = results.snapshot(Workshop.objects.get(pk=workshop.pk))
    assert snapshot["results"]["profiles"] == {
        "culture": 1,
        "technique": 0,
        "usages": 2,
        "hybride": 0,
    }
    assert snapshot["results"]["answers"]["q1"][choice_for(quiz, "q1", "usages")] == 2
