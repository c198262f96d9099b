"""Getting into an account: sign-up and its confirmation, log-in and log-out, the lockout page,
choosing a new password. Plain forms and redirects: everything works without JavaScript. GET
never writes: the link of an e-mail opens a page with a form, and its POST does the work (a
mail scanner that opens every link confirms nothing)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sonar.accounts import actions, backends, limits
from sonar.accounts.emails import read_confirmation_token
from sonar.accounts.forms import (
    ConfirmForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignupForm,
)
from sonar.accounts.models import User
from sonar.accounts.pages import posted, safe_next
from sonar.core import pagecache

# Sign-up and confirmation


def _ask_for_link(request, template, next_url=""):
    """The sign-up form and the "new link" form: one address, one e-mail (actions.sign_up),
    the same page after it whether or not the address has an account."""
    if request.method == "POST" and limits.client_blocked(limits.SIGN_UP, request):
        return limits.too_many_requests(request, limits.SIGN_UP)
    form = SignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        limits.count_request(limits.SIGN_UP, request)
        actions.sign_up(form.cleaned_data["email"], next_url)
        request.session["accounts:signed-up"] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    status = 400 if form.errors else 200
    context = {"form": form, "next": next_url}
    return pagecache.private(render(request, template, context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:account")
    return _ask_for_link(request, "accounts/signup.html", safe_next(request))


@require_http_methods(["GET", "HEAD", "POST"])
def resend(request):
    return _ask_for_link(request, "accounts/resend.html")


@require_safe
def signup_done(request):
    email = request.session.get("accounts:signed-up", "")
    return pagecache.private(render(request, "accounts/signup_done.html", {"email": email}))


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """The e-mailed link: whoever opens it holds the mailbox, so she chooses the account's name
    and password here, and is signed in. Once the address is confirmed, the link only leads
    to the log-in page: it never changes a password again."""
    try:
        payload = read_confirmation_token(token)
    except signing.SignatureExpired:
        return _confirm_failed(request, _("Ce lien de confirmation a expiré."), expired=True)
    except signing.BadSignature:
        return _confirm_failed(request, _("Ce lien de confirmation n’est pas valable."))
    email = payload["e"]
    next_url = safe_next(request, payload.get("n") or "")
    if User.objects.filter(email=email).exclude(email_confirmed_at=None).exists():
        return _already_confirmed(request, next_url)
    form = ConfirmForm(email, posted(request))
    if request.method == "POST" and form.is_valid():
        user = actions.confirm(
            email, form.cleaned_data["name"].strip(), form.cleaned_data["password1"]
        )
        if user is None:
            return _already_confirmed(request, next_url)
        login(request, user, backend=backends.PATH)
        messages.success(request, _("Votre adresse est confirmée : bienvenue sur Sonar."))
        return redirect(next_url or "accounts:account")
    status = 400 if form.errors else 200
    context = {"form": form, "email": email}
    return pagecache.private(render(request, "accounts/confirm.html", context, status=status))


def _already_confirmed(request, next_url):
    login_url = reverse("accounts:login")
    if next_url:
        login_url += "?" + urlencode({"next": next_url})
    messages.info(request, _("Votre adresse est déjà confirmée : vous pouvez vous connecter."))
    return redirect(login_url)


def _confirm_failed(request, message, expired=False):
    return pagecache.private(
        render(
            request,
            "accounts/confirm_failed.html",
            {"message": message, "expired": expired},
            status=400,
        )
    )


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
            return limits.too_many_requests(request, limits.RESET_LINK)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Past the address's limit, the same "if an account exists, a link was sent" page,
        # and no e-mail; counted whether or not the address has an account.
        limits.count_request(limits.RESET_LINK, self.request)
        if limits.may_send(limits.RESET_LINK, form.cleaned_data["email"]):
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
