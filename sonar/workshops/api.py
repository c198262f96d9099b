"""The workshops' JSON API: the same actions and data as the pages.

Errors have the API's one shape (sonar.core.api) and say what to do: 400 for a body or a choice
that does not fit, 403 for a missing or forged token, 404 for an unknown code or question, 409
for a closed workshop or a question not open yet, 429 after too many wrong codes from one
network (sonar.workshops.access). Never a 500.
"""

from typing import Annotated, Literal

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router
from ninja.responses import Status
from pydantic import Field, field_validator

from sonar.core.api import BODY, NOT_FOUND, ApiError, Out, answers
from sonar.core.api.bodies import JsonBody, Payload, SingleLine
from sonar.core.links import absolute
from sonar.quiz import data as quiz_data
from sonar.workshops import access, actions, mails, results
from sonar.workshops.debrief import TeamReport
from sonar.workshops.models import Workshop, WorkshopTemplate

TAG = {"name": "workshops", "description": "Les ateliers : créer, rejoindre, répondre."}
router = Router(tags=[TAG["name"]])
# Each request in one of the process's database slots, its connection closed at the end: the
# token checks and the body's validation included (access.uses_database).
router.add_decorator(access.uses_database, mode="view")

Count = Annotated[int, Field(ge=0)]
Counts = dict[str, Count]


class NewChoice(Payload):
    label: SingleLine(120)
    profile: SingleLine(20) | None = Field(
        None, description="Le profil du test de style auquel ce choix se rattache, « usages »."
    )


class NewStep(Payload):
    """Une étape : `style`, `maturity`, ou `choice` (une question de l’animateur, de 2 à 8
    choix, `multiple` pour plusieurs réponses)."""

    kind: SingleLine(32) = Field(description="« style », « maturity » ou « choice ».")
    title: SingleLine(200) | None = None
    prompt: SingleLine(300) | None = Field(None, description="La question (choice).")
    choices: list[SingleLine(120) | NewChoice] | None = Field(
        None, max_length=50, description="De 2 à 8 choix (choice)."
    )
    multiple: bool = False


class NewWorkshop(Payload):
    refusal = gettext_lazy("L’atelier ne peut pas être créé ainsi.")
    messages = {
        "questionnaire": gettext_lazy("Questionnaire inconnu, par exemple « style »."),
        "template": gettext_lazy("Déroulé inconnu : voir GET /api/v1/workshop-templates."),
        "title": gettext_lazy("Un titre de 1 à 120 caractères est attendu."),
        "mode": gettext_lazy("Choisissez « paced » ou « self-paced »."),
    }
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"questionnaire": "style", "title": "Atelier du mardi", "mode": "self-paced"},
                {"title": "Équipe voirie", "mode": "paced", "template": "equipe-1h"},
                {
                    "title": "Atelier du jeudi",
                    "mode": "paced",
                    "steps": [
                        {"kind": "style"},
                        {"kind": "choice", "prompt": "Par où commencer ?", "choices": ["A", "B"]},
                    ],
                },
            ]
        }
    }

    questionnaire: SingleLine(60) | None = Field(
        None, description="La clé d’un diagnostic, « style » (un atelier d’une étape)."
    )
    template: SingleLine(60) | None = Field(None, description="La clé d’un déroulé.")
    steps: list[NewStep] | None = Field(
        None, max_length=50, description="Les étapes, dans l’ordre."
    )
    title: SingleLine(120) = Field(min_length=1)
    mode: Literal["paced", "self-paced"] = Workshop.Mode.PACED.value

    @field_validator("questionnaire")
    @classmethod
    def _known(cls, key):
        if key is None:
            return key
        quiz = quiz_data.get(key)
        if quiz is None or not quiz.questions:
            raise ValueError("unknown questionnaire")
        return key

    @field_validator("template")
    @classmethod
    def _known_template(cls, key):
        if key is not None and not WorkshopTemplate.objects.filter(key=key).exists():
            raise ValueError("unknown template")
        return key

    @field_validator("title")
    @classmethod
    def _not_blank(cls, title):
        if not title.strip():
            raise ValueError("blank title")
        return title


class StepKey(Out):
    key: str
    kind: str
    title: str


