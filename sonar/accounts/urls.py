from django.contrib.auth import views as auth_views
from django.urls import path
from django.utils.translation import gettext_lazy as _

from sonar.accounts import views, views_organisations, views_signin

app_name = "accounts"

urlpatterns = [
    path(_("inscription/"), views_signin.signup, name="signup"),
    path(_("inscription/envoyee/"), views_signin.signup_done, name="signup_done"),
    path(_("inscription/nouveau-lien/"), views_signin.resend, name="resend"),
    path(_("confirmer/<str:token>/"), views_signin.confirm, name="confirm"),
    path(_("connexion/"), views_signin.LoginView.as_view(), name="login"),
    path(_("deconnexion/"), views_signin.LogoutView.as_view(), name="logout"),
    path(
        _("mot-de-passe/oublie/"), views_signin.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        _("mot-de-passe/oublie/envoye/"),
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        _("mot-de-passe/nouveau/<uidb64>/<token>/"),
        views_signin.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        _("mot-de-passe/nouveau/fait/"),
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path(
        _("mot-de-passe/changer/"),
        views_signin.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("", views.account, name="account"),
    path(_("supprimer/"), views.delete_account, name="delete"),
    path(
        _("organisations/nouvelle/"),
        views_organisations.organisation_create,
        name="organisation_create",
    ),
    path("organisations/<slug:slug>/", views_organisations.organisation, name="organisation"),
    path(
        _("organisations/<slug:slug>/inviter/"),
        views_organisations.organisation_invite,
        name="organisation_invite",
    ),
    path(
        _("organisations/<slug:slug>/membres/<int:pk>/role/"),
        views_organisations.member_role,
        name="member_role",
    ),
    path(
        _("organisations/<slug:slug>/membres/<int:pk>/retirer/"),
        views_organisations.member_remove,
        name="member_remove",
    ),
    path(
        _("organisations/<slug:slug>/invitations/<int:pk>/retirer/"),
        views_organisations.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", views_organisations.invitation, name="invitation"),
]
