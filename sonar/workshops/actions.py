"""Every write to a workshop, in one place: commit the change, then publish the new snapshot.

Each function bumps the workshop's version in the same transaction as the change, and hands
the snapshot to the live fan-out only once the transaction is committed: a screen never shows
an answer the database does not hold, and an answer is acknowledged only once it is stored.
"""

import json

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sonar.quiz import data as quiz_data
from sonar.quiz.models import Result as QuizResult
from sonar.workshops import kinds, live, mails, results
from sonar.workshops.models import (
    Answer,
    Attachment,
    Facilitation,
    Participant,
    Step,
    StepAnswer,
    Workshop,
    digest,
    new_secret,
)

# A workshop holds at most this many steps: a day's seminar, not an unbounded list.
MAX_STEPS = 30


class WorkshopError(Exception):
    """A refused request, with the HTTP status and the French sentence that says why."""

    def __init__(self, status, message, fields=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


def _publish_after_commit(workshop_id, code):
    transaction.on_commit(lambda: live.publisher.committed(workshop_id, code, _send_snapshot))


def _send_snapshot(workshop_id, code):
    live.publish(code, results.current_snapshot(workshop_id))


def _locked(workshop):
    """The workshop row, locked until the end of the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions already take one writer at a time), with its version raised."""
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    locked.version += 1
    return locked


def _bump(workshop_id):
    """Raise the workshop's version as the last statement of the transaction, and return its
    state as of that moment: (version, is_open, mode, current, current_step).

    One UPDATE … RETURNING: the row lock it takes is held only until the commit that follows,
    so hundreds of people answering at once queue for a moment, not for a whole request.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Workshop)} SET version = version + 1 WHERE id = %s "  # noqa: S608 - our table
            'RETURNING version, is_open, mode, "current", current_step',
            [workshop_id],
        )
        return cursor.fetchone()


def build_steps(specs):
    """Check every step's specification (a list of dicts with a `kind`) and return what each
    step is made of, or refuse the whole list with a field per faulty step (`steps.2.choices`).
    """
    if not isinstance(specs, list) or not 1 <= len(specs) <= MAX_STEPS:
        raise WorkshopError(
            400,
            _("L’atelier ne peut pas être créé ainsi."),
            {"steps": _("De 1 à %d étapes sont attendues.") % MAX_STEPS},
        )
    built, fields, seen = [], {}, set()
    for index, spec in enumerate(specs):
        try:
            built.append(_build_step(spec, seen))
        except kinds.Refused as refused:
            for name, message in refused.fields.items():
                fields[f"steps.{index}.{name}"] = message
            if not refused.fields:
                fields[f"steps.{index}"] = refused.message
    if fields:
        raise WorkshopError(400, _("L’atelier ne peut pas être créé ainsi."), fields)
    return built


def _build_step(spec, taken):
    """One step's fields from its specification; `taken` holds the keys already used."""
    if not isinstance(spec, dict):
        raise kinds.Refused(_("Une étape est un objet avec sa « kind »."))
    kind = kinds.get(spec.get("kind")) if isinstance(spec.get("kind"), str) else None
    if kind is None:
        raise kinds.Refused(
            _("Type d’étape inconnu."),
            {"kind": _("Choisissez parmi %s.") % ", ".join(f"« {k} »" for k in kinds.registered())},
        )
    title, config = kind.build(spec)
    if kind.questionnaire:
        key = kind.key
        if key in taken:
            raise kinds.Refused(
                _("Un questionnaire ne figure qu’une fois dans un atelier."),
                {"kind": _("Ce questionnaire est déjà une étape de l’atelier.")},
            )
    else:
        number = 1
        while f"question-{number}" in taken:
            number += 1
        key = f"question-{number}"
    taken.add(key)
    minutes = spec.get("minutes")
    return {
        "key": key,
        "kind": kind.key,
        "title": title,
        "config": config,
        "minutes": minutes if isinstance(minutes, int) and 0 < minutes < 1000 else None,
        "script": spec.get("script") if isinstance(spec.get("script"), str) else "",
        "discussion": [q for q in spec.get("discussion") or [] if isinstance(q, str)],
    }


def create_workshop(quiz, title, mode, steps=None):
    """A new open workshop and its facilitator token; only the token's digest is kept, so the
    token is returned here once and never again.

    `steps` are built step specifications (build_steps); without them, the workshop is the one
    step of `quiz`. The workshop's questionnaire is that of its first questionnaire step (the
    style quiz when it has none), which the results of the team are read against.
    """
    if steps is None:
        steps = build_steps([{"kind": quiz.key}]) if kinds.get(quiz.key) else []
        questionnaire_id = quiz.id
    else:
        first = next((s for s in steps if kinds.get(s["kind"]).questionnaire), None)
        chosen = quiz_data.get(first["config"]["questionnaire"]) if first else quiz
        questionnaire_id = (chosen or quiz).id
    token = new_secret()
    with transaction.atomic():
        workshop = Workshop.objects.create_with_code(
            questionnaire_id=questionnaire_id,
            title=title.strip(),
            mode=mode,
            facilitator_digest=digest(token),
        )
        Step.objects.bulk_create(
            [Step(workshop=workshop, position=n, **s) for n, s in enumerate(steps, start=1)]
        )
    purge_if_due()
    return workshop, token


def duplicate(workshop, title=None):
    """A new workshop with the same steps as `workshop` (not its participants or answers),
    hidden steps left out, and its own facilitator token."""
    specs = [
        {
            "key": s.key,
            "kind": s.kind,
            "title": s.title,
            "config": s.config,
            "minutes": s.minutes,
            "script": s.script,
            "discussion": s.discussion,
        }
        for s in workshop.steps.shown()
    ]
    quiz = results.quiz_of(workshop)
    new_title = title or _("%s (copie)") % workshop.title
    return create_workshop(quiz, new_title[:120], workshop.mode, specs)


def join(workshop, pseudonym=""):
    """A new participant; returns it with its token (kept only as a digest)."""
    token = new_secret()
    participant = Participant(
        workshop=workshop,
        token_digest=digest(token),
        pseudonym=pseudonym.strip()[:40],
        joined_at=timezone.now(),
    )
    if connection.vendor == "postgresql":
        version = _join_in_one_statement(participant)
    else:
        with transaction.atomic():
            participant.save()
            version, is_open, *_rest = _bump(workshop.pk)
            if not is_open:
                version = None
                transaction.set_rollback(True)
    if version is None:
        raise WorkshopError(409, _("Cet atelier est clos : il ne reçoit plus de participants."))
    _publish_after_commit(workshop.pk, workshop.code)
    return participant, token


def _join_in_one_statement(participant):
    """PostgreSQL: add the participant and raise the version in one statement, so the row
    lock is released by the server at once, whatever the load on this process's threads."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH state AS (
                UPDATE {_table(Workshop)} SET version = version + 1
                WHERE id = %(workshop)s AND is_open RETURNING version
            ), added AS (
                INSERT INTO {_table(Participant)} (workshop_id, token_digest, pseudonym, joined_at)
                SELECT %(workshop)s, %(digest)s, %(pseudonym)s, %(at)s FROM state RETURNING id
            )
            SELECT state.version, added.id FROM state, added
            """,  # noqa: S608 - table names are ours, values are parameters
            {
                "workshop": participant.workshop_id,
                "digest": participant.token_digest,
                "pseudonym": participant.pseudonym,
                "at": participant.joined_at,
            },
        )
        row = cursor.fetchone()
    if row is None:
        return None
    participant.pk = row[1]
    participant._state.adding = False
    return row[0]


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def check_answer(quiz, question_key, choice_key):
    """The question's 1-based number and the question, or an error that says which keys do."""
    number, question = next(
        ((n, q) for n, q in enumerate(quiz.questions, start=1) if q.key == question_key),
        (None, None),
    )
    if question is None:
        raise WorkshopError(
            404,
            _("Question inconnue : les questions sont %s.")
            % ", ".join(f"« {q.key} »" for q in quiz.questions),
        )
    if question.choice(choice_key) is None:
        keys = ", ".join(f"« {c.key} »" for c in question.choices)
        if choice_key in quiz.choice_outcomes:
            owner = next(q.key for q in quiz.questions if q.choice(choice_key))
            message = _(
                "« %(choice)s » est une réponse à la question %(other)s, pas à celle-ci ; "
                "choisissez parmi %(keys)s."
            ) % {"choice": choice_key, "other": owner, "keys": keys}
        else:
            message = _("Réponse inconnue : choisissez parmi %s.") % keys
        raise WorkshopError(400, _("Cette réponse ne convient pas."), {"choice": message})
    return number, question