class CreatedWorkshop(Out):
    code: str
    join_url: str = Field(description="Le lien pour rejoindre, avec la clé de la salle.")
    facilitator_url: str
    facilitator_token: str = Field(
        description="À garder : le jeton d’animation (Bearer) des résultats."
    )
    steps: list[StepKey] = []


class Joining(Payload):
    refusal = gettext_lazy("Le pseudonyme ne convient pas.")
    messages = {"pseudonym": gettext_lazy("Au plus 40 caractères.")}

    pseudonym: SingleLine(40) | None = None


class Joined(Out):
    participant_token: str


class NewAnswer(Payload):
    refusal = gettext_lazy("Réponse manquante.")
    messages = {"choice": gettext_lazy("La clé d’un choix est attendue.")}
    model_config = {"json_schema_extra": {"example": {"choice": "q1a"}}}

    choice: SingleLine(100) = Field(description="La clé d’un choix, « q1a ».")


class StoredAnswer(Out):
    question: str
    choice: str
    version: Count


class Tally(Out):
    participants: Count
    answers: dict[str, Counts]
    profiles: Counts


class ChoiceOut(Out):
    key: str
    label: str


class StepState(Out):
    key: str
    kind: str
    title: str
    open: bool
    revealed: bool
    choices: list[ChoiceOut]
    multiple: bool
    answered: Count
    seconds_left: int | None = Field(None, description="Le minuteur : secondes restantes.")
    deadline: str | None = Field(None, description="La fin du minuteur (ISO 8601, serveur).")


class Snapshot(Out):
    version: Count
    code: str
    stage: str
    mode: Literal["paced", "self-paced"]
    open: bool
    revealed: bool
    current: str | None
    current_number: int | None
    questions: Count
    participants: Count
    answers: Count
    answered: Counts
    results: Tally | None
    current_step: str | None = None
    steps: list[StepState] = []


class Stage(Out):
    key: str
    rank: int = Field(ge=1)
    name: str


class ProfileScore(Out):
    counts: Counts
    profiles: list[str]
    mixed: bool


class Me(Out):
    """Ses réponses et son profil (`profile`, ou `stage` pour une échelle) ; ceux de l’équipe
    (`team_profiles` ou `team_stages`) une fois les résultats révélés."""

    answers: dict[str, str]
    profile: ProfileScore | None = None
    team_profiles: Counts | None = None
    stage: Stage | None = None
    team_stages: Counts | None = None
    revealed: bool
    open: bool


class StepCounts(Out):
    counts: Counts


class Team(Out):
    profiles: Counts
    leading: list[str] = Field(description="Les profils à égalité en tête, dans l’ordre x § ¿ #.")
    tie: bool


class Results(Tally):
    revealed: bool
    steps: dict[str, StepCounts] = {}
    team: Team | None = None


class Template(Out):
    key: str
    title: str
    summary: str
    minutes: Count
    mode: str
    steps: list[dict]


class StepAnswerBody(Payload):
    refusal = gettext_lazy("Réponse manquante.")
    model_config = {"json_schema_extra": {"example": {"choice": "c1"}}}

    choice: SingleLine(100) | None = Field(None, description="La clé d’un choix, « c1 ».")
    choices: list[SingleLine(100)] | None = Field(
        None, max_length=50, description="Les clés des choix, quand `multiple` est vrai."
    )


class StoredStepAnswer(Out):
    step: str
    value: dict
    version: Count


class Control(Payload):
    refusal = gettext_lazy("Cette commande ne convient pas.")
    messages = {
        "action": gettext_lazy(
            "Choisissez parmi « open », « next », « previous », « reveal », « hide », "
            "« close », « reopen », « timer »."
        ),
        "seconds": gettext_lazy("Un nombre de secondes est attendu."),
    }
    model_config = {"json_schema_extra": {"example": {"action": "next"}}}

    action: Literal["open", "next", "previous", "reveal", "hide", "close", "reopen", "timer"]
    step: SingleLine(40) | None = Field(None, description="La clé de l’étape visée.")
    seconds: int | None = Field(None, ge=0, le=7200, description="La durée du minuteur.")


