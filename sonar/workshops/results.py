"""What a workshop's answers add up to: the live snapshot and the results.

Built from the database in a handful of grouped queries, once per change, and sent to every
screen as it is. Before the facilitator reveals the answers, the snapshot holds only counts (how
many people, how many answers per question): never which choice anyone made.
"""

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from sonar.quiz import data as quiz_data
from sonar.workshops import access, kinds
from sonar.workshops.models import Answer, Participant, StepAnswer, Workshop


def quiz_of(workshop):
    return quiz_data.get(pk=workshop.questionnaire_id)


# A tally is kept this long per workshop version: at the reveal, every participant's page, the
# projector and each snapshot published read it, and it only changes with the version.
TALLY_SECONDS = 600


def tally(workshop, quiz=None):
    """The results (see `count`), computed once per workshop version and kept in the cache:
    every change that moves them (an answer, a participant joining) raises the version in its
    own transaction, so one version's tally never changes. After the retention period the raw
    answers are gone and the kept copy is returned."""
    if workshop.purged_at is not None:
        if not workshop.kept_results:
            return empty_tally(quiz or quiz_of(workshop))
        # The steps' counts are kept beside the tally (step_results reads them).
        return {k: v for k, v in workshop.kept_results.items() if k != "steps"}
    quiz = quiz or quiz_of(workshop)
    # The code and creation time tell apart workshops that reuse an id (a database restored or
    # rolled back); the quiz's stamp, an edit of its content.
    stamp = "-".join(str(part) for part in quiz.stamp)
    key = (
        f"workshops:tally:{workshop.pk}:{workshop.code}:{workshop.created_at.timestamp()}:"
        f"{workshop.version}:{stamp}"
    )
    found = cache.get(key)
    if found is None:
        found = count(workshop, quiz)
        cache.set(key, found, TALLY_SECONDS)
    return found


def count(workshop, quiz):
    """The results: participants, answers per choice, participants per profile.

    A participant counts for their profile as the quiz would score their answers so far; a tie
    gives a mixed profile, which counts once for each of its profiles (Sonar never settles a
    tie at random). `answer_profiles` counts every answer for the profile of its choice.
    """
    result = empty_tally(quiz)
    rows = Answer.objects.filter(participant__workshop=workshop).values_list(
        "participant_id", "question_key", "choice_key"
    )
    by_participant = {}
    for participant_id, question_key, choice_key in rows:
        if choice_key not in quiz.choice_outcomes:
            continue  # content changed under the workshop: the answer no longer scores
        by_participant.setdefault(participant_id, {})[question_key] = choice_key
        answers = result["answers"].setdefault(question_key, {})
        answers[choice_key] = answers.get(choice_key, 0) + 1
        outcome = quiz.choice_outcomes[choice_key]
        result["answer_profiles"][outcome] += 1
    for answers in by_participant.values():
        score = quiz.score(answers)
        for key in score.winners:
            result["profiles"][key] += 1
        if len(answers) == len(quiz.questions):
            result["complete"] += 1
    result["participants"] = Participant.objects.filter(workshop=workshop).count()
    return result


def empty_tally(quiz):
    return {
        "participants": 0,
        "complete": 0,
        "answers": {q.key: {c.key: 0 for c in q.choices} for q in quiz.questions},
        "profiles": {o.key: 0 for o in quiz.outcomes},
        "answer_profiles": {o.key: 0 for o in quiz.outcomes},
    }


