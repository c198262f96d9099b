"""The logbook's pages: my projects, a project, its team, its share link and exports.

Plain forms and redirects: every step works without JavaScript. GET never writes. Stage and
style, the trajectory and experiments are in views_log.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sonar.core import errors
from sonar.core.links import absolute
from sonar.core.models import RevisionConflict
from sonar.logbook import access, actions, exports
from sonar.logbook.book import Logbook, describe
from sonar.logbook.forms import InviteForm, ProjectCreateForm, ProjectForm, new_form_key
from sonar.logbook.models import Project, ProjectInvitation, ProjectMember

EDIT_FIELDS = ("title", "kind", "about", "organisation")


def member_view(admin=False):
    """Log-in required; the project must be one of the user's (admin: one they administer)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapper(request, pk, *args, **kwargs):
            try:
                project, member = access.project_for(request, pk, admin=admin)
            except access.NotAdmin:
                return access.not_admin_page(request)
            return access.private(view(request, project, member, *args, **kwargs))

        return wrapper

    return decorate


def conflict_message():
    return _(
        "Quelqu’un a enregistré une autre version pendant que vous écriviez : rien n’a été "
        "enregistré. Comparez sa version (ci-dessous) avec la vôtre, gardée dans le formulaire, "
        "puis enregistrez à nouveau si vous le souhaitez."
    )


def after_conflict(form_class, request, latest_revision, **kwargs):
    """The user's own text, now based on the latest revision, so a second save is deliberate."""
    data = request.POST.copy()
    data["based_on"] = str(latest_revision)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


# My projects --------------------------------------------------------------------------------


@require_safe
def index(request):
    """My projects; for a visitor who is not signed in, what a logbook is and how to get one."""
    if not request.user.is_authenticated:
        return access.private(render(request, "logbook/about.html"))
    projects = (
        Project.objects.of(request.user).select_related("organisation").order_by("-created_at")
    )
    roles = dict(ProjectMember.objects.filter(user=request.user).values_list("project_id", "role"))
    rows = [(p, roles.get(p.pk) == ProjectMember.Role.ADMIN) for p in projects]
    return access.private(render(request, "logbook/index.html", {"rows": rows}))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def create(request):
    if request.method != "POST":
        form = ProjectCreateForm(
            user=request.user, initial={"form_key": new_form_key(), "kind": Project.Kind.SERVICE}
        )
        return _project_form(request, form, None)
    form = ProjectCreateForm(request.POST, user=request.user)
    if not form.is_valid():
        return _project_form(request, form, None, status=400)
    fields = {name: form.cleaned_data[name] for name in EDIT_FIELDS}
    project, created = actions.create_project(request.user, form.cleaned_data["form_key"], **fields)
    if project.member(request.user) is None:
        # Someone else's form key: nothing to see here.
        raise Http404
    if created:
        messages.success(request, _("Le projet est créé : vous en êtes l’administrateur."))
    return redirect(project)


def conflict_context(conflict):
    """What the conflict notice shows: the other person's saved version, field by field."""
    if conflict is None:
        return {"conflict": None}
    return {
        "conflict": conflict,
        "conflict_message": conflict_message(),
        "theirs": describe(type(conflict), conflict.snapshot()),
    }


def _project_form(request, form, project, status=200, conflict=None):
    context = {"form": form, "project": project, **conflict_context(conflict)}
    return access.private(render(request, "logbook/project_form.html", context, status=status))