def questionnaire_step(workshop, question_key, quiz=None):
    """(step, quiz) of the questionnaire step that asks `question_key`; the workshop's own
    questionnaire (and no step) when none does, so the refusal names its questions."""
    for step in workshop.steps.shown():
        kind = kinds.get(step.kind)
        if kind and kind.questionnaire:
            step_quiz = quiz if quiz and quiz.key == kind.questionnaire else kind.quiz()
            if step_quiz and question_key in step_quiz.choice_keys:
                return step, step_quiz
    return None, quiz or results.quiz_of(workshop)


def answer(workshop, participant, question_key, choice_key, quiz=None):
    """Store a participant's answer (replacing an earlier one) and return the new version.

    Refused with 409 when the workshop or the question's step is closed or, in paced mode,
    when the question is not the one the facilitator has opened. The caller acknowledges only
    after this returns, that is after the commit.
    """
    step, quiz = questionnaire_step(workshop, question_key, quiz)
    number, question = check_answer(quiz, question_key, choice_key)
    if step is not None and not step.is_open:
        raise WorkshopError(409, _("Cette étape est close : les réponses ne changent plus."))
    position = step.position if step is not None else 1
    if connection.vendor == "postgresql":
        version = _answer_in_one_statement(
            workshop, participant, question.key, choice_key, number, position
        )
    else:
        with transaction.atomic():
            _upsert_answer(participant, question.key, choice_key)
            # The state as of the bump decides: a refusal rolls the answer back.
            version, is_open, mode, current, current_step = _bump(workshop.pk)
            _refuse_unless_open(is_open, mode, (current_step, current), (position, number))
    _publish_after_commit(workshop.pk, workshop.code)
    return version


