from django import template

from sonar.logbook.book import MATURITY, STYLE
from sonar.logbook.models import Project

register = template.Library()


@register.simple_tag
def projects_of(user):
    """The projects `user` is a member of, newest first (for the account page)."""
    return Project.objects.of(user).order_by("-pk")


@register.inclusion_tag("logbook/_save_result.html", takes_context=True)
def save_result_form(context, result):
    """ "Enregistrer dans un carnet" on a style or maturity result, for a signed-in person
    with at least one project (nothing otherwise)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    key = getattr(getattr(result, "questionnaire", None), "key", None)
    if user is None or key not in (MATURITY, STYLE) or not result.outcomes:
        return {"projects": []}
    projects = list(Project.objects.of(user).order_by("-created_at", "-pk"))
    return {"projects": projects, "result": result, "stage": key == MATURITY}


# Backslash first, so that an escape typed by someone is itself escaped.
_MARKDOWN_ACTIVE = str.maketrans({"\\": "\\\\", "<": "\\<", "[": "\\[", "]": "\\]"})


@register.filter
def markdown_text(value):
    """Text someone typed, made inert for the Markdown export: a Markdown renderer shows it as
    typed and never turns it into HTML (`<`) or a link (`[…](…)`, `<javascript:…>`); read as
    plain text it only gains a few backslashes."""
    return str(value).translate(_MARKDOWN_ACTIVE)
