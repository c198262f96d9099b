from django import template
from django.db.models import Count

from sonar.workshops.models import Workshop

register = template.Library()


@register.simple_tag
def workshops_of(user):
    """The workshops `user` runs, newest first, with their participant count (account page)."""
    return Workshop.objects.facilitated_by(user)


@register.simple_tag
def workshops_attached_to(thing):
    """The workshops attached to an organisation or to a project (its logbook), newest first,
    with their participant count."""
    field = "project" if thing._meta.model_name == "project" else "organisation"
    return (
        Workshop.objects.filter(**{f"attachment__{field}": thing})
        .annotate(participant_count=Count("participants"))
        .order_by("-created_at")
    )
