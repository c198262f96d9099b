"""The survival map: resources (methods, concepts, approaches…), glossary terms, cases, synonyms.

Visions and profiles are small fixed vocabularies; a resource keeps its keys in a text field
delimited by spaces (" art democratie "), so that filtering and facet counts are one indexed
LIKE on SQLite and PostgreSQL alike, without a join table for five words.
"""

import operator
from functools import reduce

from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sonar.atlas.vocabulary import (
    PERIOD_BANDS,
    CollectiviteType,
    Cost,
    Duration,
    GroupSize,
    OutsideHelp,
    PeriodBand,
    Population,
    Sensitivity,
    Theme,
)
from sonar.core.collation import sort_french
from sonar.core.models import ReferenceContent, Translated


class Kind(models.TextChoices):
    METHODE = "methode", _("méthode")
    CONCEPT = "concept", _("concept")
    OUTIL = "outil", _("outil")
    APPROCHE = "approche", _("approche")
    COURANT = "courant", _("courant")


class Vision(models.TextChoices):
    """The journal's schools of thought: "l'entreprise, la technologie, la démocratie, la
    science, l'art et la création"."""

    ENTREPRISE = "entreprise", _("entreprise")
    TECHNOLOGIE = "technologie", _("technologie")
    DEMOCRATIE = "democratie", _("démocratie")
    SCIENCE = "science", _("science")
    ART = "art", _("art et création")


class Profile(models.TextChoices):
    """The style quiz's four profiles, by their content keys."""

    CULTURE = "culture", _("culture interne")
    TECHNIQUE = "technique", _("innovations techniques")
    USAGES = "usages", _("usages")
    HYBRIDE = "hybride", _("hybride")


class Focus(models.TextChoices):
    """The map's horizontal axis, in three bands."""

    SOLUTION = "solution", _("centré sur la solution")
    MIXTE = "mixte", _("entre les deux")
    CULTURE = "culture", _("centré sur les conditions du changement")


class Maturity(models.TextChoices):
    """The map's vertical axis, in three bands."""

    ANCREE = "ancree", _("ancrée dans les pratiques")
    INSTALLEE = "installee", _("en cours d’installation")
    EMERGENTE = "emergente", _("émergente")


BAND_LIMIT = 33  # |value| above which a position leaves the middle band of an axis


def band(value, low, middle, high):
    if value < -BAND_LIMIT:
        return low
    if value > BAND_LIMIT:
        return high
    return middle


def keys_field_value(keys):
    return f" {' '.join(keys)} " if keys else ""


FACETS = {
    "kind": Kind,
    "vision": Vision,
    "profile": Profile,
    "focus": Focus,
    "maturity": Maturity,
}


def _band_q(axis, position):
    if position == "low":
        return Q(**{f"{axis}__lt": -BAND_LIMIT})
    if position == "high":
        return Q(**{f"{axis}__gt": BAND_LIMIT})
    return Q(**{f"{axis}__gte": -BAND_LIMIT, f"{axis}__lte": BAND_LIMIT})


def facet_q(facet, value):
    """The condition for one value of one facet (the facet values are the TextChoices above)."""
    if facet == "kind":
        return Q(kind=value)
    if facet in ("vision", "profile"):
        return Q(**{f"{facet}s__contains": f" {value} "})
    low, middle, _high = FACETS[facet].values
    position = "low" if value == low else "middle" if value == middle else "high"
    return _band_q(facet, position)


class FacetedQuerySet(models.QuerySet):
    """Filtering and facet counts over fixed vocabularies.

    A subclass names its facets (`facets`: name → choices) and the condition for one value of
    one facet (`facet_q`).
    """

    facets = {}

    @staticmethod
    def facet_q(facet, value):
        raise NotImplementedError

    def filtered(self, **selected):
        """Facets combine: values within one facet widen (OR), facets narrow each other (AND).

        `selected` maps a facet name to the values chosen, e.g. vision=["art", "science"].
        """
        qs = self
        for facet, values in selected.items():
            if values:
                qs = qs.filter(reduce(operator.or_, (self.facet_q(facet, v) for v in values)))
        return qs

    def facet_counts(self):
        """How many objects of this queryset fall under each value of each facet, in one query."""
        aggregates = {
            f"{facet}__{value}": Count("pk", filter=self.facet_q(facet, value))
            for facet, choices in self.facets.items()
            for value in choices.values
        }
        counts = {facet: {} for facet in self.facets}
        for name, value in self.order_by().aggregate(**aggregates).items():
            facet, key = name.split("__", 1)
            counts[facet][key] = value or 0
        return counts