def _workshop(request, code, *, facilitator=False):
    """The workshop with this code, through the one lookup that counts wrong codes (and, with
    `facilitator`, the one facilitator check)."""
    try:
        if facilitator:
            return access.facilitated(request, code)
        return access.lookup(request, code)
    except access.CodeRefused as refused:
        if refused.status == 429:
            raise ApiError(
                _(
                    "Trop de codes erronés depuis cette adresse : réessayez dans %(minutes)d "
                    "minutes au plus."
                )
                % {"minutes": access.WRONG_CODE_WINDOW_SECONDS // 60},
                429,
            ) from None
        raise ApiError(_("Aucun atelier ne porte le code « %s ».") % code, 404) from None
    except access.NotFacilitator:
        raise ApiError(
            _("Les résultats sont réservés à l’animateur (jeton d’animation en Bearer)."), 403
        ) from None


class ParticipantToken:
    """The participant's token (`Authorization: Bearer`), checked before the body is read:
    an unknown code is a 404, then a missing or forged token a 403, then a bad body a 400."""

    openapi_security_schema = {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "Le jeton de participant que renvoie `POST /api/v1/workshops/{code}/participants`."
        ),
    }

    def __call__(self, request):
        workshop = _workshop(request, request.resolver_match.kwargs["code"])
        person = access.participant(request, workshop) if access.bearer(request) else None
        if person is None:
            raise ApiError(
                _("Jeton de participant absent ou invalide (en-tête Authorization: Bearer …)."),
                403,
            )
        person.workshop = workshop
        return person


class FacilitatorToken:
    """The facilitator's token (Bearer, or the cookie the pages set): the one facilitator
    check, access.facilitated."""

    openapi_security_schema = {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "Le jeton d’animation que renvoie `POST /api/v1/workshops`. Les pages l’envoient "
            "dans le cookie `sonar-animation-{code}` (httponly), accepté aussi par l’API."
        ),
    }

    def __call__(self, request):
        return _workshop(request, request.resolver_match.kwargs["code"], facilitator=True)


def _acted(action, *args):
    try:
        return action(*args)
    except actions.WorkshopError as refused:
        raise ApiError(refused.message, refused.status, refused.fields) from None


CODE = "/workshops/{str:code}"
TOO_MANY = (429,)


@router.post(
    "/workshops",
    url_name="api-workshops",
    operation_id="workshop-create",
    summary="Créer un atelier ; la réponse donne le jeton d’animation",
    response=answers(CreatedWorkshop, BODY, status=201),
)
def create(request, workshop: Annotated[NewWorkshop, JsonBody(...)]):
    """One of three bodies: `questionnaire` (one step, as before), `template` (a déroulé) or
    `steps` (the list of steps)."""
    given = [name for name in ("questionnaire", "template", "steps") if getattr(workshop, name)]
    if len(given) != 1:
        raise ApiError(
            _("L’atelier ne peut pas être créé ainsi."),
            400,
            {
                name: _("Donnez soit « questionnaire », soit « template », soit « steps ».")
                for name in given or ("steps",)
            },
        )
    quiz = quiz_data.get(workshop.questionnaire or "style")
    if workshop.template:
        template = WorkshopTemplate.objects.get(key=workshop.template)
        specs = template.specs()
    elif workshop.steps:
        specs = [step.model_dump(exclude_none=True) for step in workshop.steps]
    else:
        specs = None
    steps = _acted(actions.build_steps, specs) if specs is not None else None
    created, token = actions.create_workshop(quiz, workshop.title, workshop.mode, steps)
    return Status(
        201,
        {
            "code": created.code,
            "join_url": access.room_link(created),
            "facilitator_url": absolute(reverse("workshops:secret", args=[created.code, token])),
            "facilitator_token": token,
            "steps": [
                {"key": s.key, "kind": s.kind, "title": s.title} for s in created.ordered_steps()
            ],
        },
    )


@router.api_operation(
    ["GET", "HEAD"],
    "/workshop-templates",
    url_name="api-workshop-templates",
    operation_id="workshop-templates",
    summary="Les déroulés : des ateliers prêts à lancer, avec leurs étapes",
    response=answers(list[Template]),
)
def templates(request):
    return [
        {
            "key": t.key,
            "title": t.title,
            "summary": t.summary,
            "minutes": t.minutes,
            "mode": t.mode,
            "steps": [
                {"kind": s["kind"], "title": s.get("title") or "", "minutes": s.get("minutes")}
                for s in t.specs()
            ],
        }
        for t in WorkshopTemplate.objects.all()
    ]


