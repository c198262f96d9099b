"""The workshops created in this browser, for someone without an account: their codes in the
visitor's session (never their links: those are in the facilitator cookies), newest first."""

from django.db.models import Count

from sonar.workshops.models import Workshop

SESSION_KEY = "workshops:created"
# Enough for a facilitator's season of workshops; the oldest drops out first.
LIMIT = 20


def remember_created(request, workshop):
    codes = [code for code in request.session.get(SESSION_KEY, []) if code != workshop.code]
    request.session[SESSION_KEY] = [workshop.code, *codes][:LIMIT]


def created_here(request):
    """The workshops created in this browser that still exist, newest first (read only)."""
    session = getattr(request, "session", None)
    codes = session.get(SESSION_KEY, []) if session is not None else []
    if not codes:
        return []
    found = {
        workshop.code: workshop
        for workshop in Workshop.objects.filter(code__in=codes).annotate(
            participant_count=Count("participants")
        )
    }
    return [found[code] for code in codes if code in found]
