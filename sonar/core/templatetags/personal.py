"""`{% personal "template.html" %}`: the part of a layout that is the visitor's own (their
account in the menu, their messages).

It renders the template in place, like `{% include %}`. In a page rendered to be kept
(sonar/core/pagecache.py), the part is marked, so that a visitor with a session can be served
the kept page with only these parts rendered for them.
"""

from django import template
from django.utils.safestring import mark_safe

from sonar.core import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, template_name):
    if template_name not in pagecache.PERSONAL_TEMPLATES:
        raise template.TemplateSyntaxError(f"{template_name} is not in PERSONAL_TEMPLATES")
    html = context.template.engine.get_template(template_name).render(context)
    if getattr(context.get("request"), "page_keep", False):
        return mark_safe(pagecache.personal_zone(template_name, html))  # noqa: S308 (rendered)
    return html
