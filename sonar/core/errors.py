"""One error shape for the whole site.

Pages get a French (or English) page that says what happened and what to do; the API gets
`{"error": "<sentence>", "fields": {"<field>": "<sentence>"}}` with the matching status.
"""

import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TITLES = {
    400: gettext_lazy("Requête incorrecte"),
    403: gettext_lazy("Accès refusé"),
    404: gettext_lazy("Page introuvable"),
    405: gettext_lazy("Méthode non permise"),
    413: gettext_lazy("Envoi trop volumineux"),
    500: gettext_lazy("Erreur du serveur"),
    503: gettext_lazy("Service momentanément indisponible"),
}

logger = logging.getLogger(__name__)

MESSAGES = {
    400: gettext_lazy(
        "Le navigateur a envoyé une demande que Sonar ne comprend pas. "
        "Revenez à la page précédente et réessayez."
    ),
    403: gettext_lazy("Vous n’avez pas accès à cette page."),
    404: gettext_lazy(
        "Cette adresse ne correspond à aucune page de Sonar. "
        "Elle a peut-être été mal recopiée, ou la page a été déplacée."
    ),
    405: gettext_lazy("Cette adresse ne s’utilise pas de cette façon."),
    413: gettext_lazy("Ce que vous avez envoyé dépasse la taille permise."),
    500: gettext_lazy(
        "Une erreur inattendue s’est produite de notre côté. Elle a été enregistrée ; "
        "réessayez dans quelques instants."
    ),
    503: gettext_lazy("Sonar ne peut pas répondre pour le moment. Réessayez dans une minute."),
}


def is_api_path(path):
    return "/api/" in path or path.startswith("/healthz")


def is_api(request):
    return is_api_path(request.path_info)


def api_error(message, status=400, fields=None):
    return JsonResponse({"error": str(message), "fields": fields or {}}, status=status)


def page(request, status, message=None):
    """The error page in the site's layout; it never touches the database, so it still shows
    when the database is what failed."""
    title = TITLES.get(status, TITLES[400])
    message = message or MESSAGES.get(status, MESSAGES[400])
    context = {
        "status": status,
        "title": title,
        "message": message,
        # The layout's flash messages live in the session, hence in the database.
        "messages": (),
    }
    try:
        return render(request, "core/error.html", context, status=status)
    except Exception:
        if status < 500:
            raise
        # The last resort of the last resort: a bare page that cannot fail in turn.
        logger.exception("The error page could not be rendered")
        return HttpResponse(
            f'<!DOCTYPE html><html lang="fr"><meta charset="utf-8">'
            f"<title>{escape(title)} — Sonar</title><h1>{escape(title)}</h1>"
            f"<p>{escape(message)}</p></html>",
            status=status,
        )


def respond(request, status, message=None):
    if is_api(request):
        return api_error(message or MESSAGES.get(status, MESSAGES[400]), status)
    return page(request, status, message)


def too_large_message(limit):
    return _("Ce que vous avez envoyé dépasse la taille permise (%(kb)s Ko au plus).") % {
        "kb": limit // 1024
    }


def too_large(request, limit):
    return respond(request, 413, too_large_message(limit))