@router.api_operation(
    ["GET", "HEAD"],
    CODE,
    url_name="api-workshop",
    operation_id="workshop",
    summary="L’état en direct d’un atelier (pour les écrans qui interrogent)",
    response=answers(Snapshot, NOT_FOUND, TOO_MANY),
)
def snapshot(request, code: str, response: HttpResponse):
    """The live snapshot, for screens that cannot keep an event stream open (polling)."""
    workshop = _workshop(request, code)
    response["Cache-Control"] = "no-store"
    return results.snapshot(workshop)


@router.post(
    CODE + "/participants",
    url_name="api-workshop-participants",
    operation_id="workshop-join",
    summary="Rejoindre un atelier ; la réponse donne le jeton de participant",
    response=answers(Joined, NOT_FOUND, (409,), BODY, TOO_MANY, status=201),
)
def participants(request, code: str, joining: Annotated[Joining | None, JsonBody(None)] = None):
    """The body is optional: only a JSON one is read, for its pseudonym."""
    workshop = _workshop(request, code)
    pseudonym = (joining.pseudonym if joining else None) or ""
    _person, token = _acted(actions.join, workshop, pseudonym)
    return Status(201, {"participant_token": token})


@router.put(
    CODE + "/answers/{slug:question_key}",
    url_name="api-workshop-answer",
    operation_id="workshop-answer",
    summary="Répondre à une question (idempotent : la dernière réponse compte)",
    response=answers(StoredAnswer, (403,), NOT_FOUND, (409,), BODY, TOO_MANY),
    auth=ParticipantToken(),
)
def answer(request, code: str, question_key: str, body: Annotated[NewAnswer, JsonBody(...)]):
    """Idempotent: the last answer to a question is the one that counts. 200 means stored."""
    person = request.auth
    version = _acted(actions.answer, person.workshop, person, question_key, body.choice)
    return {"question": question_key, "choice": body.choice, "version": version}


@router.api_operation(
    ["GET", "HEAD"],
    CODE + "/me",
    url_name="api-workshop-me",
    operation_id="workshop-me",
    summary="Ses propres réponses et son profil ; ceux de l’équipe une fois révélés",
    response=answers(Me, (403,), NOT_FOUND, TOO_MANY),
    auth=ParticipantToken(),
    exclude_unset=True,
)
def me(request, code: str):
    """A participant's own view: their answers and profile; the team's only once revealed."""
    person = request.auth
    workshop = person.workshop
    quiz = results.quiz_of(workshop)
    mine = quiz.known_answers(person.answers_by_question())
    score = quiz.score(mine)
    team = results.tally(workshop, quiz)["profiles"] if workshop.revealed else None
    if quiz.ladder:
        # A ladder's outcomes are stages: the same data, named for what it is.
        own = {"stage": quiz.score_dict(score)["stage"], "team_stages": team}
    else:
        own = {"profile": score.as_dict(), "team_profiles": team}
    return {"answers": mine, **own, "revealed": workshop.revealed, "open": workshop.is_open}


@router.api_operation(
    ["GET", "HEAD"],
    CODE + "/results",
    url_name="api-workshop-results",
    operation_id="workshop-results",
    summary="Les résultats complets, pour l’animateur",
    response=answers(Results, (403,), NOT_FOUND, TOO_MANY),
    auth=FacilitatorToken(),
)
def results_view(request, code: str):
    workshop = request.auth
    quiz = results.quiz_of(workshop)
    tally = results.tally(workshop, quiz)
    report = TeamReport(workshop, quiz, tally)
    return {
        "participants": tally["participants"],
        "answers": tally["answers"],
        "profiles": tally["profiles"],
        "revealed": workshop.revealed,
        "steps": results.step_results(workshop),
        "team": {
            "profiles": tally["profiles"],
            "leading": [o.key for o in report.leading],
            "tie": report.tie,
        },
    }


# Co-facilitators ------------------------------------------------------------------------------


class NewFacilitator(Payload):
    refusal = gettext_lazy("La personne ne peut pas être ajoutée ainsi.")
    messages = {"email": gettext_lazy("Une adresse électronique est attendue.")}
    model_config = {"json_schema_extra": {"example": {"email": "collegue@ville.fr"}}}

    email: SingleLine(254) = Field(description="L’adresse de la personne qui co-anime.")


class Facilitator(Out):
    id: int
    email: str
    role: Literal["owner", "co"]
    withdrawn: bool


