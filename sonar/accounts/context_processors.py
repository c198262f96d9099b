from django.db import DatabaseError


def account(request):
    """The logged-in person for the layout's header, or None.

    Error pages must still render when the database is down: reading the session then fails,
    and the header simply shows the log-in link.
    """
    user = getattr(request, "user", None)
    try:
        signed_in = user if user is not None and user.is_authenticated else None
    except DatabaseError:
        signed_in = None
    return {"signed_in": signed_in}
