"""Sections of the "Mon compte" page that other apps fill (a logbook lists its projects, say).

An app registers a template in its AppConfig.ready():

    from sonar.accounts import sections
    sections.register("logbook/_account_section.html")

The template is included in the account page with `user` and `request` in its context; it
brings its own heading (an h2) and reads what it needs through the user's relations or a
template tag of its app.
"""

_templates = []


def register(template_name):
    if template_name not in _templates:
        _templates.append(template_name)


def for_user(request):
    return list(_templates)