class Indexed(ReferenceContent):
    """Reference content that search finds: each write rewrites its search entries.

    The search package depends on these models, never the reverse: it hands its index to
    `Indexed.search_index` when the app is ready (AtlasConfig.ready), and each write calls it.
    """

    search_index = None  # sonar.atlas.search.index, set in AtlasConfig.ready

    class Meta:
        abstract = True

    def refresh_dependants(self, deleted=False):
        super().refresh_dependants(deleted)
        Indexed.search_index.refresh(self, deleted=deleted)


class ResourceQuerySet(FacetedQuerySet):
    facets = FACETS
    facet_q = staticmethod(facet_q)


class Resource(Indexed):
    """A method, concept, tool, approach or school of thought on the map."""

    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    summary_fr = models.CharField(max_length=400)
    summary_en = models.CharField(max_length=400)
    description_fr = models.TextField()
    description_en = models.TextField()
    when_to_use_fr = models.TextField()
    when_to_use_en = models.TextField()
    when_not_to_use_fr = models.TextField()
    when_not_to_use_en = models.TextField()
    how_to_start_fr = models.JSONField(default=list)
    how_to_start_en = models.JSONField(default=list)
    controversies_fr = models.TextField()
    controversies_en = models.TextField()
    visions = models.CharField(max_length=120, db_index=True)
    profiles = models.CharField(max_length=80, db_index=True)
    focus = models.SmallIntegerField(help_text="-100 the solution … 100 the conditions of change")
    maturity = models.SmallIntegerField(help_text="-100 rooted in practice … 100 emerging")
    combines_with = models.JSONField(default=list)
    in_tension_with = models.JSONField(default=list)
    named_in_journal = models.BooleanField(default=False)
    sources = models.JSONField(default=list)
    # Who makes the critiques of `controversies` (names, each the author of a source).
    critics = models.JSONField(default=list)
    # The method finder's facts (vocabulary.py); empty while a file does not give them yet.
    tasks = models.CharField(max_length=200, blank=True, db_index=True)
    cost = models.PositiveSmallIntegerField(null=True, blank=True, choices=Cost.choices)
    duration = models.CharField(max_length=12, blank=True, choices=Duration.choices)
    group_size = models.CharField(max_length=8, blank=True, choices=GroupSize.choices)
    political_sensitivity = models.CharField(max_length=8, blank=True, choices=Sensitivity.choices)
    outside_help = models.CharField(max_length=16, blank=True, choices=OutsideHelp.choices)

    title = Translated()
    summary = Translated()
    description = Translated()
    when_to_use = Translated()
    when_not_to_use = Translated()
    how_to_start = Translated()
    controversies = Translated()

    content_fields = (
        "slug", "kind", "title_fr", "title_en", "summary_fr", "summary_en", "description_fr",
        "description_en", "when_to_use_fr", "when_to_use_en", "when_not_to_use_fr",
        "when_not_to_use_en", "how_to_start_fr", "how_to_start_en", "controversies_fr",
        "controversies_en", "visions", "profiles", "focus", "maturity", "combines_with",
        "in_tension_with", "named_in_journal", "sources", "critics", "tasks", "cost", "duration",
        "group_size", "political_sensitivity", "outside_help",
    )  # fmt: skip

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title_fr"]

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self):
        return reverse("atlas:resource", args=[self.slug])

    @property
    def vision_keys(self):
        return self.visions.split()

    @property
    def profile_keys(self):
        return self.profiles.split()

    @property
    def task_keys(self):
        return self.tasks.split()

    @property
    def focus_band(self):
        return band(self.focus, Focus.SOLUTION, Focus.MIXTE, Focus.CULTURE)

    @property
    def maturity_band(self):
        return band(self.maturity, Maturity.ANCREE, Maturity.INSTALLEE, Maturity.EMERGENTE)

    def related(self):
        """Typed links in both directions: a link written on either side shows on both.

        Returns {"combines": [Resource…], "tension": [Resource…]}, each sorted by title.
        """
        combines = set(self.combines_with)
        tension = set(self.in_tension_with)
        for other in Resource.objects.exclude(pk=self.pk).only(
            "slug", "combines_with", "in_tension_with"
        ):
            if self.slug in other.combines_with:
                combines.add(other.slug)
            if self.slug in other.in_tension_with:
                tension.add(other.slug)
        found = {r.slug: r for r in Resource.objects.filter(slug__in=combines | tension)}
        return {
            "combines": sort_french(
                (found[s] for s in combines if s in found), key=lambda r: r.title
            ),
            "tension": sort_french(
                (found[s] for s in tension if s in found), key=lambda r: r.title
            ),
        }


