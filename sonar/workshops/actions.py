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

from sonar.quiz.models import Result as QuizResult
from sonar.workshops import live, mails, results
from sonar.workshops.models import (
    Answer,
    Attachment,
    Facilitation,
    Participant,
    Workshop,
    digest,
    new_secret,
)


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
    state as of that moment: (version, is_open, mode, current).

    One UPDATE … RETURNING: the row lock it takes is held only until the commit that follows,
    so hundreds of people answering at once queue for a moment, not for a whole request.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Workshop)} SET version = version + 1 WHERE id = %s "  # noqa: S608 - our table
            'RETURNING version, is_open, mode, "current"',
            [workshop_id],
        )
        return cursor.fetchone()


def create_workshop(quiz, title, mode):
    """A new open workshop and its facilitator token; only the token's digest is kept, so the
    token is returned here once and never again."""
    token = new_secret()
    workshop = Workshop.objects.create_with_code(
        questionnaire_id=quiz.id,
        title=title.strip(),
        mode=mode,
        facilitator_digest=digest(token),
    )
    purge_if_due()
    return workshop, token


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
            version, is_open, _mode, _current = _bump(workshop.pk)
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


def answer(workshop, participant, question_key, choice_key, quiz=None):
    """Store a participant's answer (replacing an earlier one) and return the new version.

    Refused with 409 when the workshop is closed or, in paced mode, when the question is not
    the one the facilitator has opened. The caller acknowledges only after this returns, that
    is after the commit.
    """
    quiz = quiz or results.quiz_of(workshop)
    number, question = check_answer(quiz, question_key, choice_key)
    if connection.vendor == "postgresql":
        version = _answer_in_one_statement(workshop, participant, question.key, choice_key, number)
    else:
        with transaction.atomic():
            _upsert_answer(participant, question.key, choice_key)
            # The state as of the bump decides: a refusal rolls the answer back.
            version, is_open, mode, current = _bump(workshop.pk)
            _refuse_unless_open(is_open, mode, current, number)
    _publish_after_commit(workshop.pk, workshop.code)
    return version


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


def _answer_in_one_statement(workshop, participant, question_key, choice_key, number):
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
                  AND (mode <> %(paced)s OR "current" = %(number)s)
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
                "participant": participant.pk,
                "question": question_key,
                "choice": choice_key,
                "at": timezone.now(),
            },
        )
        row = cursor.fetchone()
    if row is None:
        fresh = Workshop.objects.filter(pk=workshop.pk).values_list("is_open", "mode", "current")[0]
        _refuse_unless_open(*fresh, number)
        raise WorkshopError(409, _("Cette réponse n’a pas pu être enregistrée ; réessayez."))
    return row[0]


def _refuse_unless_open(is_open, mode, current, number):
    """An answer is taken while the workshop is open and, in paced mode, only for the question
    the facilitator has opened; in self-paced mode every question is open."""
    if not is_open:
        raise WorkshopError(409, _("Cet atelier est clos : les réponses ne changent plus."))
    if mode == Workshop.Mode.PACED and number != current:
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


def purge(now=None):
    """Delete the raw answers of workshops past the retention period, keeping their results.

    Returns how many workshops were purged. Participants (and their pseudonyms) go with the
    answers; what remains is the workshop's title, code and aggregated results.
    """
    purged = 0
    for workshop in Workshop.objects.past_retention(now).select_related("questionnaire"):
        with transaction.atomic():
            kept = results.tally(workshop)
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
