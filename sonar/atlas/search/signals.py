"""A flushed database leaves no search row behind. (Writes of resources, terms and cases update
their entries through their writers: `refresh_dependants` in sonar/atlas/models.py.)"""

from django.db import connections
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from sonar.atlas.models import SearchEntry
from sonar.atlas.search import backends


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
