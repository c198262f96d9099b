"""French sentences for the pydantic errors that no schema words itself (bodies and parameters
alike)."""

from django.utils.translation import gettext as _


def field_message(error):
    """A French sentence for a pydantic error that no schema words itself."""
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind.startswith("sonar_"):
        return error["msg"]
    if kind == "missing":
        return _("Champ obligatoire.")
    if kind == "extra_forbidden":
        return _("Champ inconnu.")
    if kind == "string_too_long":
        return _("Au plus %d caractères.") % context.get("max_length", 0)
    if kind == "string_too_short":
        return _("Ce texte est trop court.")
    if kind in ("string_type", "string_unicode"):
        return _("Un texte est attendu.")
    if kind in ("int_type", "int_parsing"):
        return _("Un nombre entier est attendu.")
    if kind == "literal_error":
        return _("Valeur inconnue : choisissez parmi %s.") % context.get("expected", "")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Un objet est attendu.")
    if kind == "list_type":
        return _("Une liste est attendue.")
    return _("Valeur invalide.")
