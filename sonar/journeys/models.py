"""Trajectories: for each stage of the maturity diagnostic, what leads to the next one.

A Sonar addition, not the journal's: one trajectory per stage (a quiz.Outcome of the
"maturity" questionnaire), with its milestones (balises), forks (bifurcations) and their
branches, pitfalls, levers, principles, and the map's resources that help at that stage. Only
the principles marked `quote` are the journal's own words.

Everything here is reference content, loaded from content/journeys/trajectories/ and kept
with revisions like the rest of the catalogue.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sonar.core.models import ReferenceContent, Translated

MATURITY = "maturity"  # the key of the questionnaire whose outcomes are the stages


class TrajectoryQuerySet(models.QuerySet):
    def ladder(self):
        """The trajectories in the order of the stages, lowest first."""
        return self.select_related("stage").order_by("rank", "key")


class Trajectory(ReferenceContent):
    """What leads from one stage to the next. `key` is the stage's key, `rank` its rank (1–5)."""

    stage = models.OneToOneField(
        "quiz.Outcome", on_delete=models.PROTECT, related_name="trajectory"
    )
    key = models.SlugField(unique=True)
    rank = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=32, default="sonar")
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    summary_fr = models.TextField()
    summary_en = models.TextField()
    resource_slugs = models.JSONField(default=list)
    # Real cases of the map that show this trajectory at work: [{"case": slug, "why_fr",
    # "why_en"}], in the file's order (content/journeys/trajectories/, `cases`).
    case_links = models.JSONField(default=list, blank=True)
    resources = models.ManyToManyField(
        "atlas.Resource", through="TrajectoryResource", related_name="trajectories", blank=True
    )

    title = Translated()
    summary = Translated()

    content_fields = (
        "stage", "key", "rank", "source", "title_fr", "title_en", "summary_fr", "summary_en",
        "resource_slugs", "case_links",
    )  # fmt: skip

    objects = TrajectoryQuerySet.as_manager()

    class Meta:
        ordering = ["rank", "key"]
        verbose_name_plural = "trajectories"

    def __str__(self):
        return self.key

    def get_absolute_url(self):
        return reverse("journeys:trajectory", args=[self.key])

    @property
    def milestones(self):
        """The balises, in order (from the prefetched `steps` when they were)."""
        return self._steps(Milestone)

    @property
    def levers(self):
        """The levers, in order (from the prefetched `steps` when they were)."""
        return self._steps(Lever)

    def _steps(self, proxy):
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("steps")
        if prefetched is not None:
            return [step for step in prefetched if step.kind == proxy.KIND]
        return list(proxy.objects.filter(trajectory=self).order_by("position"))

    def ordered_resources(self):
        """The map's resources in the order the trajectory lists them."""
        return [link.resource for link in self.resource_links.select_related("resource")]


class TrajectoryResource(models.Model):
    """A resource of the map listed by a trajectory, at its place in the list.

    Derived from `Trajectory.resource_slugs` (which the revisions keep) at each load.
    """

    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.CASCADE, related_name="resource_links"
    )
    resource = models.ForeignKey("atlas.Resource", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["trajectory", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "resource"], name="unique_trajectory_resource"
            )
        ]

    def __str__(self):
        return f"{self.trajectory.key}/{self.resource.slug}"


class TrajectoryPart(ReferenceContent):
    """Something listed by a trajectory, at a position, with a key unique in its trajectory."""

    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()

    class Meta:
        abstract = True
        ordering = ["trajectory", "position"]

    def __str__(self):
        return f"{self.trajectory.key}/{self.key}"


