"""The workshops' JSON API: the same actions and data as the pages.

Errors have the site's one shape (`{"error": …, "fields": …}`) and say what to do: 400 for a
body or a choice that does not fit, 403 for a missing or forged token, 404 for an unknown code
or question, 409 for a closed workshop or a question not open yet, 429 after too many wrong
codes from one address. Never a 500.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sonar.core import errors
from sonar.core.links import absolute
from sonar.quiz import data as quiz_data
from sonar.quiz.api import _read_json, in_requested_language
from sonar.workshops import access, actions, results
from sonar.workshops.models import Workshop


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _refused(problem):
    return errors.api_error(problem.message, problem.status, problem.fields)


def _object_body(request):
    body, problem = _read_json(request)
    if problem is None and not isinstance(body, dict):
        problem = errors.api_error(
            _("Le corps de la requête doit être un objet JSON."),
            400,
            {"body": _("Un objet JSON est attendu.")},
        )
    return body, problem


def _workshop(request, code, *, limited=False):
    """The workshop with this code, or the 404 (429 past the wrong-code limit) to return."""
    if limited:
        workshop, blocked = access.find(request, code)
    else:
        workshop, blocked = Workshop.objects.by_code(code), False
    if blocked:
        return None, errors.api_error(
            _(
                "Trop de codes erronés depuis cette adresse : réessayez dans %(minutes)d minutes "
                "au plus."
            )
            % {"minutes": access.WRONG_CODE_WINDOW_SECONDS // 60},
            429,
        )
    if workshop is None:
        return None, errors.api_error(_("Aucun atelier ne porte le code « %s ».") % code, 404)
    return workshop, None


# Exempt from CSRF: these endpoints are for programs that send a JSON body and a Bearer token,
# never a browser's cookies; the pages have their own CSRF-protected forms.
@csrf_exempt
@require_POST
@in_requested_language
@access.uses_database
def create(request):
    body, problem = _object_body(request)
    if problem:
        return problem
    fields = {}
    quiz = quiz_data.get(str(body.get("questionnaire", "")))
    if quiz is None or not quiz.questions:
        fields["questionnaire"] = _("Questionnaire inconnu, par exemple « style ».")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 120:
        fields["title"] = _("Un titre de 1 à 120 caractères est attendu.")
    mode = body.get("mode", Workshop.Mode.PACED)
    if mode not in Workshop.Mode.values:
        fields["mode"] = _("Choisissez « paced » ou « self-paced ».")
    if fields:
        return errors.api_error(_("L’atelier ne peut pas être créé ainsi."), 400, fields)
    workshop, token = actions.create_workshop(quiz, title, mode)
    return _json(
        {
            "code": workshop.code,
            "join_url": absolute(workshop.get_absolute_url()),
            "facilitator_url": absolute(reverse("workshops:secret", args=[workshop.code, token])),
            "facilitator_token": token,
        },
        201,
    )


@csrf_exempt
@require_POST
@in_requested_language
@access.uses_database
def participants(request, code):
    workshop, problem = _workshop(request, code, limited=True)
    if problem:
        return problem
    pseudonym = ""
    # The body is optional: only a JSON one is read (for its pseudonym).
    if request.content_type == "application/json" and request.body:
        body, problem = _object_body(request)
        if problem:
            return problem
        # null is "no pseudonym"; false, 0 or a list is not a pseudonym at all.
        pseudonym = body.get("pseudonym")
        pseudonym = "" if pseudonym is None else pseudonym
        if not isinstance(pseudonym, str) or len(pseudonym) > 40:
            return errors.api_error(
                _("Le pseudonyme ne convient pas."),
                400,
                {"pseudonym": _("Au plus 40 caractères.")},
            )
    try:
        _participant, token = actions.join(workshop, pseudonym)
    except actions.WorkshopError as refused:
        return _refused(refused)
    return _json({"participant_token": token}, 201)


def _participant(request, workshop):
    person = access.participant(request, workshop) if access.bearer(request) else None
    if person is None:
        return None, errors.api_error(
            _("Jeton de participant absent ou invalide (en-tête Authorization: Bearer …)."), 403
        )
    return person, None


@csrf_exempt
@require_http_methods(["PUT"])
@in_requested_language
@access.uses_database
def answer(request, code, question_key):
    """Idempotent: the last answer to a question is the one that counts. 200 means stored."""
    workshop, problem = _workshop(request, code)
    if problem:
        return problem
    person, problem = _participant(request, workshop)
    if problem:
        return problem
    body, problem = _object_body(request)
    if problem:
        return problem
    choice = body.get("choice")
    if not isinstance(choice, str):
        return errors.api_error(
            _("Réponse manquante."), 400, {"choice": _("La clé d’un choix est attendue.")}
        )
    try:
        version = actions.answer(workshop, person, question_key, choice)
    except actions.WorkshopError as refused:
        return _refused(refused)
    return _json({"question": question_key, "choice": choice, "version": version})


@require_safe
@in_requested_language
@access.uses_database
def me(request, code):
    """A participant's own view: their answers and profile; the team's only once revealed."""
    workshop, problem = _workshop(request, code)
    if problem:
        return problem
    person, problem = _participant(request, workshop)
    if problem:
        return problem
    quiz = results.quiz_of(workshop)
    answers = quiz.known_answers(person.answers_by_question())
    score = quiz.score(answers)
    team = None
    if workshop.revealed:
        team = results.tally(workshop, quiz)["profiles"]
    if quiz.ladder:
        # A ladder's outcomes are stages: the same data, named for what it is.
        mine = {"stage": quiz.score_dict(score)["stage"], "team_stages": team}
    else:
        mine = {"profile": score.as_dict(), "team_profiles": team}
    return _json(
        {
            "answers": answers,
            **mine,
            "revealed": workshop.revealed,
            "open": workshop.is_open,
        }
    )


@require_safe
@in_requested_language
@access.uses_database
def results_view(request, code):
    workshop, problem = _workshop(request, code)
    if problem:
        return problem
    if not access.is_facilitator(request, workshop):
        return errors.api_error(
            _("Les résultats sont réservés à l’animateur (jeton d’animation en Bearer)."), 403
        )
    tally = results.tally(workshop)
    return _json(
        {
            "participants": tally["participants"],
            "answers": tally["answers"],
            "profiles": tally["profiles"],
            "revealed": workshop.revealed,
        }
    )


@require_safe
@in_requested_language
@access.uses_database
def snapshot(request, code):
    """The live snapshot, for screens that cannot keep an event stream open (polling)."""
    workshop, problem = _workshop(request, code)
    if problem:
        return problem
    response = _json(results.snapshot(workshop))
    response["Cache-Control"] = "no-store"
    return response