@require_safe
@member_view()
def project(request, project, member):
    book = Logbook(project)
    context = {"project": project, "member": member, "book": book, "shared": False}
    return render(request, "logbook/project.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@member_view()
def edit(request, project, member):
    if request.method != "POST":
        initial = {name: getattr(project, name) for name in EDIT_FIELDS}
        initial["based_on"] = project.revision
        form = ProjectForm(initial=initial, user=request.user)
        return _project_form(request, form, project)
    form = ProjectForm(request.POST, user=request.user)
    if not form.is_valid():
        return _project_form(request, form, project, status=400)
    fields = {name: form.cleaned_data[name] for name in EDIT_FIELDS}
    try:
        actions.edit(project, request.user, form.cleaned_data["based_on"], **fields)
    except RevisionConflict as conflict:
        latest = Project.objects.get(pk=project.pk)
        form = after_conflict(ProjectForm, request, conflict.latest, user=request.user)
        return _project_form(request, form, latest, status=409, conflict=latest)
    messages.success(request, _("Modifications enregistrées."))
    return redirect(project)


@require_safe
@member_view()
def history(request, project, member):
    """Every saved version of the project, its milestones and its experiments, newest first."""
    entries = []
    for obj, label in [(project, _("Projet"))]:
        entries += [(r, label, obj) for r in obj.revisions().select_related("author")]
    for milestone in project.milestones.all():
        entries += [
            (r, _("Balise"), milestone) for r in milestone.revisions().select_related("author")
        ]
    for experiment in project.experiments.all():
        entries += [
            (r, _("Expérience"), experiment)
            for r in experiment.revisions().select_related("author")
        ]
    entries.sort(key=lambda e: (e[0].created_at, e[0].pk), reverse=True)
    rows = [
        {
            "revision": r,
            "label": label,
            "object": obj,
            "fields": describe(type(obj), r.snapshot),
        }
        for r, label, obj in entries
    ]
    return render(request, "logbook/history.html", {"project": project, "rows": rows})


# Team ---------------------------------------------------------------------------------------


def _team_page(request, project, member, form=None, status=200):
    context = {
        "project": project,
        "member": member,
        "members": project.members.select_related("user"),
        # The only admin can be neither made a member nor removed: those buttons are not shown.
        "admin_count": project.members.filter(role=ProjectMember.Role.ADMIN).count(),
        "invitations": project.invitations.filter(accepted_at=None).select_related("invited_by"),
        "form": form or InviteForm(),
        "roles": ProjectMember.Role.choices,
        "share_url": absolute(_share_path(project)) if project.share_token else "",
    }
    return render(request, "logbook/team.html", context, status=status)


def _share_path(project):
    return reverse("logbook:shared", args=[project.share_token])


@require_safe
@member_view()
def team(request, project, member):
    return _team_page(request, project, member)


@require_POST
@member_view(admin=True)
def invite(request, project, member):
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _team_page(request, project, member, form, status=400)
    try:
        invitation = actions.invite(
            project, request.user, form.cleaned_data["email"], form.cleaned_data["role"]
        )
    except actions.TeamError as problem:
        form.add_error("email", problem.message)
        return _team_page(request, project, member, form, status=400)
    messages.success(
        request,
        _("Invitation envoyée à %(email)s. Le lien est valable 14 jours.")
        % {"email": invitation.email},
    )
    return redirect("logbook:team", pk=project.pk)


@require_POST
@member_view(admin=True)
def withdraw(request, project, member, invitation_id):
    invitation = get_object_or_404(ProjectInvitation, pk=invitation_id, project=project)
    actions.withdraw(invitation)
    messages.success(request, _("L’invitation est retirée : son lien ne fonctionne plus."))
    return redirect("logbook:team", pk=project.pk)


@require_POST
@member_view(admin=True)
def change_role(request, project, member, member_id):
    target = get_object_or_404(ProjectMember, pk=member_id, project=project)
    role = request.POST.get("role", "")
    if role not in ProjectMember.Role.values:
        messages.error(request, _("Choisissez membre ou administrateur."))
        return redirect("logbook:team", pk=project.pk)
    try:
        actions.change_role(target, role)
    except actions.TeamError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, _("Rôle modifié."))
    return redirect("logbook:team", pk=project.pk)


@require_POST
@member_view(admin=True)
def remove(request, project, member, member_id):
    target = get_object_or_404(ProjectMember, pk=member_id, project=project)
    leaving = target.user_id == request.user.pk
    try:
        actions.remove_member(target)
    except actions.TeamError as problem:
        messages.error(request, problem.message)
        return redirect("logbook:team", pk=project.pk)
    messages.success(
        request, _("%(name)s ne fait plus partie de l’équipe.") % {"name": target.user}
    )
    if leaving:
        return redirect("logbook:index")
    return redirect("logbook:team", pk=project.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def accept(request, token):
    """The link of an invitation e-mail: shows the project's name, then joins on POST."""
    invitation = ProjectInvitation.find(token)
    if invitation is None:
        return access.private(
            render(
                request,
                "logbook/accept.html",
                {"invitation": None, "problem": _("Ce lien d’invitation n’est pas valable.")},
                status=404,
            )
        )
    problem = None
    if request.method == "POST":
        try:
            actions.accept(invitation, request.user)
        except actions.TeamError as error:
            problem = error.message
        else:
            messages.success(
                request,
                _("Bienvenue dans l’équipe de « %(title)s ».") % {"title": invitation.project},
            )
            return redirect(invitation.project)
    elif invitation.project.member(request.user):
        return redirect(invitation.project)
    else:
        try:
            actions.check_invitation(invitation, request.user)
        except actions.TeamError as error:
            problem = error.message
    context = {"invitation": invitation, "problem": problem, "token": token}
    return access.private(
        render(request, "logbook/accept.html", context, status=400 if problem else 200)
    )


# Sharing and exports ------------------------------------------------------------------------


@require_POST
@member_view(admin=True)
def share(request, project, member):
    action = request.POST.get("action", "")
    if action not in ("create", "disable", "regenerate"):
        return errors.page(request, 400)
    actions.share(project, action)
    notices = {
        "create": _("Le lien de partage en lecture seule est créé."),
        "disable": _("Le lien de partage est désactivé : il ne fonctionne plus."),
        "regenerate": _("Un nouveau lien de partage remplace l’ancien, qui ne fonctionne plus."),
    }
    messages.success(request, notices[action])
    return redirect("logbook:team", pk=project.pk)


@require_safe
def shared(request, token):
    project = access.shared_project(token)
    book = Logbook(project)
    context = {"project": project, "member": None, "book": book, "shared": True, "token": token}
    return access.private(render(request, "logbook/shared.html", context))


def _markdown(project, filename):
    response = HttpResponse(
        exports.markdown(Logbook(project)), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.md"'
    return response


def _pdf(project, filename):
    response = HttpResponse(exports.pdf(Logbook(project)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


@require_safe
@member_view()
def export_markdown(request, project, member):
    return _markdown(project, exports.filename(project))


@require_safe
@member_view()
def export_pdf(request, project, member):
    return _pdf(project, exports.filename(project))


@require_safe
def shared_markdown(request, token):
    project = access.shared_project(token)
    return access.private(_markdown(project, exports.filename(project)))


@require_safe
def shared_pdf(request, token):
    project = access.shared_project(token)
    return access.private(_pdf(project, exports.filename(project)))
