"""Who may see and change a logbook.

Only the project's members see it: anyone else gets the same 404 as for a project that does
not exist, so an id reveals nothing. Only admins manage the team and the share link (a member
who tries gets a 403 page). Things inside a project (milestones, experiments, members,
invitations) are always looked up through their project, so a forged id from another project
is a 404 too. The share link reads a project without an account and without e-mail addresses.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from sonar.core import errors, pagecache
from sonar.logbook.models import Project


class NotAdmin(Exception):
    """A member asked for something only the project's admins may do."""


def project_for(request, pk, admin=False):
    """(project, membership) for a member of project `pk`; Http404 for anyone else.

    With `admin`, a member who is not an admin raises NotAdmin.
    """
    project = Project.objects.filter(pk=pk).select_related("organisation").first()
    member = project.member(request.user) if project is not None else None
    if member is None:
        raise Http404
    if admin and not member.is_admin:
        raise NotAdmin
    return project, member


def not_admin_page(request):
    return errors.page(
        request, 403, _("Seuls les administrateurs du projet peuvent faire cette action.")
    )


def shared_project(token):
    """The project this share link opens, or Http404 (sharing off, link changed, or wrong)."""
    if not isinstance(token, str) or not 16 <= len(token) <= 64:
        raise Http404
    return get_object_or_404(Project.objects.exclude(share_token=""), share_token=token)


def private(response):
    """Logbook pages belong to their team: no search engine, no shared cache."""
    return pagecache.private(response, robots="noindex, nofollow")