class Term(Indexed):
    """A glossary entry. `origin` says whether the journal wrote it or we did."""

    class Origin(models.TextChoices):
        JOURNAL = "sonar-1.0", _("Sonar 1.0 (2018)")
        SONAR = "sonar", _("ajout Sonar")

    slug = models.SlugField(max_length=80, unique=True)
    term_fr = models.CharField(max_length=200)
    term_en = models.CharField(max_length=200)
    definition_fr = models.TextField()
    definition_en = models.TextField()
    origin = models.CharField(max_length=12, choices=Origin.choices)
    # Sonar's note beside the definition, kept apart so that the journal's words stay its own.
    note_fr = models.TextField(blank=True)
    note_en = models.TextField(blank=True)
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.SET_NULL, related_name="terms"
    )
    sources = models.JSONField(default=list)

    term = Translated()
    definition = Translated()
    note = Translated()

    content_fields = (
        "slug", "term_fr", "term_en", "definition_fr", "definition_en", "origin", "note_fr",
        "note_en", "resource_id", "sources",
    )  # fmt: skip

    class Meta:
        ordering = ["term_fr"]

    def __str__(self):
        return self.term_fr

    def get_absolute_url(self):
        return reverse("atlas:term", args=[self.slug])


CASE_FACETS = {"type": CollectiviteType, "theme": Theme, "period": PeriodBand}


def case_facet_q(facet, value):
    """The condition for one value of one facet of the cases list.

    A case falls in a period band when the years it ran meet the band: a case without an end is
    still running, one with only an end is taken for that year, one with neither in no band.
    """
    if facet == "type":
        return Q(collectivite_type=value)
    if facet == "theme":
        return Q(themes__contains=f" {value} ")
    first, last = PERIOD_BANDS[value]
    started = Q(period_start__isnull=False)
    ended_only = Q(period_start__isnull=True, period_end__isnull=False)
    if last is not None:
        started &= Q(period_start__lte=last)
        ended_only &= Q(period_end__lte=last)
    if first is not None:
        started &= Q(period_end__isnull=True) | Q(period_end__gte=first)
        ended_only &= Q(period_end__gte=first)
    return started | ended_only


class CaseQuerySet(FacetedQuerySet):
    facets = CASE_FACETS
    facet_q = staticmethod(case_facet_q)


