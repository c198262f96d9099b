"""The search index's own tables. They hold copies of content, rebuilt at will (see index.py).

Each backend adds what Django cannot describe, in migration 0002: on SQLite, FTS5 tables of the
stemmed texts (one per language) and a trigram table of the vocabulary; on PostgreSQL, a weighted
tsvector column with a GIN index and a trigram index on the vocabulary.
"""

from django.db import models


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


# The index follows every save and delete of the content it copies.
from sonar.atlas.search import signals  # noqa: E402, F401
