"""The "Mon compte" page and the deletion of an account. The ways in (sign-up, log-in,
passwords) are in views_signin.py, organisations in views_organisations.py."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sonar.accounts import actions, sections
from sonar.accounts.forms import DeleteAccountForm, NameForm
from sonar.accounts.pages import posted
from sonar.core import pagecache
from sonar.core.collation import sort_french

# The account page and its deletion


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account(request):
    form = NameForm(posted(request), initial={"name": request.user.name})
    if request.method == "POST" and form.is_valid():
        request.user.name = form.cleaned_data["name"].strip()
        request.user.save(update_fields=["name"])
        messages.success(request, _("Votre nom a été enregistré."))
        return redirect("accounts:account")
    memberships = sort_french(
        request.user.memberships.select_related("organisation"), key=lambda m: m.organisation.name
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
    departure = actions.departure(user)
    form = DeleteAccountForm(user, posted(request))
    refused = request.method == "POST" and bool(departure.blockers)
    if request.method == "POST" and not departure.blockers and form.is_valid():
        try:
            actions.delete_account(user)
        except actions.RuleBroken:
            # Someone left in the meantime: the page, read again, says what to do.
            departure, refused = actions.departure(user), True
        else:
            logout(request)
            messages.success(request, _("Votre compte a été supprimé, avec ses données."))
            return redirect("core:home")
    status = 400 if form.errors or refused else 200
    context = {"form": form, "blockers": departure.blockers, "removed": departure.removed}
    return pagecache.private(render(request, "accounts/delete.html", context, status=status))