class Fork(TrajectoryPart):
    """A bifurcation: a choice a team must make; its branches say what each option implies."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="forks")
    question_fr = models.CharField(max_length=300)
    question_en = models.CharField(max_length=300)

    question = Translated()

    content_fields = ("trajectory", "key", "position", "question_fr", "question_en")

    class Meta(TrajectoryPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "key"], name="unique_fork_key")
        ]


class Branch(ReferenceContent):
    """One option at a fork, and what choosing it implies."""

    fork = models.ForeignKey(Fork, on_delete=models.CASCADE, related_name="branches")
    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    implies_fr = models.TextField()
    implies_en = models.TextField()

    title = Translated()
    implies = Translated()

    content_fields = (
        "fork", "key", "position", "title_fr", "title_en", "implies_fr", "implies_en",
    )  # fmt: skip

    class Meta:
        ordering = ["fork", "position"]
        verbose_name_plural = "branches"
        constraints = [models.UniqueConstraint(fields=["fork", "key"], name="unique_branch_key")]

    def __str__(self):
        return f"{self.fork}/{self.key}"


class Pitfall(TrajectoryPart):
    """A trap: how to spot it, and how to avoid it."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="pitfalls")
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    spot_fr = models.TextField()
    spot_en = models.TextField()
    avoid_fr = models.TextField()
    avoid_en = models.TextField()

    title = Translated()
    spot = Translated()
    avoid = Translated()

    content_fields = (
        "trajectory", "key", "position", "title_fr", "title_en", "spot_fr", "spot_en",
        "avoid_fr", "avoid_en",
    )  # fmt: skip

    class Meta(TrajectoryPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "key"], name="unique_pitfall_key")
        ]


class StepKind(models.TextChoices):
    MILESTONE = "milestone", _("balise")
    LEVER = "lever", _("levier")


class Step(TrajectoryPart):
    """A titled, described step of a trajectory: a balise (`Milestone`) or a lever (`Lever`).

    Both kinds share one table; each has a proxy model of its own, whose manager holds its
    kind only, so that content, revisions and open data still speak of milestones and levers.
    A key is unique among the steps of one kind in one trajectory.
    """

    kind = models.CharField(max_length=10, choices=StepKind.choices)
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="steps")
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    description_fr = models.TextField()
    description_en = models.TextField()
    # A balise's practices of the maturity diagnostic (question keys) that it raises.
    practices = models.JSONField(default=list, blank=True)

    title = Translated()
    description = Translated()

    # The kind is part of what a step is, like its trajectory's identity, not of its text.
    content_fields = (
        "trajectory", "key", "position", "title_fr", "title_en", "description_fr",
        "description_en", "practices",
    )  # fmt: skip

    class Meta(TrajectoryPart.Meta):
        ordering = ["trajectory", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "kind", "key"], name="unique_step_key")
        ]

    def save(self, *args, **kwargs):
        self.kind = getattr(self, "KIND", None) or self.kind
        super().save(*args, **kwargs)


class StepsOfKind(models.Manager):
    def __init__(self, kind):
        super().__init__()
        self.kind = kind

    def get_queryset(self):
        return super().get_queryset().filter(kind=self.kind)


class Milestone(Step):
    """A balise: a concrete step towards the next stage (at the last stage, to keep it alive).

    Project logbooks copy milestones and point back here (logbook app).
    """

    KIND = StepKind.MILESTONE
    objects = StepsOfKind(KIND)

    class Meta:
        proxy = True


class Lever(Step):
    """Something that helps a team move on at this stage."""

    KIND = StepKind.LEVER
    objects = StepsOfKind(KIND)

    class Meta:
        proxy = True


class Principle(ReferenceContent):
    """A principle, and why it helps here. `quote`: the French is the journal's, word for word."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="principles")
    position = models.PositiveSmallIntegerField()
    text_fr = models.TextField()
    text_en = models.TextField()
    quote = models.BooleanField(default=False)
    why_fr = models.TextField(blank=True)
    why_en = models.TextField(blank=True)

    text = Translated()
    why = Translated()

    content_fields = (
        "trajectory", "position", "text_fr", "text_en", "quote", "why_fr", "why_en",
    )  # fmt: skip

    class Meta:
        ordering = ["trajectory", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "position"], name="unique_principle_position"
            )
        ]

    def __str__(self):
        return f"{self.trajectory.key}/{self.position}"
