from django import template

from sonar.logbook.models import Project

register = template.Library()


@register.simple_tag
def projects_of(user):
    """The projects `user` is a member of, newest first (for the account page)."""
    return Project.objects.of(user).order_by("-pk")
