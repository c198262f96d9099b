"""Every save or delete of a resource, term or case updates its search entries at once."""

from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from sonar.atlas.models import SearchEntry
from sonar.atlas.search import backends, index


@receiver(post_save, sender="atlas.Resource")
@receiver(post_save, sender="atlas.Term")
@receiver(post_save, sender="atlas.Case")
def reindex_saved(sender, instance, **kwargs):
    index.index_objects(index.kind_of(sender), [instance])


@receiver(post_delete, sender="atlas.Resource")
@receiver(post_delete, sender="atlas.Term")
@receiver(post_delete, sender="atlas.Case")
def unindex_deleted(sender, instance, **kwargs):
    index.remove_objects(index.kind_of(sender), [instance.pk])


@receiver(post_migrate)
def forget_index_rows_of_a_flushed_database(sender, using, **kwargs):
    """`flush` empties the tables Django knows, not the SQLite full-text tables: with no entry
    left, their rows index nothing and would be counted as matches."""
    if sender.label != "atlas":
        return
    db = connections[using]
    if "atlas_searchentry" not in db.introspection.table_names():
        return
    if not SearchEntry.objects.using(using).exists():
        with db.cursor() as cursor:
            backends.for_connection(db).clear(cursor)
