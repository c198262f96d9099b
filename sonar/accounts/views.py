"""Account and organisation pages. Plain forms and redirects: everything works without
JavaScript. GET never writes: even the links in e-mails open a page with a button."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sonar.accounts import actions, emails, limits, sections
from sonar.accounts.forms import (
    DeleteAccountForm,
    InviteForm,
    LoginForm,
    NameForm,
    OrganisationForm,
    PasswordChangeForm,
    PasswordResetForm,
    ResendForm,
    RoleForm,
    SetPasswordForm,
    SignupForm,
)
from sonar.accounts.models import Membership, Organisation, OrganisationInvitation, User
from sonar.core import errors, pagecache


def _posted(request):
    """The POSTed data, or None for a GET: an empty POST is still a submitted (invalid) form."""
    return request.POST if request.method == "POST" else None


def safe_next(request, value=None):
    """The `next` address when it stays on this site, else ''."""
    value = value if value is not None else request.POST.get("next") or request.GET.get("next")
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


# Sign-up and confirmation


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    next_url = safe_next(request)
    form = SignupForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        _sign_up(form.cleaned_data, next_url)
        request.session["accounts:signed-up"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    status = 400 if form.errors else 200
    return pagecache.private(
        render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)
    )


def _sign_up(data, next_url):
    """Create the account, or, for an address that already has one, tell its owner by e-mail:
    the page shown is the same either way, so nobody learns who has an account."""
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email=data["email"]).first()
        if existing is None:
            user = User.objects.create_user(data["email"], data["password1"], name=data["name"])
    # Sent once the account is committed, so the link always finds it; at most
    # limits.PER_ADDRESS sign-up e-mails an hour to one address, the page the same either way.
    if not limits.may_send(limits.SIGN_UP, data["email"]):
        return
    if existing is None:
        emails.send_confirmation(user, next_url)
    elif existing.confirmed:
        emails.send_already_registered(existing)
    else:
        emails.send_confirmation(existing, next_url)


@require_safe
def signup_done(request):
    email = request.session.get("accounts:signed-up", "")
    return pagecache.private(render(request, "accounts/signup_done.html", {"email": email}))


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        payload = emails.read_confirmation_token(token)
    except signing.SignatureExpired:
        return _confirm_failed(request, _("Ce lien de confirmation a expiré."), expired=True)
    except signing.BadSignature:
        return _confirm_failed(request, _("Ce lien de confirmation n’est pas valable."))
    user = User.objects.filter(pk=payload["u"], email=payload["e"]).first()
    if user is None:
        return _confirm_failed(request, _("Ce lien de confirmation n’est pas valable."))
    login_url = reverse("accounts:login")
    next_url = safe_next(request, payload.get("n") or "")
    if next_url:
        login_url += "?" + urlencode({"next": next_url})
    if user.confirmed:
        messages.info(request, _("Votre adresse est déjà confirmée : vous pouvez vous connecter."))
        return redirect(login_url)
    if request.method == "POST":
        User.objects.filter(pk=user.pk, email_confirmed_at=None).update(
            email_confirmed_at=timezone.now()
        )
        messages.success(request, _("Votre adresse est confirmée. Vous pouvez vous connecter."))
        return redirect(login_url)
    return pagecache.private(render(request, "accounts/confirm.html", {"email": user.email}))


def _confirm_failed(request, message, expired=False):
    return pagecache.private(
        render(
            request,
            "accounts/confirm_failed.html",
            {"message": message, "expired": expired},
            status=400,
        )
    )


@require_http_methods(["GET", "HEAD", "POST"])
def resend(request):
    if request.method == "POST" and limits.client_blocked(limits.SIGN_UP, request):
        return limits.too_many_requests(request)
    form = ResendForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Counted whether or not the address has an account: the answer is the same.
        allowed = limits.may_send(limits.SIGN_UP, email, request)
        user = User.objects.filter(email=email, is_active=True).first()
        if allowed and user and not user.confirmed:
            emails.send_confirmation(user)
        request.session["accounts:signed-up"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    status = 400 if form.errors else 200
    return pagecache.private(render(request, "accounts/resend.html", {"form": form}, status=status))


# Log-in, log-out, lockout


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["unconfirmed"] = any(
            e.code == "unconfirmed" for e in form.errors.as_data().get("__all__", [])
        )
        return context

    def dispatch(self, request, *args, **kwargs):
        return pagecache.private(super().dispatch(request, *args, **kwargs))


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


def attempted_email(request, credentials):
    """The address axes counts failures against, written as accounts store it."""
    credentials = credentials or {}
    typed = credentials.get("username") or credentials.get("email") or ""
    return User.objects.normalize_email(typed if isinstance(typed, str) else "")


def locked_out(request, credentials=None, *args, **kwargs):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return pagecache.private(
        render(
            request,
            "accounts/locked.html",
            {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
            status=429,
        )
    )


# Password reset and change: Django's views with our templates and e-mails.


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"base_url": settings.SONAR_BASE_URL}

    def post(self, request, *args, **kwargs):
        if limits.client_blocked(limits.RESET_LINK, request):
            return limits.too_many_requests(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Past the address's limit, the same "if an account exists, a link was sent" page,
        # and no e-mail; counted whether or not the address has an account.
        if limits.may_send(limits.RESET_LINK, form.cleaned_data["email"], self.request):
            return super().form_valid(form)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The reset link reached the address: that confirms it, as the sign-up link would.
        if not form.user.confirmed:
            form.user.email_confirmed_at = timezone.now()
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return super().form_valid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


# The account page and its deletion


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    form = NameForm(_posted(request), initial={"name": request.user.name})
    if request.method == "POST" and form.is_valid():
        request.user.name = form.cleaned_data["name"].strip()
        request.user.save(update_fields=["name"])
        messages.success(request, _("Votre nom a été enregistré."))
        return redirect("accounts:account")
    memberships = request.user.memberships.select_related("organisation").order_by(
        "organisation__name"
    )
    context = {
        "form": form,
        "memberships": memberships,
        "sections": sections.for_user(request),
    }
    status = 400 if form.errors else 200
    return pagecache.private(render(request, "accounts/account.html", context, status=status))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    user = request.user
    blockers = actions.deletion_blockers(user)
    form = DeleteAccountForm(user, _posted(request))
    if request.method == "POST" and not blockers and form.is_valid():
        actions.delete_account(user)
        logout(request)
        messages.success(request, _("Votre compte a été supprimé, avec ses données."))
        return redirect("core:home")
    alone_in = [
        m.organisation
        for m in user.memberships.select_related("organisation")
        if not m.organisation.memberships.exclude(user=user).exists()
    ]
    status = 400 if form.errors or (request.method == "POST" and blockers) else 200
    return pagecache.private(
        render(
            request,
            "accounts/delete.html",
            {"form": form, "blockers": blockers, "alone_in": alone_in},
            status=status,
        )
    )


# Organisations


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request):
    form = OrganisationForm(_posted(request))
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
        "memberships": organisation.memberships.select_related("user").order_by(
            "user__name", "user__email"
        ),
        "invitations": organisation.invitations.filter(
            accepted_at=None, withdrawn_at=None, expires_at__gt=timezone.now()
        ),
        "invite_form": invite_form or InviteForm(),
        "roles": Membership.Role.choices,
    }
    return pagecache.private(render(request, "accounts/organisation.html", context, status=status))


@login_required
@require_safe
def organisation(request, slug):
    organisation, membership = _membership_or_404(request, slug)
    return _organisation_page(request, organisation, membership)


@login_required
@require_POST
def organisation_invite(request, slug):
    organisation, membership = _membership_or_404(request, slug)
    if refused := _admin_only(request, membership):
        return refused
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = actions.invite(
                organisation, form.cleaned_data["email"], form.cleaned_data["role"], request.user
            )
        except actions.RuleBroken as broken:
            form.add_error("email", str(broken))
        else:
            if token:
                emails.send_invitation(invitation, token)
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


@login_required
@require_POST
def member_role(request, slug, pk):
    organisation, membership = _membership_or_404(request, slug)
    if refused := _admin_only(request, membership):
        return refused
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


@login_required
@require_POST
def invitation_withdraw(request, slug, pk):
    organisation, membership = _membership_or_404(request, slug)
    if refused := _admin_only(request, membership):
        return refused
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