class Case(Indexed):
    """A real public-innovation case, with the resources it used and its sources."""

    slug = models.SlugField(max_length=80, unique=True)
    title_fr = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    place = models.CharField(max_length=120)
    country = models.CharField(max_length=80, default="France")
    # The years it ran; either may be unknown (left empty, never shown as "non connue"), and a
    # case still running has no end.
    period_start = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    period_end = models.PositiveSmallIntegerField(null=True, blank=True)
    collectivite_type = models.CharField(
        max_length=12, blank=True, db_index=True, choices=CollectiviteType.choices
    )
    population = models.CharField(max_length=16, blank=True, choices=Population.choices)
    # Theme keys (vocabulary.Theme) delimited by spaces, like a resource's visions.
    themes = models.CharField(max_length=120, blank=True, db_index=True)
    summary_fr = models.TextField()
    summary_en = models.TextField()
    description_fr = models.TextField()
    description_en = models.TextField()
    budget_fr = models.TextField(blank=True)
    budget_en = models.TextField(blank=True)
    results_fr = models.TextField(blank=True)
    results_en = models.TextField(blank=True)
    did_not_work_fr = models.TextField(blank=True)
    did_not_work_en = models.TextField(blank=True)
    resource_slugs = models.JSONField(default=list)
    resources = models.ManyToManyField(Resource, related_name="cases", blank=True)
    named_in_journal = models.BooleanField(default=False)
    sources = models.JSONField(default=list)

    title = Translated()
    summary = Translated()
    description = Translated()
    budget = Translated()
    results = Translated()
    did_not_work = Translated()

    objects = CaseQuerySet.as_manager()

    content_fields = (
        "slug", "title_fr", "title_en", "place", "country", "period_start", "period_end",
        "collectivite_type", "population", "themes", "summary_fr", "summary_en", "description_fr",
        "description_en", "budget_fr", "budget_en", "results_fr", "results_en", "did_not_work_fr",
        "did_not_work_en", "resource_slugs", "named_in_journal", "sources",
    )  # fmt: skip

    class Meta:
        ordering = ["title_fr"]

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self):
        return reverse("atlas:case", args=[self.slug])

    @property
    def theme_keys(self):
        return self.themes.split()

    @property
    def period_label(self):
        """The years as a reader says them ("2014–2016", "depuis 2016"); "" when neither is
        known: a year not known is left out, never shown as "non connue"."""
        start, end = self.period_start, self.period_end
        if start and end:
            return str(start) if start == end else f"{start}–{end}"
        if start:
            return gettext("depuis %(year)s") % {"year": start}
        if end:
            return gettext("jusqu’en %(year)s") % {"year": end}
        return ""

    @property
    def collectivite_label(self):
        """ "métropole, de 200 000 à 1 million d’habitants"; "" when the type is not given."""
        if not self.collectivite_type:
            return ""
        parts = [self.get_collectivite_type_display()]
        if self.population:
            parts.append(self.get_population_display())
        return ", ".join(str(part) for part in parts)


class SynonymGroup(ReferenceContent):
    """Words that search treats as one: "open data", "données ouvertes", "opendata"."""

    key = models.CharField(max_length=120, unique=True)
    words = models.JSONField()

    content_fields = ("key", "words")

    def __str__(self):
        return self.key


# The search index's own tables (sonar/atlas/search/ reads and writes them). They hold copies of
# content, rebuilt at will (search/index.py). Each backend adds what Django cannot describe, in
# migration 0002: on SQLite, FTS5 tables of the stemmed texts (one per language) and a trigram
# table of the vocabulary; on PostgreSQL, a weighted tsvector column with a GIN index and a
# trigram index on the vocabulary. They are defined here, not in the search package, so that
# search depends on these models and never the other way round.


class SearchEntry(models.Model):
    """One searchable object (resource, term or case) in one language: title, summary, body."""

    class Kind(models.TextChoices):
        RESOURCE = "resource"
        TERM = "term"
        CASE = "case"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    language = models.CharField(max_length=2)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "language"], name="one_search_entry_per_language"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.object_id} ({self.language})"


class SearchWord(models.Model):
    """A folded word seen in the indexed texts, with its stem and the stem of its dictionary
    form: the vocabulary typos are corrected against, and that joins a word's inflections
    ("usager", "usagers", "usagères") at query time. Words only accumulate; a word no longer
    used costs nothing but a row."""

    language = models.CharField(max_length=2)
    word = models.CharField(max_length=60)
    stem = models.CharField(max_length=60)
    # Nullable so that SQLite adds the column in place: a rebuilt table would lose the triggers
    # that keep the vocabulary's trigram index (migration 0002) in step.
    lemma_stem = models.CharField(max_length=60, null=True, blank=True)  # noqa: DJ001

    class Meta:
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="one_search_word")]
        indexes = [
            models.Index(fields=["language", "stem"], name="atlas_searchword_stem"),
            models.Index(fields=["language", "lemma_stem"], name="atlas_searchword_lemma"),
        ]

    def __str__(self):
        return self.word
