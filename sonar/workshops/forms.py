from django import forms
from django.db.models import Case, Exists, OuterRef, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sonar.core.forms import TextGuard
from sonar.quiz.models import Question, Questionnaire
from sonar.workshops.models import CODE_LENGTH, Workshop, WorkshopTemplate, normalise_code


def default_title():
    return _("Atelier du %s") % date_format(timezone.localdate(), "j F Y")


class QuestionnaireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class CreateForm(TextGuard, forms.Form):
    """Everything has a default: a facilitator creates a workshop with one more click."""

    questionnaire = QuestionnaireChoiceField(
        # The journal's own questionnaire (the style quiz) first: it is the default.
        queryset=Questionnaire.objects.filter(
            Exists(Question.objects.filter(questionnaire=OuterRef("pk")))
        ).order_by(Case(When(source="sonar-1.0", then=0), default=1), "pk"),
        to_field_name="key",
        empty_label=None,
        label=gettext_lazy("Questionnaire"),
    )
    template = forms.ModelChoiceField(
        queryset=WorkshopTemplate.objects.all(),
        to_field_name="key",
        required=False,
        empty_label=gettext_lazy("Aucun : le questionnaire seul"),
        label=gettext_lazy("Déroulé prêt à lancer"),
        help_text=gettext_lazy(
            "Un déroulé enchaîne plusieurs étapes, avec leurs durées, une consigne et des "
            "questions de discussion ; il remplace le questionnaire choisi ci-dessus."
        ),
        error_messages={"invalid_choice": gettext_lazy("Ce déroulé n’existe pas.")},
    )
    title = forms.CharField(
        max_length=120,
        label=gettext_lazy("Titre de l’atelier"),
        help_text=gettext_lazy("Il s’affiche sur l’écran de projection et dans le rapport."),
        error_messages={"required": gettext_lazy("Donnez un titre à l’atelier.")},
    )
    mode = forms.ChoiceField(
        choices=Workshop.Mode.choices,
        initial=Workshop.Mode.PACED,
        widget=forms.RadioSelect,
        label=gettext_lazy("Déroulé"),
    )


class JoinForm(TextGuard, forms.Form):
    code = forms.CharField(
        max_length=12,
        label=gettext_lazy("Code de l’atelier"),
        help_text=gettext_lazy("Six caractères, affichés par la personne qui anime."),
        error_messages={"required": gettext_lazy("Saisissez le code de l’atelier.")},
    )
    pseudonym = forms.CharField(
        max_length=40,
        required=False,
        label=gettext_lazy("Pseudonyme (facultatif)"),
        help_text=gettext_lazy("Vous seul le voyez, pour reconnaître votre écran."),
    )

    def clean_code(self):
        code = normalise_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("Le code compte six caractères, lettres et chiffres, par exemple K7MP3Q.")
            )
        return code


class EmailForm(TextGuard, forms.Form):
    """An address to send a facilitator link to: one's own, or a co-facilitator's."""

    email = forms.EmailField(
        max_length=254,
        label=gettext_lazy("Adresse électronique"),
        error_messages={
            "required": gettext_lazy("Saisissez une adresse électronique."),
            "invalid": gettext_lazy(
                "Saisissez une adresse électronique valide, par exemple nom@ville.fr."
            ),
        },
    )


class AttachForm(TextGuard, forms.Form):
    """Where the workshop belongs: only the organisations and projects the person is in."""

    organisation = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Organisation"),
        empty_label=gettext_lazy("Aucune"),
    )
    project = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Carnet de bord du projet"),
        empty_label=gettext_lazy("Aucun"),
    )

    def __init__(self, user, *args, **kwargs):
        from sonar.accounts.models import Organisation
        from sonar.logbook.models import Project

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            memberships__user=user
        ).order_by("name")
        self.fields["project"].queryset = Project.objects.of(user).order_by("title", "pk")
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "Choisissez une de vos organisations."
        )
        self.fields["project"].error_messages["invalid_choice"] = _(
            "Choisissez un des projets dont vous faites partie."
        )
