"""Organisations: creating one, its page and members, invitations by e-mail and their link.
Plain forms and redirects: everything works without JavaScript. GET never writes: the link of
an invitation opens a page with a button."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sonar.accounts import actions
from sonar.accounts.forms import InviteForm, OrganisationForm, RoleForm
from sonar.accounts.models import Membership, Organisation, OrganisationInvitation
from sonar.accounts.pages import posted
from sonar.core import errors, pagecache
from sonar.core.collation import sort_french


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request):
    form = OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        organisation, created = actions.create_organisation(
            request.user, form.cleaned_data["name"].strip(), form.cleaned_data["kind"]
        )
        if created:
            messages.success(request, _("L’organisation est créée ; vous en êtes administrateur."))
        return redirect(organisation)
    status = 400 if form.errors else 200
    return pagecache.private(
        render(request, "accounts/organisation_create.html", {"form": form}, status=status)
    )


def _membership_or_404(request, slug):
    """The organisation and the visitor's membership; a non-member gets the same 404 as for an
    organisation that does not exist, so its existence is not revealed."""
    organisation = get_object_or_404(Organisation, slug=slug)
    membership = organisation.membership_of(request.user)
    if membership is None:
        raise Http404
    return organisation, membership


def _admin_post(view):
    """A POST by a logged-in admin of the organisation `slug`: others get the same 404 as for
    an unknown organisation (non-members) or a French 403 (members)."""

    @wraps(view)
    @login_required
    @require_POST
    def wrapper(request, slug, *args, **kwargs):
        organisation, membership = _membership_or_404(request, slug)
        if refused := _admin_only(request, membership):
            return refused
        return view(request, organisation, membership, *args, **kwargs)

    return wrapper


def _admin_only(request, membership):
    if not membership.is_admin:
        return errors.page(
            request, 403, _("Seuls les administrateurs de l’organisation peuvent faire cela.")
        )
    return None


def _organisation_page(request, organisation, membership, invite_form=None, status=200):
    context = {
        "organisation": organisation,
        "membership": membership,
        "memberships": sort_french(
            organisation.memberships.select_related("user"),
            key=lambda m: f"{m.user.name} {m.user.email}",
        ),
        "invitations": organisation.invitations.filter(
            accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now()
        ),
        "invite_form": invite_form or InviteForm(),
        "roles": Membership.Role.choices,
        # Reached through the relation the logbook declares: accounts imports no logbook code.
        "projects": organisation.projects.filter(members__user=request.user).order_by("title"),
        "other_projects": organisation.projects.exclude(members__user=request.user).count(),
    }
    return pagecache.private(render(request, "accounts/organisation.html", context, status=status))


@login_required
@require_safe
def organisation(request, slug):
    organisation, membership = _membership_or_404(request, slug)
    return _organisation_page(request, organisation, membership)


@_admin_post
def organisation_invite(request, organisation, membership):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, sent = actions.invite(
                organisation, form.cleaned_data["email"], form.cleaned_data["role"], request.user
            )
        except actions.RuleBroken as broken:
            form.add_error("email", str(broken))
        else:
            if sent:
                messages.success(
                    request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
                )
            else:
                messages.info(
                    request,
                    _("Une invitation attend déjà la réponse de %(email)s.")
                    % {"email": invitation.email},
                )
            return redirect(organisation)
    return _organisation_page(request, organisation, membership, form, status=400)


def _member_of(organisation, pk):
    return get_object_or_404(Membership, pk=pk, organisation=organisation)


@_admin_post
def member_role(request, organisation, membership, pk):
    target = _member_of(organisation, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return errors.page(request, 400, _("Choisissez un rôle dans la liste."))
    try:
        actions.change_role(organisation, target, form.cleaned_data["role"])
    except actions.RuleBroken as broken:
        messages.error(request, str(broken))
    else:
        messages.success(
            request,
            _("%(person)s est maintenant %(role)s.")
            % {"person": target.user, "role": target.get_role_display()},
        )
    return redirect(organisation)


@login_required
@require_POST
def member_remove(request, slug, pk):
    organisation, membership = _membership_or_404(request, slug)
    target = _member_of(organisation, pk)
    leaving = target.pk == membership.pk
    if not leaving and (refused := _admin_only(request, membership)):
        return refused
    try:
        actions.remove_member(organisation, target)
    except actions.RuleBroken as broken:
        messages.error(request, str(broken))
        return redirect(organisation)
    if leaving:
        messages.success(
            request, _("Vous avez quitté %(organisation)s.") % {"organisation": organisation}
        )
        return redirect("accounts:account")
    messages.success(
        request, _("%(person)s ne fait plus partie de l’organisation.") % {"person": target.user}
    )
    return redirect(organisation)


@_admin_post
def invitation_withdraw(request, organisation, membership, pk):
    invitation = get_object_or_404(OrganisationInvitation, pk=pk, organisation=organisation)
    actions.withdraw(invitation)
    messages.success(
        request, _("L’invitation de %(email)s est retirée.") % {"email": invitation.email}
    )
    return redirect(organisation)


def invitation_state_message(state):
    return {
        "accepted": _(
            "Cette invitation a déjà été utilisée. Si c’était vous, l’organisation figure "
            "sur votre page « Mon compte »."
        ),
        "withdrawn": _(
            "Cette invitation a été retirée par un administrateur de l’organisation. "
            "Demandez-lui de vous en envoyer une nouvelle si besoin."
        ),
        "expired": _(
            "Cette invitation a expiré. Demandez à un administrateur de l’organisation de "
            "vous en envoyer une nouvelle."
        ),
    }[state]


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token):
    invitation = OrganisationInvitation.find(token)
    if invitation is None:
        return errors.page(
            request,
            404,
            _(
                "Ce lien d’invitation n’est pas valable. Vérifiez qu’il a été copié en entier "
                "depuis le courriel."
            ),
        )
    state = invitation.state
    context = {"invitation": invitation, "organisation": invitation.organisation}
    if state != "open":
        context["message"] = invitation_state_message(state)
        return pagecache.private(render(request, "accounts/invitation.html", context, status=410))
    user = request.user
    if user.is_authenticated and user.email != invitation.email:
        context["wrong_account"] = True
        return pagecache.private(render(request, "accounts/invitation.html", context, status=403))
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
        if not actions.accept(invitation, user):
            invitation.refresh_from_db()
            context["message"] = invitation_state_message(invitation.state)
            return pagecache.private(
                render(request, "accounts/invitation.html", context, status=410)
            )
        messages.success(
            request,
            _("Bienvenue dans %(organisation)s.") % {"organisation": invitation.organisation},
        )
        return redirect(invitation.organisation)
    context["next"] = request.path
    return pagecache.private(render(request, "accounts/invitation.html", context))
