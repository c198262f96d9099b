from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Translated:
    """Reads `<name>_fr` or `<name>_en` by the active language, French when English is empty.

    Content is written in French first; a missing English text falls back rather than showing a
    blank (the consistency tests make sure reference content has both).
    """

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        code = "en" if (get_language() or "fr").startswith("en") else "fr"
        return getattr(obj, f"{self.name}_{code}") or getattr(obj, f"{self.name}_fr")


class RevisionConflict(Exception):
    """Someone saved a newer revision since the one this change was based on."""

    def __init__(self, obj, expected, latest):
        self.obj, self.expected, self.latest = obj, expected, latest
        super().__init__(f"{obj!r}: based on revision {expected}, latest is {latest}")


class RevisionedModel(models.Model):
    """Content whose every change is kept as an append-only revision.

    `content_fields` names the fields a revision snapshots. `revision` is the number of the
    latest revision; a save based on an older number is refused (see core.actions).
    """

    content_fields: tuple[str, ...] = ()

    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def snapshot(self):
        data = {}
        for name in self.content_fields:
            value = getattr(self, name)
            if isinstance(value, models.Model):
                value = value.pk
            data[name] = value
        return data

    def revisions(self):
        return Revision.objects.for_object(self)

    def refresh_dependants(self, deleted=False):
        """Bring up to date what is built from this object outside its own row (read models,
        search entries, kept pages). Called by the writers in core.actions after each write,
        in the writing transaction: an explicit call, not a signal."""


class ReferenceContent(RevisionedModel):
    """The reference content every public page is built from (quiz, atlas, journeys): a
    write forgets the kept pages (sonar/core/pagecache.py). Apps add their own read models by
    extending `refresh_dependants`."""

    class Meta:
        abstract = True

    def refresh_dependants(self, deleted=False):
        from sonar.core import pagecache

        super().refresh_dependants(deleted)
        pagecache.bump()


class RevisionQuerySet(models.QuerySet):
    """Revisions are append-only: no bulk change, no bulk deletion.

    The one change allowed is forgetting an author (a deleted account sets it to NULL).
    """

    def update(self, **kwargs):
        if set(kwargs) - {"author", "author_id"}:
            raise ValueError("Revisions are append-only: they cannot be updated.")
        return super().update(**kwargs)

    def delete(self):
        raise ValueError("Revisions are append-only: they cannot be deleted.")

    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
        ).order_by("number")


class Revision(models.Model):
    """One saved state of a content object, never changed nor deleted once written."""

    class Origin(models.TextChoices):
        LOAD = "load", _("chargement du contenu de référence")
        EDIT = "edit", _("modification")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    number = models.PositiveIntegerField()
    origin = models.CharField(max_length=8, choices=Origin.choices)
    snapshot = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="one_revision_per_number"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "-number"])]

    def __str__(self):
        return f"{self.content_type.model} #{self.object_id} r{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Revisions are append-only: a saved revision cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Revisions are append-only: a revision cannot be deleted.")
