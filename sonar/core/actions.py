"""Writes to content that have side effects: every caller goes through these."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from sonar.core.models import Revision, RevisionConflict


def save_revision(obj, origin, author=None, based_on=None):
    """Save `obj` and append a revision holding its snapshot.

    What is built from it outside its row (search entries, read models, kept pages) is
    brought up to date in the same transaction (`refresh_dependants`).
    `based_on` is the revision number the author started from; when someone has saved a newer
    revision since, nothing is written and RevisionConflict is raised, so no edit is overwritten.
    """
    with transaction.atomic():
        latest = 0
        if obj.pk is not None:
            latest = (
                type(obj)
                .objects.select_for_update()
                .filter(pk=obj.pk)
                .values_list("revision", flat=True)
                .first()
            ) or 0
        if based_on is not None and based_on != latest:
            raise RevisionConflict(obj, based_on, latest)
        obj.revision = latest + 1
        obj.save()
        Revision.objects.create(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=obj.pk,
            number=obj.revision,
            origin=origin,
            snapshot=obj.snapshot(),
            author=author,
        )
        obj.refresh_dependants()
    return obj


def delete_content(obj):
    """Delete a piece of content and what is built from it (search entries, read models, kept
    pages); its revisions stay."""
    with transaction.atomic():
        obj.refresh_dependants(deleted=True)
        obj.delete()