def answered_counts(workshop, quiz):
    """How many people answered each question: the only live figure before the reveal."""
    counts = {q.key: 0 for q in quiz.questions}
    if workshop.purged_at is not None:
        kept = workshop.kept_results or {}
        for key, choices in kept.get("answers", {}).items():
            counts[key] = sum(choices.values())
        return counts
    for row in (
        Answer.objects.filter(participant__workshop=workshop)
        .values("question_key")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if row["question_key"] in counts:
            counts[row["question_key"]] = row["n"]
    return counts


def snapshot(workshop, quiz=None):
    """The full state every screen needs, as plain JSON data, with the version as its id."""
    quiz = quiz or quiz_of(workshop)
    answered = answered_counts(workshop, quiz)
    if workshop.purged_at is not None:
        participants = (workshop.kept_results or {}).get("participants", 0)
    else:
        participants = Participant.objects.filter(workshop=workshop).count()
    steps = workshop.ordered_steps()
    running = next((s for s in steps if s.position == workshop.current_step), None)
    on_quiz = running is None or running.kind == quiz.key
    current = quiz.question_at(workshop.current) if workshop.paced and on_quiz else None
    answered_steps = step_answered(workshop, steps)
    now = timezone.now()
    return {
        "version": workshop.version,
        "code": workshop.code,
        "stage": workshop.stage(),
        "mode": workshop.mode,
        "open": workshop.is_open,
        "revealed": workshop.revealed,
        "current": current.key if current else None,
        "current_number": workshop.current if current else None,
        "questions": len(quiz.questions),
        "participants": participants,
        "answers": sum(answered.values()),
        "answered": answered,
        "results": _public_results(tally(workshop, quiz)) if workshop.revealed else None,
        "current_step": running.key if running and workshop.paced else None,
        "steps": [
            step_summary(step, answered_steps.get(step.key, 0), now)
            for step in steps
            if not step.hidden
        ],
    }


def step_summary(step, answered, now=None):
    """A step as every screen sees it: never an individual answer, never a count by choice."""
    kind = kinds.get(step.kind)
    return {
        "key": step.key,
        "kind": step.kind,
        "title": step.title,
        "open": step.is_open,
        "revealed": step.revealed,
        "choices": kind.choices(step) if kind else [],
        "multiple": bool(step.config.get("multiple", False)),
        "answered": answered,
        "seconds_left": step.seconds_left(now),
        "deadline": step.deadline.isoformat() if step.deadline else None,
    }


def step_answered(workshop, steps):
    """How many people answered each step: per question summed for a questionnaire step (as
    `answered`), per person for the other kinds."""
    out = {}
    if workshop.purged_at is not None:
        return out
    own = {s.pk: s.key for s in steps}
    for row in (
        StepAnswer.objects.filter(step__workshop=workshop)
        .values("step_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if row["step_id"] in own:
            out[own[row["step_id"]]] = row["n"]
    questionnaire_steps = [s for s in steps if getattr(kinds.get(s.kind), "questionnaire", None)]
    if questionnaire_steps:
        per_question = dict(
            Answer.objects.filter(participant__workshop=workshop)
            .values("question_key")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("question_key", "n")
        )
        for step in questionnaire_steps:
            step_quiz = kinds.get(step.kind).quiz()
            keys = step_quiz.choice_keys if step_quiz else {}
            out[step.key] = sum(per_question.get(k, 0) for k in keys)
    return out


def step_results(workshop):
    """Every shown step's counts, for the facilitator: `{key: {"counts": {choice: n}, …}}`.

    A questionnaire step counts its answers per choice key of every question; the other kinds
    count through their own `count`."""
    if workshop.purged_at is not None:
        return (workshop.kept_results or {}).get("steps", {})
    out = {}
    steps = [s for s in workshop.ordered_steps() if not s.hidden]
    values = {}
    for step_id, value in StepAnswer.objects.filter(step__workshop=workshop).values_list(
        "step_id", "value"
    ):
        values.setdefault(step_id, []).append(value)
    per_choice = None
    for step in steps:
        kind = kinds.get(step.kind)
        if kind is None:
            continue
        if kind.questionnaire:
            if per_choice is None:
                per_choice = dict(
                    Answer.objects.filter(participant__workshop=workshop)
                    .values("choice_key")
                    .annotate(n=Count("pk"))
                    .order_by()
                    .values_list("choice_key", "n")
                )
            step_quiz = kind.quiz()
            keys = [c for q in (step_quiz.questions if step_quiz else ()) for c in q.choices]
            out[step.key] = {"counts": {c.key: per_choice.get(c.key, 0) for c in keys}}
        else:
            out[step.key] = kind.count(step, values.get(step.pk, []))
    return out


def _public_results(full):
    return {
        "participants": full["participants"],
        "answers": full["answers"],
        "profiles": full["profiles"],
    }


def current_snapshot(workshop_id):
    workshop = Workshop.objects.select_related("questionnaire").get(pk=workshop_id)
    return snapshot(workshop)


class NotRevealed(Exception):
    """The facilitator has not revealed the team's results yet."""


def revealed_team(request, code):
    """(workshop, quiz, participants per outcome) of the workshop `code`, for another app (a
    logbook positioned from a workshop): found through the one lookup that counts wrong codes
    (raises access.CodeRefused), and only once its facilitator has revealed the results to the
    room, or to the facilitator themselves (raises NotRevealed)."""
    workshop = access.lookup(request, code)
    if not (workshop.revealed or workshop.purged_at or access.is_facilitator(request, workshop)):
        raise NotRevealed(workshop.code)
    quiz = quiz_of(workshop)
    return workshop, quiz, tally(workshop, quiz)["profiles"]
