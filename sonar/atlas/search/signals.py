"""Every save or delete of a resource, term or case updates its search entries at once."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sonar.atlas.search import index


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