def step_of(workshop, step_key):
    """The shown step `step_key` of the workshop, or a 404 that lists the steps."""
    step = workshop.steps.shown().filter(key=str(step_key)[:40]).first()
    if step is None:
        keys = ", ".join(f"« {k} »" for k in workshop.steps.shown().values_list("key", flat=True))
        raise WorkshopError(404, _("Étape inconnue : les étapes sont %s.") % keys)
    return step


def answer_step(workshop, participant, step_key, body):
    """Store a participant's answer to a step that is not a questionnaire (the last counts) and
    return (step, stored value, new version). A questionnaire step is answered per question
    (`answer`). Refused with 404 for an unknown step, 400 for a body that does not fit the step,
    409 when the workshop or the step is closed or, paced, the step is not the open one."""
    step = step_of(workshop, step_key)
    kind = kinds.get(step.kind)
    if kind is None or kind.questionnaire:
        raise WorkshopError(
            400,
            _("Cette étape est un questionnaire : répondez question par question."),
            {"step": _("Utilisez PUT …/answers/<question> pour ses questions.")},
        )
    try:
        value = kind.read_answer(step, body if isinstance(body, dict) else {})
    except kinds.Refused as refused:
        raise WorkshopError(400, refused.message, refused.fields) from None
    if not step.is_open:
        raise WorkshopError(409, _("Cette étape est close : les réponses ne changent plus."))
    with transaction.atomic():
        StepAnswer.objects.bulk_create(
            [
                StepAnswer(
                    participant=participant, step=step, value=value, answered_at=timezone.now()
                )
            ],
            update_conflicts=True,
            unique_fields=["participant", "step"],
            update_fields=["value", "answered_at"],
        )
        version, is_open, mode, current, current_step = _bump(workshop.pk)
        _refuse_unless_open(is_open, mode, (current_step, min(current, 1)), (step.position, 1))
    _publish_after_commit(workshop.pk, workshop.code)
    return step, value, version


