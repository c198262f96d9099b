"""What a team writes in its logbook: stage and style, trajectory, experiments."""

import re

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sonar.core import errors
from sonar.core.models import RevisionConflict
from sonar.logbook import actions, book
from sonar.logbook.book import Logbook
from sonar.logbook.forms import (
    ExperimentCreateForm,
    ExperimentForm,
    HandForm,
    MilestoneEditForm,
    MilestoneForm,
    ResultForm,
    WorkshopForm,
    new_form_key,
)
from sonar.logbook.models import Experiment, Positioning, ProjectMilestone
from sonar.logbook.views import after_conflict, conflict_context, member_view
from sonar.quiz.models import Result

EXPERIMENT_FIELDS = (
    "hypothesis", "audiences", "moments", "resource", "happened", "learnt", "decision",
    "started_on", "ended_on",
)  # fmt: skip
TOKEN_IN_LINK = re.compile(r"(resultat|partage|result|share)/([A-Za-z0-9_-]{8,40})")
TOKEN_ALONE = re.compile(r"^[A-Za-z0-9_-]{8,40}$")

# Stage and style ----------------------------------------------------------------------------


def _browser_results(request):
    """This browser's diagnostic results (session "quiz:results"), newest first."""
    tokens = list(request.session.get("quiz:results") or [])
    found = {
        r.token: r
        for r in Result.objects.filter(
            token__in=tokens, questionnaire__key__in=(book.MATURITY, book.STYLE)
        ).select_related("questionnaire")
    }
    mine = [found[t] for t in reversed(tokens) if t in found]
    names = {key: book.outcomes(key) for key in (book.MATURITY, book.STYLE)}
    for result in mine:
        known = names[result.questionnaire.key]
        result.found = [known[k] for k in result.outcomes if k in known]
        result.is_stage = result.questionnaire.key == book.MATURITY
    return mine


def find_result(raw):
    """The result a pasted link or token names: its private token or its share token."""
    raw = raw.strip()
    match = TOKEN_IN_LINK.search(raw)
    token = match.group(2) if match else raw if TOKEN_ALONE.match(raw) else None
    if token is None:
        return None
    return (
        Result.objects.filter(questionnaire__key__in=(book.MATURITY, book.STYLE))
        .filter(token=token)
        .select_related("questionnaire")
        .first()
        or Result.objects.filter(questionnaire__key__in=(book.MATURITY, book.STYLE))
        .filter(share_token=token)
        .select_related("questionnaire")
        .first()
    )


def _aspect_of(questionnaire_key):
    return Positioning.Aspect.STAGE if questionnaire_key == book.MATURITY else "style"


