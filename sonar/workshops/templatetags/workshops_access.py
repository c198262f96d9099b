from django import template

from sonar.workshops.models import Workshop

register = template.Library()


@register.simple_tag
def workshops_of(user):
    """The workshops `user` runs, newest first, with their participant count (account page)."""
    return Workshop.objects.facilitated_by(user)
