"""A question written by the facilitator: single or multiple choice, 2 to 8 choices.

A choice may be tied to a profile of the style quiz (`profile`), so the debrief can say which
approaches the room leans on for this question. The answer is stored as sent and checked:
`{"choices": ["c1", …]}`, one key for a single choice.
"""

import re

from django.utils.translation import gettext as _

from sonar.workshops.kinds import Kind, Refused, register

# The style quiz's profile keys (content/quiz/style.yaml), x § ¿ #.
STYLE_PROFILES = ("culture", "technique", "usages", "hybride")
MIN_CHOICES = 2
MAX_CHOICES = 8
PROMPT_MAX = 300
LABEL_MAX = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def _text(value, limit):
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    if not value or len(value) > limit or _CONTROL.search(value):
        return None
    return value


@register
class Choice(Kind):
    key = "choice"

    def label(self):
        return _("Une question à choix")

    def build(self, spec):
        fields = {}
        prompt = _text(spec.get("prompt"), PROMPT_MAX)
        if prompt is None:
            fields["prompt"] = _("Une question de 1 à %d caractères, sur une ligne.") % PROMPT_MAX
        raw = spec.get("choices")
        choices = []
        if not isinstance(raw, list) or not MIN_CHOICES <= len(raw) <= MAX_CHOICES:
            fields["choices"] = _("De %(min)d à %(max)d choix sont attendus.") % {
                "min": MIN_CHOICES,
                "max": MAX_CHOICES,
            }
        else:
            profiles = self._profiles()
            for number, item in enumerate(raw, start=1):
                label, profile = (
                    (item.get("label"), item.get("profile"))
                    if isinstance(item, dict)
                    else (item, None)
                )
                label = _text(label, LABEL_MAX)
                if label is None:
                    fields[f"choices.{number - 1}"] = (
                        _("Un choix de 1 à %d caractères, sur une ligne.") % LABEL_MAX
                    )
                    continue
                if profile not in (None, "") and profile not in profiles:
                    fields[f"choices.{number - 1}"] = _(
                        "Profil inconnu : choisissez parmi %s."
                    ) % ", ".join(f"« {key} »" for key in profiles)
                    continue
                choice = {"key": f"c{number}", "label": label}
                if profile:
                    choice["profile"] = profile
                choices.append(choice)
            labels = [c["label"].casefold() for c in choices]
            if len(set(labels)) != len(labels):
                fields["choices"] = _("Deux choix portent le même libellé.")
        multiple = spec.get("multiple", False)
        if not isinstance(multiple, bool):
            fields["multiple"] = _("Vrai ou faux est attendu.")
        if fields:
            raise Refused(_("Cette question ne peut pas être créée ainsi."), fields)
        title = _text(spec.get("title"), 200) or prompt
        return title, {"prompt": prompt, "choices": choices, "multiple": multiple}

    @staticmethod
    def _profiles():
        """The style quiz's profiles. A constant, not a query: the déroulés are checked before
        anything is loaded (tests/workshops/test_steps.py holds it to the quiz's content)."""
        return list(STYLE_PROFILES)

    def choices(self, step):
        return [{"key": c["key"], "label": c["label"]} for c in step.config.get("choices", [])]

    def read_answer(self, step, body):
        known = [c["key"] for c in step.config.get("choices", [])]
        listed = ", ".join(f"« {key} »" for key in known)
        multiple = step.config.get("multiple", False)
        if multiple:
            picked = body.get("choices")
            if isinstance(picked, str):
                picked = [picked]
            if picked is None and body.get("choice") is not None:
                picked = [body.get("choice")]
        else:
            picked = body.get("choice")
            picked = [picked] if picked is not None else None
            if body.get("choices") is not None:
                raise Refused(
                    _("Cette question n’accepte qu’un choix."),
                    {"choices": _("Envoyez un seul choix dans « choice ».")},
                )
        field = "choices" if multiple else "choice"
        if not picked or not isinstance(picked, list):
            raise Refused(
                _("Choisissez une réponse pour l’enregistrer."),
                {field: _("Choisissez parmi %s.") % listed},
            )
        unknown = [p for p in picked if p not in known]
        if unknown:
            raise Refused(
                _("Cette réponse ne convient pas."),
                {field: _("Réponse inconnue : choisissez parmi %s.") % listed},
            )
        # Sent twice is chosen once; stored in the question's order.
        return {"choices": [key for key in known if key in picked]}

    def count(self, step, values):
        counts = {c["key"]: 0 for c in step.config.get("choices", [])}
        profiles = {}
        by_key = {c["key"]: c for c in step.config.get("choices", [])}
        answered = 0
        for value in values:
            picked = [key for key in value.get("choices", []) if key in counts]
            if picked:
                answered += 1
            for key in picked:
                counts[key] += 1
                profile = by_key[key].get("profile")
                if profile:
                    profiles[profile] = profiles.get(profile, 0) + 1
        out = {"counts": counts, "answered": answered}
        if profiles:
            out["profiles"] = profiles
        return out
