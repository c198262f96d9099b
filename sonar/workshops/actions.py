"""Every write to a workshop, in one place: commit the change, then publish the new snapshot.

Each function bumps the workshop's version in the same transaction as the change, and hands
the snapshot to the live fan-out only once the transaction is committed: a screen never shows
an answer the database does not hold, and an answer is acknowledged only once it is stored.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sonar.workshops import live, results
from sonar.workshops.models import Answer, Participant, Workshop, digest, new_secret


class WorkshopError(Exception):
    """A refused request, with the HTTP status and the French sentence that says why."""

    def __init__(self, status, message, fields=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


def _publish_after_commit(workshop_id, code):
    def send():
        live.publish(code, results.current_snapshot(workshop_id))

    transaction.on_commit(send)


def _locked(workshop):
    """The workshop row, locked until the end of the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions already take one writer at a time), with its version raised."""
    locked = Workshop.objects.select_for_update().get(pk=workshop.pk)
    locked.version += 1
    return locked


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


@transaction.atomic
def join(workshop, pseudonym=""):
    """A new participant; returns it with its token (kept only as a digest)."""
    locked = _locked(workshop)
    if not locked.is_open:
        raise WorkshopError(409, _("Cet atelier est clos : il ne reçoit plus de participants."))
    token = new_secret()
    participant = Participant.objects.create(
        workshop=locked, token_digest=digest(token), pseudonym=pseudonym.strip()[:40]
    )
    locked.save(update_fields=["version"])
    _publish_after_commit(locked.pk, locked.code)
    return participant, token


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
    with transaction.atomic():
        locked = _locked(workshop)
        if not locked.is_open:
            raise WorkshopError(409, _("Cet atelier est clos : les réponses ne changent plus."))
        if not locked.accepts_answer_to(number):
            raise WorkshopError(
                409,
                _("Cette question n’est pas ouverte : attendez que l’animateur l’ouvre."),
            )
        Answer.objects.update_or_create(
            participant=participant,
            question_key=question.key,
            defaults={"choice_key": choice_key, "answered_at": timezone.now()},
        )
        locked.save(update_fields=["version"])
        _publish_after_commit(locked.pk, locked.code)
    return locked.version


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
