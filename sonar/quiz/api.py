"""The diagnostics' JSON API: the same read model and scoring as the pages.

Texts are French unless `?lang=en`. Every error has the site's one shape,
`{"error": "<sentence>", "fields": {...}}` (sonar.core.errors.api_error), never a 500.
"""

import json
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from sonar.core import errors, pagecache
from sonar.quiz import data

LANGUAGES = ("fr", "en")


def in_requested_language(view):
    """Run the view in the language `?lang=` names (French by default)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang", "fr")
        if lang not in LANGUAGES:
            with translation.override("fr"):
                return errors.api_error(
                    _("Langue inconnue."),
                    400,
                    {"lang": _("Choisissez « fr » ou « en ».")},
                )
        with translation.override(lang):
            return view(request, *args, **kwargs)

    return wrapper


def _unknown(key):
    return errors.api_error(_("Aucun questionnaire ne porte la clé « %s ».") % key, 404)


@require_safe
@in_requested_language
@pagecache.kept(sessions=True)
def questionnaire(request, key):
    quiz = data.get(key)
    if quiz is None:
        return _unknown(key)
    return JsonResponse(quiz.as_dict(), json_dumps_params={"ensure_ascii": False})


# Exempt from CSRF: the endpoint takes JSON from non-browser clients and only computes a score;
# it writes nothing and reads no cookie-bound state, so a forged request gains nothing.
@csrf_exempt
@require_POST
@in_requested_language
def score(request, key):
    quiz = data.get(key)
    if quiz is None:
        return _unknown(key)
    body, problem = _read_json(request)
    if problem is not None:
        return problem
    if not isinstance(body, dict):
        return errors.api_error(
            _('Le corps de la requête doit être un objet JSON, par exemple {"answers": {…}}.'),
            400,
            {"body": _("Un objet JSON est attendu.")},
        )
    fields = {
        name: _("Champ inconnu : seul « answers » est attendu.")
        for name in body
        if name != "answers"
    }
    if "answers" not in body:
        fields["answers"] = _("Champ obligatoire : une réponse par question, par exemple %s.") % (
            _example(quiz)
        )
    else:
        fields.update(quiz.validate(body["answers"]))
    if fields:
        if quiz.ladder:
            message = _("Les réponses envoyées ne permettent pas de calculer une étape.")
        else:
            message = _("Les réponses envoyées ne permettent pas de calculer un profil.")
        return errors.api_error(message, 400, fields)
    return JsonResponse(
        quiz.score_dict(quiz.score(body["answers"])), json_dumps_params={"ensure_ascii": False}
    )


def _example(quiz):
    return json.dumps({q.key: q.choices[0].key for q in quiz.questions[:2]})


def _read_json(request):
    """Read at most the API's size limit of JSON, whatever Content-Length says.

    The body-size middleware refuses a declared length over the limit; a chunked body (no
    length) or a lying one is caught here by reading one byte past the limit.
    """
    content_type = request.content_type or ""
    if content_type != "application/json":
        return None, errors.api_error(
            _("Le corps de la requête doit être du JSON (Content-Type: application/json)."),
            400,
            {"content_type": _("« application/json » est attendu.")},
        )
    limit = settings.API_MAX_BODY_BYTES
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return None, errors.too_large(request, limit)
    try:
        return json.loads(raw.decode(request.encoding or "utf-8")), None
    except (UnicodeDecodeError, LookupError, ValueError, RecursionError):
        return None, errors.api_error(
            _("Le corps de la requête n’est pas du JSON valable."),
            400,
            {"body": _("JSON illisible : vérifiez les guillemets, virgules et accolades.")},
        )
