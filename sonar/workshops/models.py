"""Live workshops: a facilitator runs a questionnaire with a team, the team sees itself.

Nothing here identifies a person: a participant is a random token (kept hashed) and an optional
pseudonym that only they see; no IP address is stored. Raw answers are deleted after the
retention period (SONAR_WORKSHOP_RETENTION_DAYS); the aggregates are kept on the workshop.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sonar.core.models import ReferenceContent, Translated

# No look-alikes (0/O, 1/I/L): a code read off a wall is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_secret():
    """192 bits of randomness: a facilitator link or a participant token cannot be guessed."""
    return secrets.token_urlsafe(24)


def digest(token):
    """Only this digest is stored: a copy of the database does not give away the links."""
    return hashlib.sha256(str(token).encode()).hexdigest()


def normalise_code(raw):
    """What a person types, as the code is stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in str(raw).upper() if ch.isalnum())


class WorkshopQuerySet(models.QuerySet):
    def by_code(self, raw):
        code = normalise_code(raw)
        if len(code) != CODE_LENGTH:
            return None
        return self.filter(code=code).select_related("questionnaire").first()

    def past_retention(self, now=None):
        """Workshops whose raw answers are due for deletion, and not deleted yet."""
        now = now or timezone.now()
        cutoff = now - timezone.timedelta(days=settings.SONAR_WORKSHOP_RETENTION_DAYS)
        return self.filter(created_at__lt=cutoff, purged_at__isnull=True)

    def facilitated_by(self, user):
        """The workshops a signed-in person runs (owner or co-facilitator, not withdrawn), newest
        first, with their participant count (`participant_count`)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return (
            self.filter(pk__in=Facilitation.objects.of_user(user).values("workshop_id"))
            .annotate(participant_count=models.Count("participants"))
            .order_by("-created_at")
        )

    def create_with_code(self, **fields):
        """A new workshop under a fresh code; a collision (rare) draws another code."""
        for _attempt in range(10):
            try:
                with transaction.atomic():
                    return self.create(code=new_code(), **fields)
            except IntegrityError:
                continue
        raise RuntimeError("No free workshop code after 10 draws")


class Workshop(models.Model):
    class Mode(models.TextChoices):
        PACED = "paced", _("rythmé : j’ouvre les questions une à une")
        SELF_PACED = "self-paced", _("libre : chacun avance à son rythme")

    code = models.CharField(max_length=CODE_LENGTH, unique=True)
    questionnaire = models.ForeignKey(
        "quiz.Questionnaire", on_delete=models.PROTECT, related_name="workshops"
    )
    title = models.CharField(max_length=120)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.PACED)
    facilitator_digest = models.CharField(max_length=64, unique=True, editable=False)
    is_open = models.BooleanField(default=True)
    revealed = models.BooleanField(default=False)
    # Paced mode: the 1-based position of the step being run (`current_step`) and, within a
    # questionnaire step, of its open question (`current`); `current` 0 is "before it opens".
    # A choice step is open when `current` is 1.
    current_step = models.PositiveSmallIntegerField(default=1)
    current = models.PositiveSmallIntegerField(default=0)
    # Raised in the same transaction as every change: the live snapshot's id.
    version = models.PositiveBigIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Once the raw answers are deleted, the results live on here.
    purged_at = models.DateTimeField(null=True, blank=True)
    kept_results = models.JSONField(null=True, blank=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("workshops:participant", args=[self.code])

    @property
    def paced(self):
        return self.mode == self.Mode.PACED

    def is_facilitator(self, token):
        return bool(token) and secrets.compare_digest(digest(token), self.facilitator_digest)

    def people(self):
        """How many took part: counted while the raw answers exist, kept after the purge. Uses
        `participant_count` when the queryset annotated it (WorkshopQuerySet.facilitated_by)."""
        if self.purged_at and self.kept_results:
            return self.kept_results.get("participants", 0)
        count = getattr(self, "participant_count", None)
        return self.participants.count() if count is None else count

    def stage(self):
        """What changes a participant's screen (not the counts): pages reload when it changes."""
        return f"{int(self.is_open)}{int(self.revealed)}-{self.current_step}.{self.current}"

    def ordered_steps(self):
        """The steps in their order, hidden ones included (the caller decides what to show)."""
        return list(self.steps.order_by("position", "pk"))

    def step_at(self, position):
        return self.steps.filter(position=position).first()


class StepQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(hidden=False)


class Step(models.Model):
    """One activity of a workshop: a questionnaire (the style quiz, the maturity diagnostic) or
    a question written by the facilitator; issue 14 adds more kinds (sonar/workshops/kinds/).

    `config` holds what the kind needs (a prompt, its choices…), checked by the kind when the
    step is made. A step with answers is never changed in a way that would invalidate them: it
    can be closed (`is_open`) or hidden (`hidden`), and its answers stay stored.
    """

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=40)
    kind = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    config = models.JSONField(default=dict, blank=True)
    # From the déroulé: the planned minutes, the facilitator's script and discussion questions.
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    script = models.TextField(blank=True)
    discussion = models.JSONField(default=list, blank=True)
    is_open = models.BooleanField(default=True)
    hidden = models.BooleanField(default=False)
    revealed = models.BooleanField(default=False)
    # The timer: one deadline on the server, so every screen counts down to the same moment.
    deadline = models.DateTimeField(null=True, blank=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "key"], name="one_step_per_key"),
        ]

    def __str__(self):
        return f"{self.workshop_id}:{self.key} ({self.kind})"

    @property
    def handler(self):
        from sonar.workshops import kinds

        return kinds.get(self.kind)

    def seconds_left(self, now=None):
        """Whole seconds until the deadline (0 once passed), or None without a timer."""
        if self.deadline is None:
            return None
        left = (self.deadline - (now or timezone.now())).total_seconds()
        return max(0, int(left + 0.999))


