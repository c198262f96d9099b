"""The logbook's forms. Long texts have a limit and a French message; nothing typed is lost."""

import secrets

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.accounts.models import Organisation
from sonar.atlas.models import Resource
from sonar.core.collation import french_choices
from sonar.core.forms import TextGuard
from sonar.logbook.models import (
    HYPOTHESIS_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Experiment,
    Project,
    ProjectMember,
)


def new_form_key():
    """A token that makes a creation form idempotent: submitted twice, it creates once."""
    return secrets.token_urlsafe(24)


TOO_LONG = gettext_lazy(
    "Ce texte est trop long : %(limit_value)s caractères au plus (il en compte "
    "%(show_value)s). Raccourcissez-le : votre texte est conservé ci-dessous."
)


def _text(label, limit, required=False, required_message=None, textarea=True, help_text=""):
    messages = {"max_length": TOO_LONG}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label,
        max_length=limit,
        required=required,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput(),
        error_messages=messages,
    )


class AccessibleForm(TextGuard, forms.Form):
    """Fields point to their hint and error (aria-describedby), and carry no maxlength: a
    browser would cut a pasted text silently, where the server says so and keeps it all."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        self._describe()

    def full_clean(self):
        super().full_clean()
        self._describe()

    def _describe(self):
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            auto_id = self[name].auto_id
            hint = field.help_text or (
                getattr(field, "max_length", None) and isinstance(field.widget, forms.Textarea)
            )
            ids = [f"{auto_id}_helptext"] if hint else []
            if name in errors:
                ids.append(f"{auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)


class RevisionForm(AccessibleForm):
    """A form that edits something revisioned carries the revision it was opened on."""

    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class CreationForm(AccessibleForm):
    """A form that creates something carries a one-time key.

    A form sent without a usable key (an old page, a tampered one) gets a fresh key and asks
    to be sent again, with everything typed still in it.
    """

    form_key = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=16)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            key = data.get("form_key", "")
            if not isinstance(key, str) or not 16 <= len(key) <= 64:
                data = data.copy()
                data["form_key"] = new_form_key()
                self.key_was_missing = True
        super().__init__(data, *args, **kwargs)

    def clean(self):
        data = super().clean()
        if getattr(self, "key_was_missing", False):
            raise forms.ValidationError(
                _("Ce formulaire était incomplet : vérifiez-le, puis envoyez-le à nouveau.")
            )
        return data


class ProjectForm(RevisionForm):
    title = _text(
        gettext_lazy("Titre du projet"),
        TITLE_MAX,
        required=True,
        required_message=gettext_lazy("Donnez un titre au projet."),
        textarea=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("C’est…"),
        choices=Project.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Dites s’il s’agit d’une politique ou d’un service."),
            "invalid_choice": gettext_lazy("Choisissez une politique ou un service."),
        },
    )
    about = _text(
        gettext_lazy("De quoi s’agit-il ?"),
        TEXT_MAX,
        required=True,
        required_message=gettext_lazy("Dites en quelques phrases de quoi il s’agit."),
        help_text=gettext_lazy("Le problème, les personnes concernées, ce que vous cherchez."),
    )
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation (facultatif)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Aucune"),
        error_messages={
            "invalid_choice": gettext_lazy("Choisissez une de vos organisations."),
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(memberships__user=user).distinct()
        field.choices = french_choices(field, key=lambda o: o.name)


class ProjectCreateForm(CreationForm, ProjectForm):
    pass


class ExperimentForm(RevisionForm):
    hypothesis = _text(
        gettext_lazy("Hypothèse"),
        HYPOTHESIS_MAX,
        required=True,
        required_message=gettext_lazy(
            "Écrivez l’hypothèse que l’expérience met à l’épreuve : c’est le seul champ requis."
        ),
        help_text=gettext_lazy("Ce que vous croyez et voulez vérifier, avec les personnes."),
    )
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("Avec qui ?"),
        choices=Experiment.Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choisissez parmi les propositions.")},
    )
    moments = forms.MultipleChoiceField(
        label=gettext_lazy("Quand, par rapport à la politique ou au service ?"),
        choices=Experiment.Moment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Choisissez parmi les propositions.")},
    )
    resource = forms.ModelChoiceField(
        label=gettext_lazy("Méthode utilisée (facultatif)"),
        queryset=Resource.objects.order_by("title_fr"),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Aucune méthode de la carte"),
        error_messages={
            "invalid_choice": gettext_lazy("Choisissez une méthode de la carte dans la liste.")
        },
    )
    happened = _text(gettext_lazy("Ce qui s’est passé"), TEXT_MAX)
    learnt = _text(gettext_lazy("Ce que nous avons appris"), TEXT_MAX)
    decision = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[("", gettext_lazy("pas encore décidé")), *Experiment.Decision.choices],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Choisissez parmi les propositions.")},
    )
    started_on = forms.DateField(
        label=gettext_lazy("Début (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Saisissez une date, par exemple 2026-03-15.")},
    )
    ended_on = forms.DateField(
        label=gettext_lazy("Fin (facultatif)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Saisissez une date, par exemple 2026-03-15.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["resource"]
        field.choices = french_choices(field, key=lambda r: r.title)

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("La fin ne peut pas précéder le début."))
        return data


class ExperimentCreateForm(CreationForm, ExperimentForm):
    pass


class MilestoneForm(CreationForm):
    title = _text(
        gettext_lazy("Nouvelle balise"),
        TITLE_MAX,
        required=True,
        required_message=gettext_lazy("Donnez un titre à la balise."),
        textarea=False,
    )
    description = _text(gettext_lazy("Description (facultatif)"), TEXT_MAX)


class MilestoneEditForm(RevisionForm):
    title = _text(
        gettext_lazy("Balise"),
        TITLE_MAX,
        required=True,
        required_message=gettext_lazy("Donnez un titre à la balise."),
        textarea=False,
    )
    description = _text(gettext_lazy("Description (facultatif)"), TEXT_MAX)


class InviteForm(AccessibleForm):
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique"),
        max_length=254,
        error_messages={
            "required": gettext_lazy("Saisissez l’adresse de la personne à inviter."),
            "invalid": gettext_lazy(
                "Saisissez une adresse électronique valide, par exemple prenom.nom@ville.fr."
            ),
        },
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Rôle"),
        choices=ProjectMember.Role.choices,
        initial=ProjectMember.Role.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Choisissez membre ou administrateur.")},
    )


class ResultForm(AccessibleForm):
    """A diagnostic result: one of this browser's, or a pasted link or token."""

    result = forms.CharField(
        label=gettext_lazy("Lien ou code du résultat"),
        max_length=300,
        required=False,
        help_text=gettext_lazy(
            "Collez l’adresse de la page de résultat (ou de son lien de partage)."
        ),
    )
    mine = forms.CharField(required=False, max_length=64)

    def clean(self):
        data = super().clean()
        if not data.get("result") and not data.get("mine"):
            raise forms.ValidationError(
                _("Choisissez un de vos résultats, ou collez le lien d’un résultat.")
            )
        return data


class WorkshopForm(AccessibleForm):
    code = forms.CharField(
        label=gettext_lazy("Code de l’atelier"),
        max_length=12,
        help_text=gettext_lazy("Six caractères, par exemple K7MP3Q."),
        error_messages={"required": gettext_lazy("Saisissez le code de l’atelier.")},
    )


class HandForm(AccessibleForm):
    stage = forms.ChoiceField(label=gettext_lazy("Étape"), required=False)
    style = forms.MultipleChoiceField(
        label=gettext_lazy("Style"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, stages=(), styles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", gettext_lazy("inchangée")), *stages]
        self.fields["style"].choices = list(styles)
        for name in ("stage", "style"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choisissez parmi les propositions."
            )

    def clean(self):
        data = super().clean()
        if not data.get("stage") and not data.get("style"):
            raise forms.ValidationError(_("Choisissez une étape, un style, ou les deux."))
        return data
