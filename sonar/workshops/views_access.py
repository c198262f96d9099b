"""Finding a workshop again and sharing its running: a facilitator's own link sent to herself,
co-facilitators added by e-mail and withdrawn, and the workshop attached to an organisation and
a project's logbook. Every URL here takes the code through the one counted lookup
(access.facilitated, via views._facilitated). GET never writes."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sonar.core import errors, pagecache
from sonar.workshops import access, actions, mails
from sonar.workshops.forms import AttachForm, EmailForm
from sonar.workshops.models import Attachment, Facilitation
from sonar.workshops.views import _facilitated


def _own_token(request, workshop):
    """The facilitator token this browser holds, when it still opens the workshop: the one a
    link sent by e-mail can carry. '' for someone who runs it through her account only."""
    token = access.facilitator_token(request, workshop.code)
    return token if access.valid_facilitator_token(workshop, token) else ""


def _context(request, workshop, **forms):
    held = access.facilitator_access(request, workshop)
    manages = access.manages_access(request, workshop)
    signed_in = request.user.is_authenticated
    attachment = Attachment.objects.filter(workshop=workshop).first()
    initial_email = {"email": request.user.email} if signed_in else None
    context = {
        "workshop": workshop,
        "held": held,
        "by_creation_link": held == access.CREATOR,
        "manages": manages,
        "holds_token": bool(_own_token(request, workshop)),
        "send_form": forms.get("send") or EmailForm(initial=initial_email),
        "add_form": forms.get("add") or EmailForm(),
        "cofacilitators": workshop.facilitations.filter(role=Facilitation.Role.CO),
        "attachment": attachment,
        "mail_limit": mails.PER_ADDRESS,
    }
    if manages and signed_in:
        initial = (
            {"organisation": attachment.organisation_id, "project": attachment.project_id}
            if attachment
            else None
        )
        context["attach_form"] = forms.get("attach") or AttachForm(request.user, initial=initial)
    return context


def _page(request, workshop, status=200, **forms):
    context = _context(request, workshop, **forms)
    return pagecache.private(render(request, "workshops/access.html", context, status=status))


def _back(workshop):
    return redirect("workshops:access", code=workshop.code)


@require_safe
@access.uses_database
def access_page(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    return _page(request, workshop)


@require_POST
@access.uses_database
def send_link(request, code):
    """E-mail this browser's own facilitator link to the address typed (rate-limited)."""
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    form = EmailForm(request.POST)
    token = _own_token(request, workshop)
    if not token:
        form.is_valid()
        form.add_error(
            None,
            _(
                "Ce navigateur ouvre l’atelier par votre compte, sans lien secret : "
                "connectez-vous pour le retrouver dans la liste de vos ateliers."
            ),
        )
        return _page(request, workshop, status=400, send=form)
    if not form.is_valid():
        return _page(request, workshop, status=400, send=form)
    email = form.cleaned_data["email"].strip().lower()
    if refusal := mails.refusal(request, email):
        form.add_error("email", refusal)
        return _page(request, workshop, status=429, send=form)
    mails.send_secret_link(workshop, token, email)
    messages.success(
        request,
        _("Le lien d’animation est envoyé à %(email)s. Pensez à regarder vos indésirables.")
        % {"email": email},
    )
    return _back(workshop)


def _not_manager_page(request):
    return errors.page(
        request,
        403,
        _(
            "Seule la personne qui a créé l’atelier (par son lien secret ou son compte) ajoute "
            "et retire les co-animateurs et rattache l’atelier."
        ),
    )


@require_POST
@access.uses_database
def add_cofacilitator(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    if not access.manages_access(request, workshop):
        return _not_manager_page(request)
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _page(request, workshop, status=400, add=form)
    sender = ""
    if request.user.is_authenticated:
        from sonar.accounts.emails import sender_label

        sender = sender_label(request.user)
    try:
        actions.add_cofacilitator(
            workshop,
            form.cleaned_data["email"],
            refusal=lambda email: mails.refusal(request, email),
            added_by=request.user,
            sender_label=sender,
        )
    except actions.WorkshopError as problem:
        form.add_error("email", problem.fields.get("email", problem.message))
        return _page(request, workshop, status=problem.status, add=form)
    messages.success(
        request,
        _("%(email)s co-anime l’atelier : son lien personnel lui est envoyé par courriel.")
        % {"email": form.cleaned_data["email"]},
    )
    return _back(workshop)


@require_POST
@access.uses_database
def withdraw_cofacilitator(request, code, facilitation_id):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    if not access.manages_access(request, workshop):
        return _not_manager_page(request)
    try:
        withdrawn = actions.withdraw_facilitation(workshop, facilitation_id)
    except actions.WorkshopError as problem:
        return errors.page(request, problem.status, problem.message)
    messages.success(
        request,
        _("L’accès de %(email)s est retiré : son lien n’ouvre plus l’atelier.")
        % {"email": withdrawn.email},
    )
    return _back(workshop)


@require_POST
@access.uses_database
def attach(request, code):
    workshop, refused = _facilitated(request, code)
    if refused:
        return refused
    if not access.manages_access(request, workshop):
        return _not_manager_page(request)
    if not request.user.is_authenticated:
        # The creation link holder signs in first, then comes back to the access page.
        return redirect_to_login(reverse("workshops:access", args=[workshop.code]))
    form = AttachForm(request.user, request.POST)
    if not form.is_valid():
        return _page(request, workshop, status=400, attach=form)
    try:
        actions.attach(
            workshop,
            request.user,
            organisation=form.cleaned_data["organisation"],
            project=form.cleaned_data["project"],
        )
    except actions.WorkshopError as problem:
        return errors.page(request, problem.status, problem.message)
    messages.success(request, _("Le rattachement de l’atelier est enregistré."))
    return _back(workshop)