def _upsert_answer(participant, question_key, choice_key):
    Answer.objects.bulk_create(
        [
            Answer(
                participant=participant,
                question_key=question_key,
                choice_key=choice_key,
                answered_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["participant", "question_key"],
        update_fields=["choice_key", "answered_at"],
    )


def _answer_in_one_statement(workshop, participant, question_key, choice_key, number, position):
    """PostgreSQL: store the answer and raise the version in one statement, only if the
    question is open at that moment. A single statement commits on its own (outside an atomic
    block), so the workshop's row lock is never held while this thread waits for its turn: with
    several hundred people answering, waiting on Python between UPDATE and COMMIT is what made
    the answers queue."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH state AS (
                UPDATE {_table(Workshop)} SET version = version + 1
                WHERE id = %(workshop)s AND is_open
                  AND (mode <> %(paced)s
                       OR ("current" = %(number)s AND current_step = %(position)s))
                RETURNING version
            ), stored AS (
                INSERT INTO {_table(Answer)} (participant_id, question_key, choice_key, answered_at)
                SELECT %(participant)s, %(question)s, %(choice)s, %(at)s FROM state
                ON CONFLICT (participant_id, question_key) DO UPDATE
                SET choice_key = EXCLUDED.choice_key, answered_at = EXCLUDED.answered_at
                RETURNING 1
            )
            SELECT version FROM state, stored
            """,  # noqa: S608 - table names are ours, values are parameters
            {
                "workshop": workshop.pk,
                "paced": Workshop.Mode.PACED,
                "number": number,
                "position": position,
                "participant": participant.pk,
                "question": question_key,
                "choice": choice_key,
                "at": timezone.now(),
            },
        )
        row = cursor.fetchone()
    if row is None:
        is_open, mode, current, current_step = Workshop.objects.filter(pk=workshop.pk).values_list(
            "is_open", "mode", "current", "current_step"
        )[0]
        _refuse_unless_open(is_open, mode, (current_step, current), (position, number))
        raise WorkshopError(409, _("Cette réponse n’a pas pu être enregistrée ; réessayez."))
    return row[0]


def _refuse_unless_open(is_open, mode, current, asked):
    """An answer is taken while the workshop is open and, in paced mode, only for the question
    the facilitator has opened, (step position, question number); in self-paced mode every
    question of every open step is open."""
    if not is_open:
        raise WorkshopError(409, _("Cet atelier est clos : les réponses ne changent plus."))
    if mode == Workshop.Mode.PACED and tuple(asked) != tuple(current):
        raise WorkshopError(
            409,
            _("Cette question n’est pas ouverte : attendez que l’animateur l’ouvre."),
        )


@transaction.atomic
def change(workshop, **state):
    """The facilitator's controls: open a question (`current`), reveal or hide the answers
    (`revealed`), close or reopen the workshop (`is_open`)."""
    locked = _locked(workshop)
    for name, value in state.items():
        setattr(locked, name, value)
    locked.save(update_fields=["version", *state])
    _publish_after_commit(locked.pk, locked.code)
    return locked


CONTROL_ACTIONS = ("open", "next", "previous", "reveal", "hide", "close", "reopen", "timer")
# A timer runs from 10 seconds to 2 hours.
TIMER_MIN_SECONDS = 10
TIMER_MAX_SECONDS = 2 * 60 * 60


def _screens(step):
    kind = kinds.get(step.kind)
    return max(kind.screens(step) if kind else 1, 1)


@transaction.atomic
def control(workshop, action, step_key=None, seconds=None):
    """The facilitator's controls, for the page and the API alike.

    - open: run `step` (paced: it becomes the current step, its first question open);
    - next / previous: the next or previous question of the current step, then the next or
      previous shown step;
    - reveal / hide: show or hide the answers of `step`, or of every step and the team;
    - close / reopen: stop or resume answers to `step`, or to the whole workshop;
    - timer: a countdown of `seconds` on `step` (the current one by default), 0 to stop it.

    Refused with 400 for an unknown action, 404 for an unknown step; returns the workshop.
    """
    if action not in CONTROL_ACTIONS:
        raise WorkshopError(
            400,
            _("Action inconnue."),
            {"action": _("Choisissez parmi %s.") % ", ".join(f"« {a} »" for a in CONTROL_ACTIONS)},
        )
    locked = _locked(workshop)
    steps = list(locked.steps.shown())
    step = step_of(locked, step_key) if step_key else None
    changed = ["version"]
    if action in ("open", "next", "previous"):
        if not steps:
            raise WorkshopError(409, _("L’atelier n’a aucune étape à ouvrir."))
        if action == "open":
            target = step or next((s for s in steps if s.position >= locked.current_step), steps[0])
            locked.current_step, locked.current = target.position, 1
            if not target.is_open:
                target.is_open = True
                target.save(update_fields=["is_open"])
        else:
            _move(locked, steps, 1 if action == "next" else -1)
        changed += ["current_step", "current"]
    elif action in ("reveal", "hide"):
        revealed = action == "reveal"
        if step:
            step.revealed = revealed
            step.save(update_fields=["revealed"])
        else:
            locked.revealed = revealed
            changed.append("revealed")
            locked.steps.update(revealed=revealed)
    elif action in ("close", "reopen"):
        if step:
            step.is_open = action == "reopen"
            step.save(update_fields=["is_open"])
        else:
            locked.is_open = action == "reopen"
            changed.append("is_open")
    else:
        _set_timer(locked, step, seconds)
    locked.save(update_fields=changed)
    _publish_after_commit(locked.pk, locked.code)
    return locked


def _move(locked, steps, direction):
    """One question further (or back) in the current step, else to the next (previous) step."""
    positions = [s.position for s in steps]
    here = next((s for s in steps if s.position == locked.current_step), None)
    if here is None:
        # The current step was hidden or moved: go on from the nearest shown one.
        later = [s for s in steps if s.position > locked.current_step]
        locked.current_step, locked.current = (later[0] if later else steps[-1]).position, 1
        return
    screens = _screens(here)
    if direction > 0:
        if locked.current < screens:
            locked.current += 1
        elif here.position != positions[-1]:
            following = steps[positions.index(here.position) + 1]
            locked.current_step, locked.current = following.position, 1
    elif locked.current > 1:
        locked.current -= 1
    elif here.position != positions[0]:
        before = steps[positions.index(here.position) - 1]
        locked.current_step, locked.current = before.position, _screens(before)


def _set_timer(locked, step, seconds):
    step = step or locked.steps.shown().filter(position=locked.current_step).first()
    if step is None:
        raise WorkshopError(409, _("Aucune étape en cours : précisez l’étape du minuteur."))
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        seconds = -1
    if seconds != 0 and not TIMER_MIN_SECONDS <= seconds <= TIMER_MAX_SECONDS:
        raise WorkshopError(
            400,
            _("Durée du minuteur invalide."),
            {
                "seconds": _("De %(min)d à %(max)d secondes, ou 0 pour l’arrêter.")
                % {"min": TIMER_MIN_SECONDS, "max": TIMER_MAX_SECONDS}
            },
        )
    step.deadline = timezone.now() + timezone.timedelta(seconds=seconds) if seconds else None
    step.save(update_fields=["deadline"])


# Editing the steps: before and during the session. Nothing here ever deletes an answer.


def _has_answers(step):
    if StepAnswer.objects.filter(step=step).exists():
        return True
    kind = kinds.get(step.kind)
    if kind and kind.questionnaire:
        quiz = kind.quiz()
        keys = list(quiz.choice_keys) if quiz else []
        return Answer.objects.filter(
            participant__workshop_id=step.workshop_id, question_key__in=keys
        ).exists()
    return False


def _answered_refusal():
    return WorkshopError(
        409,
        _(
            "Cette étape a déjà des réponses : elle ne peut plus être modifiée ni retirée. "
            "Vous pouvez la clore ou la masquer ; ses réponses sont gardées."
        ),
    )


def _edited(locked):
    locked.save(update_fields=["version"])
    _publish_after_commit(locked.pk, locked.code)


@transaction.atomic
def add_step(workshop, spec, position=None):
    """Add a step (at `position`, else at the end); returns it."""
    locked = _locked(workshop)
    existing = list(locked.steps.order_by("position", "pk"))
    if len(existing) >= MAX_STEPS:
        raise WorkshopError(409, _("Un atelier compte au plus %d étapes.") % MAX_STEPS)
    try:
        built = _build_step(spec, {s.key for s in existing})
    except kinds.Refused as refused:
        raise WorkshopError(400, refused.message, refused.fields) from None
    step = Step(workshop=locked, position=len(existing) + 1, **built)
    step.save()
    if position is not None:
        _reorder(locked, [s for s in existing], step, position)
    _edited(locked)
    return step


def _reorder(locked, others, step, position):
    """Put `step` at the 1-based `position` among `others`, renumbering every step; the step
    being run stays the one being run."""
    running = next((s for s in [*others, step] if s.position == locked.current_step), None)
    ordered = [s for s in others if s.pk != step.pk]
    ordered.insert(max(0, min(int(position) - 1, len(ordered))), step)
    for number, each in enumerate(ordered, start=1):
        each.position = number
    Step.objects.bulk_update(ordered, ["position"])
    if running is not None:
        locked.current_step = running.position
        locked.save(update_fields=["current_step"])


@transaction.atomic
def move_step(workshop, step_key, position):
    """Move a step to a 1-based position; answers are untouched (order does not change them)."""
    locked = _locked(workshop)
    step = _any_step(locked, step_key)
    _reorder(locked, list(locked.steps.order_by("position", "pk")), step, position)
    _edited(locked)
    return step


def step_of_any(workshop, step_key):
    """The step `step_key`, hidden or not, or a 404."""
    return _any_step(workshop, step_key)


def _any_step(locked, step_key):
    step = locked.steps.filter(key=str(step_key)[:40]).first()
    if step is None:
        raise WorkshopError(404, _("Étape inconnue."))
    return step


@transaction.atomic
def remove_step(workshop, step_key):
    """Remove a step that has no answer yet; one with answers is refused (409): close or hide
    it instead, so nothing a participant sent is lost."""
    locked = _locked(workshop)
    step = _any_step(locked, step_key)
    if _has_answers(step):
        raise _answered_refusal()
    others = [s for s in locked.steps.order_by("position", "pk") if s.pk != step.pk]
    was_running = step.position == locked.current_step
    step.delete()
    for number, each in enumerate(others, start=1):
        each.position = number
    Step.objects.bulk_update(others, ["position"])
    if was_running or locked.current_step > len(others):
        locked.current_step, locked.current = max(1, min(locked.current_step, len(others))), 0
        locked.save(update_fields=["current_step", "current"])
    _edited(locked)


@transaction.atomic
def update_step(workshop, step_key, spec):
    """Rewrite a step (its question, its choices…) while it has no answer; refused with 409
    once it has some."""
    locked = _locked(workshop)
    step = _any_step(locked, step_key)
    if _has_answers(step):
        raise _answered_refusal()
    try:
        built = _build_step(
            {**spec, "kind": step.kind},
            set(locked.steps.exclude(pk=step.pk).values_list("key", flat=True)),
        )
    except kinds.Refused as refused:
        raise WorkshopError(400, refused.message, refused.fields) from None
    step.title, step.config = built["title"], built["config"]
    step.save(update_fields=["title", "config"])
    _edited(locked)
    return step


@transaction.atomic
def set_hidden(workshop, step_key, hidden):
    """Hide a step from every screen (its answers stay stored), or show it again."""
    locked = _locked(workshop)
    step = _any_step(locked, step_key)
    step.hidden = bool(hidden)
    step.save(update_fields=["hidden"])
    _edited(locked)
    return step


def purge(now=None):
    """Delete the raw answers of workshops past the retention period, keeping their results.

    Returns how many workshops were purged. Participants (and their pseudonyms) go with the
    answers; what remains is the workshop's title, code and aggregated results.
    """
    purged = 0
    for workshop in Workshop.objects.past_retention(now).select_related("questionnaire"):
        with transaction.atomic():
            kept = {**results.tally(workshop), "steps": results.step_results(workshop)}
            workshop.participants.all().delete()
            workshop.kept_results = kept
            workshop.purged_at = timezone.now()
            workshop.version += 1
            workshop.save(update_fields=["kept_results", "purged_at", "version"])
        purged += 1
    return purged


def purge_if_due():
    """The daily purge, run by whichever request first creates a workshop each day (a cron job
    running `sonar purge` does the same on deployments that prefer one)."""
    if cache.add("workshops:purge-ran", True, 60 * 60 * 24):
        purge()


# Who runs a workshop, and where it belongs ---------------------------------------------------


def make_owner(workshop, user):
    """The signed-in person who created the workshop owns it: it is in her list, and opens to
    her account with no link."""
    return Facilitation.objects.create(
        workshop=workshop, role=Facilitation.Role.OWNER, user=user, email=user.email, added_by=user
    )


def checked_email(raw):
    """The address, lower case, or a 400 whose field says what is wrong with it."""
    email = str(raw or "").strip().lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise WorkshopError(
            400,
            _("Cette adresse électronique ne convient pas."),
            {"email": _("Saisissez une adresse électronique valide, par exemple nom@ville.fr.")},
        ) from None
    return email


def add_cofacilitator(workshop, raw_email, refusal=None, added_by=None, sender_label=""):
    """Give `raw_email` her own access to the workshop and e-mail her link once committed.

    Refused with 400 for an address that is not one, 409 when that address already runs the
    workshop, 429 when `refusal(email)` (the e-mail limits, sonar.workshops.mails) says no.
    Returns the Facilitation; its token travels only in the e-mail.
    """
    email = checked_email(raw_email)
    if workshop.facilitations.active().filter(email__iexact=email).exists():
        raise WorkshopError(
            409,
            _("Cette adresse co-anime déjà l’atelier."),
            {"email": _("Cette adresse co-anime déjà l’atelier.")},
        )
    if refusal is not None and (refused := refusal(email)):
        raise WorkshopError(429, refused, {"email": refused})
    token = new_secret()
    with transaction.atomic():
        facilitation = Facilitation.objects.create(
            workshop=workshop,
            role=Facilitation.Role.CO,
            email=email,
            token_digest=digest(token),
            added_by=added_by if getattr(added_by, "is_authenticated", False) else None,
        )
        mails.send_cofacilitation(workshop, token, email, sender_label)
    return facilitation


def withdraw_facilitation(workshop, facilitation_id):
    """Withdraw a co-facilitator's access: from now on her link and her account open nothing.
    404 for an id that is not a co-facilitator of this workshop; withdrawing twice is a no-op."""
    facilitation = workshop.facilitations.filter(
        pk=facilitation_id, role=Facilitation.Role.CO
    ).first()
    if facilitation is None:
        raise WorkshopError(404, _("Cette personne ne co-anime pas cet atelier."))
    if facilitation.withdrawn_at is None:
        facilitation.withdrawn_at = timezone.now()
        facilitation.save(update_fields=["withdrawn_at"])
    return facilitation


def attach(workshop, user, organisation=None, project=None):
    """Attach the workshop to an organisation and a project's logbook (None detaches), each
    only if `user` is one of its members: else 403, and nothing changes."""
    if organisation is not None and organisation.membership_of(user) is None:
        raise WorkshopError(403, _("Vous ne faites pas partie de cette organisation."))
    if project is not None and project.member(user) is None:
        raise WorkshopError(403, _("Vous ne faites pas partie de l’équipe de ce projet."))
    attachment, _created = Attachment.objects.update_or_create(
        workshop=workshop,
        defaults={
            "organisation": organisation,
            "project": project,
            "attached_by": user,
            "attached_at": timezone.now(),
        },
    )
    return attachment


def keep_result(workshop, person, quiz):
    """Keep a participant's own result as a solo quiz result, made of their answers only (never
    anyone else's, nor the team's), and return it: its private address is theirs to keep.

    Asking twice with the same answers gives back the same result (the submission digest)."""
    answers = quiz.known_answers(person.answers_by_question())
    stamp = json.dumps(sorted(answers.items()))
    submission = digest(f"workshop:{workshop.code}:{person.pk}:{stamp}")
    return QuizResult.objects.record(quiz.id, answers, quiz.score(answers), submission=submission)