class ParticipantQuerySet(models.QuerySet):
    def by_token(self, workshop, token):
        if not token:
            return None
        return self.filter(workshop=workshop, token_digest=digest(token)).first()


class Participant(models.Model):
    """One person in a workshop: a token (kept hashed), an optional pseudonym that only they
    see, and their answers. No IP address, no name, no account."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    pseudonym = models.CharField(max_length=40, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at", "pk"]

    def __str__(self):
        return f"{self.workshop.code} #{self.pk}"

    def answers_by_question(self):
        return dict(self.answers.values_list("question_key", "choice_key"))


class StepAnswer(models.Model):
    """A participant's answer to a step that is not a questionnaire (a facilitator's question,
    and the kinds of issue 14): the value as sent and checked, in the kind's JSON shape. Sending
    again replaces it (the last counts); nothing sent is ever rewritten by a change of the step.
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="step_answers"
    )
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "step"], name="one_answer_per_step")
        ]

    def __str__(self):
        return f"{self.step_id}={self.value}"


class Answer(models.Model):
    """A participant's answer to one question; answering again replaces it (the last counts)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")
    question_key = models.SlugField()
    choice_key = models.SlugField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "question_key"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question_key}={self.choice_key}"


# Who runs a workshop -----------------------------------------------------------------------


class FacilitationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def of_user(self, user):
        """The active facilitations of a signed-in person: tied to her account, or sent to her
        (confirmed) address. None for an anonymous visitor."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.active().filter(models.Q(user=user) | models.Q(email__iexact=user.email))

    def by_token(self, workshop, token):
        if not token:
            return None
        return self.active().filter(workshop=workshop, token_digest=digest(token)).first()


class Facilitation(models.Model):
    """A person's own access to a workshop, besides the secret link of its creation.

    The **owner** is the signed-in person who created the workshop: it is in her list and
    opens to her account, with no link. A **co-facilitator** is added by e-mail: she gets her
    own secret link (a token, kept hashed, distinct from everyone else's) and, once signed in
    with that address, the workshop is in her list too. Either may be withdrawn: from that
    moment, her link and her account no longer open any facilitator page or the API.
    Only the owner and the holder of the creation link add and withdraw co-facilitators.
    """

    class Role(models.TextChoices):
        OWNER = "owner", _("responsable")
        CO = "co", _("co-animation")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="facilitations")
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.CO)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workshop_facilitations",
    )
    email = models.EmailField(blank=True)
    # Empty for an owner, who opens the workshop through her account.
    token_digest = models.CharField(max_length=64, blank=True, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = FacilitationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["token_digest"],
                condition=~models.Q(token_digest=""),
                name="one_facilitation_per_token",
            )
        ]

    def __str__(self):
        return f"{self.workshop.code} {self.role} {self.email or self.user_id}"

    @property
    def is_owner(self):
        return self.role == self.Role.OWNER


class Attachment(models.Model):
    """Where a workshop belongs: an organisation, a project's logbook, or both. Set only by
    someone who is a member of what it is attached to (sonar.workshops.actions.attach)."""

    workshop = models.OneToOneField(Workshop, on_delete=models.CASCADE, related_name="attachment")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    project = models.ForeignKey(
        "logbook.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attached_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.workshop.code} → {self.organisation_id} / {self.project_id}"


class WorkshopTemplate(ReferenceContent):
    """A déroulé: a workshop's steps with their timings, the facilitator's script and the
    discussion questions of each step, in French and English (content/workshops/*.yaml).

    `steps` is the list of step specifications as the file gives them (texts as {fr, en});
    `specs()` gives them in one language, as `actions.build_steps` takes them.
    """

    content_fields = (
        "key",
        "title_fr",
        "title_en",
        "summary_fr",
        "summary_en",
        "minutes",
        "mode",
        "steps",
    )

    key = models.SlugField(unique=True)
    title_fr = models.CharField(max_length=120)
    title_en = models.CharField(max_length=120, blank=True)
    summary_fr = models.TextField(blank=True)
    summary_en = models.TextField(blank=True)
    minutes = models.PositiveSmallIntegerField()
    mode = models.CharField(max_length=16, default=Workshop.Mode.PACED)
    steps = models.JSONField(default=list)

    title = Translated()
    summary = Translated()

    class Meta:
        ordering = ["minutes", "key"]

    def __str__(self):
        return self.key

    def specs(self, language=None):
        """The steps in one language (the active one by default), ready for build_steps."""
        code = language or ("en" if (get_language() or "fr").startswith("en") else "fr")

        def pick(text):
            if isinstance(text, dict):
                return text.get(code) or text.get("fr") or ""
            return text

        out = []
        for step in self.steps:
            spec = {"kind": step["kind"], "minutes": step.get("minutes")}
            for name in ("title", "prompt", "script"):
                if step.get(name):
                    spec[name] = pick(step[name])
            if step.get("choices"):
                spec["choices"] = [
                    {"label": pick(c["label"]), "profile": c.get("profile")}
                    for c in step["choices"]
                ]
            spec["multiple"] = step.get("multiple", False)
            spec["discussion"] = [pick(q) for q in step.get("discussion", [])]
            out.append(spec)
        return out
