from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.accounts.models import Membership, Organisation, User
from sonar.core.forms import TextGuard

EMAIL_ERRORS = {
    "required": gettext_lazy("Saisissez votre adresse électronique."),
    "invalid": gettext_lazy("Saisissez une adresse électronique valide, par exemple nom@ville.fr."),
    "max_length": gettext_lazy("Cette adresse est trop longue (254 caractères au plus)."),
}
PASSWORD_REQUIRED = {"required": gettext_lazy("Saisissez votre mot de passe.")}


class EmailField(forms.EmailField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Adresse électronique"))
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("error_messages", EMAIL_ERRORS)
        super().__init__(**kwargs)

    def clean(self, value):
        return User.objects.normalize_email(super().clean(value))


class SignupForm(TextGuard, forms.Form):
    """The address alone: everything the account holds (its name, its password) is chosen on
    the page the e-mailed link opens, by whoever holds the mailbox (ConfirmForm)."""

    email = EmailField()


class ConfirmForm(TextGuard, forms.Form):
    """What the holder of the address chooses when confirming it: the account's name and
    password. Nothing typed at sign-up, by her or by anyone, ever reaches the account."""

    name = forms.CharField(
        label=gettext_lazy("Nom (facultatif)"),
        max_length=150,
        required=False,
        help_text=gettext_lazy("Il s’affiche auprès des membres de vos organisations."),
        error_messages={
            "max_length": gettext_lazy("Ce nom est trop long (150 caractères au plus).")
        },
    )
    password1 = forms.CharField(
        label=gettext_lazy("Mot de passe"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(render_value=True),
        help_text=gettext_lazy(
            "Au moins 10 caractères, pas uniquement des chiffres, pas un mot de passe courant. "
            "Une phrase de quelques mots est facile à retenir."
        ),
        error_messages={"required": gettext_lazy("Choisissez un mot de passe.")},
    )
    password2 = forms.CharField(
        label=gettext_lazy("Mot de passe, une seconde fois"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(render_value=True),
        error_messages={"required": gettext_lazy("Saisissez le mot de passe une seconde fois.")},
    )

    def __init__(self, email, *args, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        if one:
            candidate = User(email=self.email, name=data.get("name") or "")
            try:
                password_validation.validate_password(one, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(TextGuard, auth_forms.AuthenticationForm):
    """Django's log-in form with an e-mail address; an unconfirmed account is refused with a
    way to get a new link (the right password was given, so this reveals nothing)."""

    username = EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=gettext_lazy("Mot de passe"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput,
        error_messages=PASSWORD_REQUIRED,
    )
    error_messages = {
        "invalid_login": gettext_lazy(
            "Adresse électronique ou mot de passe incorrect. Vérifiez-les et réessayez."
        ),
        "inactive": gettext_lazy("Ce compte est désactivé."),
        "unconfirmed": gettext_lazy(
            "Votre adresse n’est pas encore confirmée : ouvrez le lien reçu par courriel, "
            "ou demandez-en un nouveau."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.confirmed:
            raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class PasswordResetForm(TextGuard, auth_forms.PasswordResetForm):
    email = EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class SetPasswordForm(TextGuard, auth_forms.SetPasswordForm):
    error_messages = {
        "password_mismatch": gettext_lazy("Les deux mots de passe ne sont pas identiques.")
    }


class PasswordChangeForm(TextGuard, auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": gettext_lazy("Les deux mots de passe ne sont pas identiques."),
        "password_incorrect": gettext_lazy(
            "Votre mot de passe actuel est incorrect. Saisissez-le à nouveau."
        ),
    }


class NameForm(TextGuard, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom"),
        max_length=150,
        required=False,
        error_messages={
            "max_length": gettext_lazy("Ce nom est trop long (150 caractères au plus).")
        },
    )


class DeleteAccountForm(TextGuard, forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Votre mot de passe, pour confirmer"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput,
        error_messages=PASSWORD_REQUIRED,
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe est incorrect."))
        return password


class OrganisationForm(TextGuard, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nom de l’organisation"),
        max_length=200,
        help_text=gettext_lazy("Par exemple : Métropole de Lyon, Lab d’innovation du département."),
        error_messages={
            "required": gettext_lazy("Donnez un nom à l’organisation."),
            "max_length": gettext_lazy("Ce nom est trop long (200 caractères au plus)."),
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"),
        choices=Organisation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choisissez le type d’organisation."),
            "invalid_choice": gettext_lazy("Choisissez un type dans la liste."),
        },
    )


ROLE_ERRORS = {
    "required": gettext_lazy("Choisissez un rôle."),
    "invalid_choice": gettext_lazy("Choisissez un rôle dans la liste."),
}


class InviteForm(TextGuard, forms.Form):
    email = EmailField(label=gettext_lazy("Adresse électronique de la personne invitée"))
    role = forms.ChoiceField(
        label=gettext_lazy("Rôle"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages=ROLE_ERRORS,
    )


class RoleForm(TextGuard, forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices, error_messages=ROLE_ERRORS)
