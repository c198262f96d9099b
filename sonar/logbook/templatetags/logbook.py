from django import template

from sonar.logbook.models import Project

register = template.Library()


@register.simple_tag
def projects_of(user):
    """The projects `user` is a member of, newest first (for the account page)."""
    return Project.objects.of(user).order_by("-pk")


# Backslash first, so that an escape typed by someone is itself escaped.
_MARKDOWN_ACTIVE = str.maketrans({"\\": "\\\\", "<": "\\<", "[": "\\[", "]": "\\]"})


@register.filter
def markdown_text(value):
    """Text someone typed, made inert for the Markdown export: a Markdown renderer shows it as
    typed and never turns it into HTML (`<`) or a link (`[…](…)`, `<javascript:…>`); read as
    plain text it only gains a few backslashes."""
    return str(value).translate(_MARKDOWN_ACTIVE)