def _managed(request):
    """The workshop, when this request may add and withdraw co-facilitators (the creation
    link's token, or its signed-in owner); 403 for a co-facilitator."""
    workshop = request.auth
    if not access.manages_access(request, workshop):
        raise ApiError(
            _(
                "Seule la personne qui a créé l’atelier (son jeton d’animation) ajoute et retire "
                "les co-animateurs."
            ),
            403,
        )
    return workshop


def _facilitator(facilitation):
    return {
        "id": facilitation.pk,
        "email": facilitation.email,
        "role": facilitation.role,
        "withdrawn": facilitation.withdrawn_at is not None,
    }


@router.api_operation(
    ["GET", "HEAD"],
    CODE + "/facilitators",
    url_name="api-workshop-facilitators",
    operation_id="workshop-facilitators",
    summary="Les personnes qui animent l’atelier, accès retirés compris",
    response=answers(list[Facilitator], (403,), NOT_FOUND, TOO_MANY),
    auth=FacilitatorToken(),
)
def facilitators(request, code: str):
    return [_facilitator(f) for f in request.auth.facilitations.all()]


@router.post(
    CODE + "/facilitators",
    url_name="api-workshop-facilitators",
    operation_id="workshop-facilitator-add",
    summary="Ajouter une personne à la co-animation ; son lien lui est envoyé par courriel",
    response=answers(Facilitator, (403,), NOT_FOUND, (409,), BODY, TOO_MANY, status=201),
    auth=FacilitatorToken(),
)
def add_facilitator(request, code: str, person: Annotated[NewFacilitator, JsonBody(...)]):
    """Her own link travels only in the e-mail (sonar.workshops.mails: at most a few e-mails an
    hour per client and per address, then 429)."""
    workshop = _managed(request)
    added = _acted(
        actions.add_cofacilitator,
        workshop,
        person.email,
        lambda email: mails.refusal(request, email),
    )
    return Status(201, _facilitator(added))


@router.delete(
    CODE + "/facilitators/{int:facilitation_id}",
    url_name="api-workshop-facilitator",
    operation_id="workshop-facilitator-withdraw",
    summary="Retirer l’accès d’une personne qui co-anime : il cesse aussitôt",
    response=answers(None, (403,), NOT_FOUND, TOO_MANY, status=204),
    auth=FacilitatorToken(),
)
def withdraw_facilitator(request, code: str, facilitation_id: int):
    workshop = _managed(request)
    _acted(actions.withdraw_facilitation, workshop, facilitation_id)
    return Status(204, None)


@router.put(
    CODE + "/steps/{slug:step_key}/answer",
    url_name="api-workshop-step-answer",
    operation_id="workshop-step-answer",
    summary="Répondre à une étape (question de l’animateur) ; la dernière réponse compte",
    response=answers(StoredStepAnswer, (403,), NOT_FOUND, (409,), BODY, TOO_MANY),
    auth=ParticipantToken(),
)
def step_answer(request, code: str, step_key: str, body: Annotated[StepAnswerBody, JsonBody(...)]):
    """`{"choice": "c1"}`, or `{"choices": ["c1", "c3"]}` for a multiple choice. 200 means
    stored. A questionnaire step (style, maturity) is answered per question, at
    `PUT …/answers/{question_key}`."""
    person = request.auth
    step, value, version = _acted(
        actions.answer_step,
        person.workshop,
        person,
        step_key,
        body.model_dump(exclude_none=True),
    )
    return {"step": step.key, "value": value, "version": version}


@router.post(
    CODE + "/control",
    url_name="api-workshop-control",
    operation_id="workshop-control",
    summary="Piloter l’atelier : ouvrir, suivant, précédent, révéler, masquer, clore, rouvrir",
    response=answers(Snapshot, (403,), NOT_FOUND, (409,), BODY, TOO_MANY),
    auth=FacilitatorToken(),
)
def control(request, code: str, command: Annotated[Control, JsonBody(...)]):
    """What the control page does. `step` names the step (open, reveal, hide, close, reopen,
    timer); without it reveal, hide, close and reopen act on the whole workshop. `timer`
    takes `seconds` (0 stops it): the deadline is kept on the server."""
    workshop = _acted(actions.control, request.auth, command.action, command.step, command.seconds)
    return results.snapshot(workshop)
