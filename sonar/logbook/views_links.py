"""From the diagnostic and the trajectories into a logbook: "Enregistrer dans un carnet" on a
result page, "Adopter pour mon projet" on a trajectory page.

The pages that offer these links belong to other apps and never import this one: the result
page shows the form through the `save_result_form` tag (templatetags/logbook.py), and the
trajectory page links to `adopt_from`, a page of its own, so its cached copy stays the same
for every visitor.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sonar.logbook import access, actions, book
from sonar.logbook.models import Positioning, Project
from sonar.logbook.views_log import TOKEN_ALONE as TOKEN
from sonar.quiz.models import Result


def _own_result(token):
    """The diagnostic result whose private token this is (never by its share token: the page
    sends back to the private result page)."""
    if not isinstance(token, str) or not TOKEN.match(token):
        return None
    return (
        Result.objects.filter(token=token, questionnaire__key__in=(book.MATURITY, book.STYLE))
        .select_related("questionnaire")
        .first()
    )


def _my_project(request, raw):
    """One of the user's projects, by the id a form sent, or None."""
    if not isinstance(raw, str) or not raw.isdigit() or len(raw) > 12:
        return None
    return Project.objects.of(request.user).filter(pk=int(raw)).first()


@require_POST
@login_required
def save_result(request):
    """Record a diagnostic result (by its private token) as the stage or style of a project."""
    result = _own_result(request.POST.get("result", ""))
    if result is None or not result.outcomes:
        messages.error(request, _("Ce résultat de diagnostic est introuvable."))
        return redirect("logbook:index")
    back = reverse("quiz:result", args=[result.token])
    project = _my_project(request, request.POST.get("project"))
    if project is None:
        messages.error(request, _("Choisissez un de vos projets pour y enregistrer ce résultat."))
        return redirect(back + "#carnet")
    aspect = (
        Positioning.Aspect.STAGE
        if result.questionnaire.key == book.MATURITY
        else Positioning.Aspect.STYLE
    )
    keys = result.outcomes[:1] if aspect == Positioning.Aspect.STAGE else result.outcomes
    actions.position(
        project, request.user, aspect, keys, Positioning.Source.DIAGNOSTIC, result.share_token
    )
    if aspect == Positioning.Aspect.STAGE:
        messages.success(request, _("L’étape du projet est enregistrée."))
    else:
        messages.success(request, _("Le style du projet est enregistré."))
    return redirect(project)


def _trajectory_or_404(key):
    from sonar.journeys.models import Trajectory

    found = Trajectory.objects.filter(key=key).select_related("stage").first()
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def adopt_from(request, key):
    """Choose one of my projects and copy this trajectory's milestones into it."""
    trajectory = _trajectory_or_404(key)
    projects = list(Project.objects.of(request.user).order_by("-created_at", "-pk"))
    error = None
    if request.method == "POST":
        project = _my_project(request, request.POST.get("project"))
        if project is not None:
            added = actions.adopt_trajectory(project, request.user, trajectory)
            if added:
                messages.success(
                    request, _("La trajectoire est adoptée : ses balises sont ajoutées.")
                )
            else:
                messages.info(
                    request, _("Les balises de cette trajectoire sont déjà dans le carnet.")
                )
            return redirect("logbook:trajectory", pk=project.pk)
        error = _("Choisissez le projet qui adopte cette trajectoire.")
    context = {"trajectory": trajectory, "projects": projects, "error": error}
    return access.private(
        render(request, "logbook/adopt_from.html", context, status=400 if error else 200)
    )
