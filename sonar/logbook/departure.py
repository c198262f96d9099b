"""A person's projects when her account is deleted (a holder of sonar/accounts/departures.py).

A project that others still use keeps an admin: its only admin must name another one on the
team page before her account can go. A project where she is the only member goes with her
account: nobody could ever open it again. Its revisions stay, as every revision does
(sonar/core/models.py), with their author forgotten.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from sonar.core.collation import sort_french
from sonar.logbook.models import Project, ProjectMember

blocked_text = gettext_lazy(
    "Vous êtes le seul administrateur de projets qui ont une équipe. Nommez d’abord un autre "
    "administrateur sur la page de l’équipe de :"
)
removed_text = gettext_lazy(
    "Ces projets, dont vous êtes le seul membre, seront supprimés aussi, avec leur carnet de bord :"
)


def _projects(user):
    # By id, not through the members join: a filter on it would count her membership alone.
    mine = ProjectMember.objects.filter(user=user).values("project_id")
    return Project.objects.filter(pk__in=mine).annotate(
        people=Count("members", distinct=True),
        admins=Count("members", filter=Q(members__role=ProjectMember.Role.ADMIN), distinct=True),
    )


def lock(user):
    mine = ProjectMember.objects.filter(user=user).values("project_id")
    list(Project.objects.select_for_update().filter(pk__in=mine).order_by("pk"))


def blockers(user):
    led = ProjectMember.objects.filter(user=user, role=ProjectMember.Role.ADMIN)
    projects = _projects(user).filter(pk__in=led.values("project_id"), people__gt=1, admins=1)
    return [
        (project.title, reverse("logbook:team", args=[project.pk]))
        for project in sort_french(projects, key=lambda p: p.title)
    ]


def _alone_in(user):
    return _projects(user).filter(people=1)


def removed(user):
    return sort_french(project.title for project in _alone_in(user))


def remove(user):
    Project.objects.filter(pk__in=[project.pk for project in _alone_in(user)]).delete()