def _positioning_page(request, project, forms=None, status=200):
    forms = forms or {}
    logbook = Logbook(project)
    context = {
        "project": project,
        "book": logbook,
        "results": _browser_results(request),
        "result_form": forms.get("result") or ResultForm(),
        "workshop_form": forms.get("workshop") or WorkshopForm(),
        "hand_form": forms.get("hand")
        or HandForm(stages=book.stage_choices(), styles=book.style_choices()),
    }
    return render(request, "logbook/positioning.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@member_view()
def positioning(request, project, member):
    if request.method != "POST":
        return _positioning_page(request, project)
    source = request.POST.get("source", "")
    handlers = {"diagnostic": _from_result, "workshop": _from_workshop, "hand": _by_hand}
    if source not in handlers:
        return errors.page(request, 400)
    return handlers[source](request, project)


def _recorded(request, project, aspect):
    if aspect == Positioning.Aspect.STAGE:
        messages.success(request, _("L’étape du projet est enregistrée."))
    else:
        messages.success(request, _("Le style du projet est enregistré."))
    return redirect(project)


def _from_result(request, project):
    form = ResultForm(request.POST)
    if not form.is_valid():
        return _positioning_page(request, project, {"result": form}, status=400)
    mine = form.cleaned_data["mine"]
    if mine:
        result = next((r for r in _browser_results(request) if r.token == mine), None)
    else:
        result = find_result(form.cleaned_data["result"])
    if result is None or not result.outcomes:
        form.add_error(
            "result" if not mine else None,
            _(
                "Aucun résultat de diagnostic ne correspond : vérifiez le lien, ou refaites le "
                "diagnostic."
            ),
        )
        return _positioning_page(request, project, {"result": form}, status=400)
    aspect = _aspect_of(result.questionnaire.key)
    keys = result.outcomes[:1] if aspect == Positioning.Aspect.STAGE else result.outcomes
    actions.position(
        project, request.user, aspect, keys, Positioning.Source.DIAGNOSTIC, result.share_token
    )
    return _recorded(request, project, aspect)


def _from_workshop(request, project):
    from sonar.workshops import access, results

    form = WorkshopForm(request.POST)
    if not form.is_valid():
        return _positioning_page(request, project, {"workshop": form}, status=400)
    try:
        workshop, quiz, counts = results.revealed_team(request, form.cleaned_data["code"])
    except access.CodeRefused as refused:
        if refused.status == 429:
            form.add_error("code", refused.message)
            return _positioning_page(request, project, {"workshop": form}, status=429)
        workshop = None
    except results.NotRevealed:
        form.add_error(
            "code",
            _(
                "La personne qui anime cet atelier n’a pas encore révélé ses résultats : "
                "positionnez le projet une fois qu’ils sont révélés."
            ),
        )
        return _positioning_page(request, project, {"workshop": form}, status=400)
    if workshop is None or workshop.questionnaire.key not in (book.MATURITY, book.STYLE):
        form.add_error("code", _("Aucun atelier de diagnostic ne porte ce code."))
        return _positioning_page(request, project, {"workshop": form}, status=400)
    top = max(counts.values(), default=0)
    if not top:
        form.add_error("code", _("Personne n’a encore répondu dans cet atelier."))
        return _positioning_page(request, project, {"workshop": form}, status=400)
    keys = [key for key in quiz.outcome_order if counts.get(key) == top]
    aspect = _aspect_of(workshop.questionnaire.key)
    if aspect == Positioning.Aspect.STAGE:
        # A tie between stages gives the lower one: the logbook never flatters a team.
        keys = keys[:1]
    actions.position(
        project, request.user, aspect, keys, Positioning.Source.WORKSHOP, workshop.code
    )
    return _recorded(request, project, aspect)


def _by_hand(request, project):
    form = HandForm(request.POST, stages=book.stage_choices(), styles=book.style_choices())
    if not form.is_valid():
        return _positioning_page(request, project, {"hand": form}, status=400)
    if form.cleaned_data["stage"]:
        actions.position(
            project,
            request.user,
            Positioning.Aspect.STAGE,
            [form.cleaned_data["stage"]],
            Positioning.Source.HAND,
        )
    if form.cleaned_data["style"]:
        actions.position(
            project,
            request.user,
            Positioning.Aspect.STYLE,
            form.cleaned_data["style"],
            Positioning.Source.HAND,
        )
    messages.success(request, _("Position du projet enregistrée."))
    return redirect(project)


# Trajectory ---------------------------------------------------------------------------------


def _proposal(logbook):
    """The trajectory Sonar proposes for the project's stage, or None."""
    from sonar.journeys.models import Trajectory

    if logbook.stage is None:
        return None
    key = logbook.stage.positioning.keys[0] if logbook.stage.positioning.keys else None
    return Trajectory.objects.filter(key=key).prefetch_related("steps").first()


def _trajectory_page(request, project, member, form=None, status=200):
    logbook = Logbook(project)
    proposal = _proposal(logbook)
    adopted = {m.milestone_id for m in logbook.milestones if m.milestone_id}
    to_adopt = [m for m in proposal.milestones if m.pk not in adopted] if proposal else []
    context = {
        "project": project,
        "member": member,
        "book": logbook,
        "proposal": proposal,
        "to_adopt": to_adopt,
        "form": form or MilestoneForm(initial={"form_key": new_form_key()}),
    }
    return render(request, "logbook/trajectory.html", context, status=status)


@require_safe
@member_view()
def trajectory(request, project, member):
    return _trajectory_page(request, project, member)


@require_POST
@member_view()
def adopt(request, project, member):
    proposal = _proposal(Logbook(project))
    if proposal is None:
        messages.error(request, _("Indiquez d’abord l’étape du projet : Sonar propose la suite."))
        return redirect("logbook:trajectory", pk=project.pk)
    added = actions.adopt_trajectory(project, request.user, proposal)
    if added:
        messages.success(request, _("La trajectoire est adoptée : ses balises sont ajoutées."))
    else:
        messages.info(request, _("Les balises de cette trajectoire sont déjà dans le carnet."))
    return redirect("logbook:trajectory", pk=project.pk)


@require_POST
@member_view()
def add_milestone(request, project, member):
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        return _trajectory_page(request, project, member, form, status=400)
    _milestone, created = actions.add_milestone(
        project,
        request.user,
        form.cleaned_data["form_key"],
        form.cleaned_data["title"],
        form.cleaned_data["description"],
    )
    if created:
        messages.success(request, _("Balise ajoutée."))
    return redirect("logbook:trajectory", pk=project.pk)


@require_POST
@member_view()
def milestone_action(request, project, member, milestone_id):
    milestone = get_object_or_404(ProjectMilestone, pk=milestone_id, project=project)
    action = request.POST.get("action", "")
    if action in ("up", "down"):
        actions.move_milestone(milestone, request.user, action)
    elif action in ("tick", "untick"):
        actions.tick_milestone(milestone, request.user, action == "tick")
        if action == "tick":
            messages.success(request, _("Balise « %(title)s » franchie.") % {"title": milestone})
    else:
        return errors.page(request, 400)
    return redirect(reverse("logbook:trajectory", args=[project.pk]) + f"#balise-{milestone.pk}")


@require_http_methods(["GET", "HEAD", "POST"])
@member_view()
def milestone_edit(request, project, member, milestone_id):
    """Rewrite a milestone in the team's words; the copied text of the trajectory stays in
    the history."""
    milestone = get_object_or_404(ProjectMilestone, pk=milestone_id, project=project)
    if request.method != "POST":
        form = MilestoneEditForm(
            initial={
                "title": milestone.title,
                "description": milestone.description,
                "based_on": milestone.revision,
            }
        )
        return _milestone_form_page(request, project, milestone, form)
    form = MilestoneEditForm(request.POST)
    if not form.is_valid():
        return _milestone_form_page(request, project, milestone, form, status=400)
    try:
        actions.edit(
            milestone,
            request.user,
            form.cleaned_data["based_on"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
    except RevisionConflict as conflict:
        latest = ProjectMilestone.objects.get(pk=milestone.pk)
        form = after_conflict(MilestoneEditForm, request, conflict.latest)
        return _milestone_form_page(request, project, latest, form, status=409, conflict=latest)
    messages.success(request, _("Modifications enregistrées."))
    return redirect(reverse("logbook:trajectory", args=[project.pk]) + f"#balise-{milestone.pk}")


def _milestone_form_page(request, project, milestone, form, status=200, conflict=None):
    context = {
        "project": project,
        "milestone": milestone,
        "form": form,
        **conflict_context(conflict),
    }
    return render(request, "logbook/milestone_form.html", context, status=status)


# Experiments --------------------------------------------------------------------------------


def _experiment_form_page(request, project, form, experiment=None, status=200, conflict=None):
    context = {
        "project": project,
        "form": form,
        "experiment": experiment,
        **conflict_context(conflict),
    }
    return render(request, "logbook/experiment_form.html", context, status=status)


def _experiment_fields(form):
    fields = {name: form.cleaned_data[name] for name in EXPERIMENT_FIELDS}
    fields["resource"] = fields["resource"] or None
    return fields


@require_http_methods(["GET", "HEAD", "POST"])
@member_view()
def experiment_create(request, project, member):
    if request.method != "POST":
        form = ExperimentCreateForm(initial={"form_key": new_form_key()})
        return _experiment_form_page(request, project, form)
    form = ExperimentCreateForm(request.POST)
    if not form.is_valid():
        return _experiment_form_page(request, project, form, status=400)
    experiment, created = actions.add_experiment(
        project, request.user, form.cleaned_data["form_key"], **_experiment_fields(form)
    )
    if experiment.project_id != project.pk:
        return errors.page(request, 400)
    if created:
        messages.success(request, _("Expérience enregistrée dans le carnet."))
    return redirect(experiment)


def _experiment(project, experiment_id):
    return get_object_or_404(
        Experiment.objects.select_related("resource"), pk=experiment_id, project=project
    )


@require_safe
@member_view()
def experiment(request, project, member, experiment_id):
    item = _experiment(project, experiment_id)
    context = {"project": project, "experiment": item, "member": member}
    return render(request, "logbook/experiment.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@member_view()
def experiment_edit(request, project, member, experiment_id):
    item = _experiment(project, experiment_id)
    if request.method != "POST":
        initial = {name: getattr(item, name) for name in EXPERIMENT_FIELDS}
        initial["resource"] = item.resource.slug if item.resource else None
        initial["decision"] = item.decision
        initial["based_on"] = item.revision
        return _experiment_form_page(request, project, ExperimentForm(initial=initial), item)
    form = ExperimentForm(request.POST)
    if not form.is_valid():
        return _experiment_form_page(request, project, form, item, status=400)
    try:
        actions.edit(item, request.user, form.cleaned_data["based_on"], **_experiment_fields(form))
    except RevisionConflict as conflict:
        latest = _experiment(project, experiment_id)
        form = after_conflict(ExperimentForm, request, conflict.latest)
        return _experiment_form_page(request, project, form, latest, status=409, conflict=latest)
    messages.success(request, _("Modifications enregistrées."))
    return redirect(item)
