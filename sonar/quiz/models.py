"""Diagnostics: questionnaires, their questions and choices, and the outcomes they lead to.

One engine serves every questionnaire: the journal's style quiz (outcomes are the four
profiles) and any later one, such as a maturity ladder (outcomes are stages). Workshops run any
questionnaire through the same models.
"""

import secrets

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from sonar.core.models import ReferenceContent, Translated


class QuizContent(ReferenceContent):
    """A piece of a questionnaire: each write makes the cached read model (quiz.data) stale.

    The read model depends on these models, never the reverse: it hands itself to
    `QuizContent.read_model` when the app is ready (QuizConfig.ready)."""

    read_model = None  # sonar.quiz.data, set in QuizConfig.ready

    class Meta:
        abstract = True

    def refresh_dependants(self, deleted=False):
        super().refresh_dependants(deleted)
        QuizContent.read_model.forget()


class Questionnaire(QuizContent):
    class Scoring(models.TextChoices):
        MAJORITY = "majority", _("majorité de réponses")
        LADDER = "ladder", _("échelle d’étapes (médiane basse)")

    key = models.SlugField(unique=True)
    scoring = models.CharField(max_length=16, choices=Scoring.choices, default=Scoring.MAJORITY)
    source = models.CharField(max_length=32, help_text="sonar-1.0 for the journal's own texts")
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    intro_fr = models.TextField(blank=True)
    intro_en = models.TextField(blank=True)

    title = Translated()
    intro = Translated()

    content_fields = ("key", "scoring", "source", "title_fr", "title_en", "intro_fr", "intro_en")

    def __str__(self):
        return self.key


class Outcome(QuizContent):
    """What a questionnaire leads to: one of the style quiz's four profiles, for instance."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="outcomes"
    )
    key = models.SlugField()
    position = models.PositiveSmallIntegerField()
    symbol = models.CharField(max_length=4, blank=True)
    name_fr = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    summary_fr = models.CharField(max_length=300, blank=True)
    summary_en = models.CharField(max_length=300, blank=True)
    description_fr = models.TextField()
    description_en = models.TextField()
    example_fr = models.TextField(blank=True)
    example_en = models.TextField(blank=True)
    attention_fr = models.TextField(blank=True)
    attention_en = models.TextField(blank=True)

    name = Translated()
    summary = Translated()
    description = Translated()
    example = Translated()
    attention = Translated()

    content_fields = (
        "questionnaire", "key", "position", "symbol", "name_fr", "name_en", "summary_fr",
        "summary_en", "description_fr", "description_en", "example_fr", "example_en",
        "attention_fr", "attention_en",
    )  # fmt: skip

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="unique_outcome_key")
        ]

    def __str__(self):
        return f"{self.questionnaire.key}/{self.key}"


class Question(QuizContent):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField()
    position = models.PositiveSmallIntegerField()
    text_fr = models.TextField()
    text_en = models.TextField()
    # On a ladder, the practice the question reads, in a few words ("Équipe", "Budget").
    practice_fr = models.CharField(max_length=80, blank=True)
    practice_en = models.CharField(max_length=80, blank=True)

    text = Translated()
    practice = Translated()

    content_fields = (
        "questionnaire", "key", "position", "text_fr", "text_en", "practice_fr", "practice_en",
    )  # fmt: skip

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="unique_question_key")
        ]

    def __str__(self):
        return f"{self.questionnaire.key}/{self.key}"


class Choice(QuizContent):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    key = models.SlugField()
    position = models.PositiveSmallIntegerField()
    text_fr = models.TextField()
    text_en = models.TextField()
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="choices")
    rationale_fr = models.TextField(blank=True)
    rationale_en = models.TextField(blank=True)

    text = Translated()
    rationale = Translated()

    content_fields = (
        "question", "key", "position", "text_fr", "text_en", "outcome", "rationale_fr",
        "rationale_en",
    )  # fmt: skip

    class Meta:
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="unique_choice_key")
        ]

    def __str__(self):
        return f"{self.question}/{self.key}"


def new_token():
    """128 bits of randomness, URL-safe: a result's address cannot be guessed."""
    return secrets.token_urlsafe(16)


class ResultQuerySet(models.QuerySet):
    def record(self, questionnaire_id, answers, score, submission):
        """Keep a completed questionnaire, once per submission.

        `submission` identifies one attempt with one set of answers: a double click or a
        resubmitted form finds the result already made instead of making a second one.
        """
        values = {
            "questionnaire_id": questionnaire_id,
            "answers": answers,
            "counts": score.counts,
            "outcomes": list(score.winners),
        }
        try:
            with transaction.atomic():
                return self.get_or_create(submission=submission, defaults=values)[0]
        except IntegrityError:
            # Another request of the same submission won the race: use its result.
            return self.get(submission=submission)


class Result(models.Model):
    """A visitor's completed questionnaire. No personal data: only the answers and the score.

    `token` is the private permalink (answers shown); `share_token` shows the result without
    the answers, for sharing. `submission` is a digest of the attempt and its answers, so that
    submitting the same answers twice gives back the same result.
    """

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE)
    token = models.CharField(max_length=32, unique=True, default=new_token)
    share_token = models.CharField(max_length=32, unique=True, default=new_token)
    # NULL, not "": results made without a submission (older rows, other callers) must not
    # collide on the unique constraint.
    submission = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    answers = models.JSONField()
    counts = models.JSONField()
    outcomes = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResultQuerySet.as_manager()

    def __str__(self):
        return f"{self.questionnaire.key} {self.created_at:%Y-%m-%d}"

    @property
    def mixed(self):
        return len(self.outcomes) > 1
