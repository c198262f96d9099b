"""The diagnostics' JSON API: the same read model and scoring as the pages.

Texts are French unless `?lang=en`; every error has the API's one shape (sonar.core.api).
"""

import json
from typing import Annotated, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router
from ninja.decorators import decorate_view
from pydantic import ConfigDict, Field, WithJsonSchema

from sonar.core import pagecache
from sonar.core.api import BODY, NOT_FOUND, ApiError, Out, answers
from sonar.core.api.bodies import JsonBody, Payload
from sonar.core.links import absolute
from sonar.journeys import practices as journey_practices
from sonar.quiz import data

TAG = {"name": "diagnostics", "description": "Le style d’innovation et la maturité."}
router = Router(tags=[TAG["name"]])


class Choice(Out):
    key: str
    text: str
    profile: str | None = Field(None, description="Le profil que ce choix compte.")
    stage: str | None = Field(None, description="L’étape que ce choix caractérise.")


class Question(Out):
    key: str
    text: str
    practice: str | None = Field(
        None, description="Sur une échelle : la pratique que lit la question."
    )
    choices: list[Choice]


class Profile(Out):
    key: str
    symbol: str
    name: str
    description: str
    example: str
    attention: str


class Stage(Out):
    key: str
    rank: int = Field(ge=1)
    name: str


class LadderStage(Stage):
    summary: str
    description: str


class ProfileQuestionnaire(Out):
    """Un diagnostic à profils (le style d’innovation)."""

    questions: list[Question]
    profiles: list[Profile]


class LadderQuestionnaire(Out):
    """Une échelle (la maturité) : les choix disent quelle `stage` ils caractérisent."""

    questions: list[Question]
    stages: list[LadderStage]


class ProfileScore(Out):
    counts: dict[str, Annotated[int, Field(ge=0)]]
    profiles: list[str] = Field(description="Les profils gagnants ; plusieurs : mixte.")
    mixed: bool


class PracticeMilestone(Out):
    title: str
    url: str = Field(description="La page de la trajectoire, à l’ancre de la balise.")


class Practice(Out):
    """Une pratique du diagnostic (une question) à l’étape de sa réponse."""

    key: str = Field(description="La clé de la question qui lit cette pratique.")
    name: str
    stage: Stage = Field(description="L’étape que caractérise la réponse à cette question.")
    milestone: PracticeMilestone | None = Field(
        description="La balise de la trajectoire de cette étape qui fait progresser la "
        "pratique ; null quand aucune balise ne la nomme."
    )


class StageScore(Out):
    counts: dict[str, Annotated[int, Field(ge=0)]]
    stage: Stage | None
    practices: list[Practice] = Field(
        description="Le résultat pratique par pratique, dans l’ordre des questions."
    )


ANSWERS_EXAMPLE = {"q1": "q1a", "q2": "q2b", "q3": "q3a", "q4": "q4c", "q5": "q5a", "q6": "q6d"}
# Any JSON value reaches the questionnaire's own check (Questionnaire.validate), whose French
# messages name the question and the choices; the document says what is expected.
Answers = Annotated[
    Any,
    WithJsonSchema(
        {
            "description": "Une réponse par question : la clé de la question vers celle du choix.",
            "type": "object",
            "additionalProperties": {"type": "string"},
            "example": ANSWERS_EXAMPLE,
        }
    ),
]


class ScoreRequest(Payload):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"answers": ANSWERS_EXAMPLE}}
    )

    not_an_object = gettext_lazy(
        'Le corps de la requête doit être un objet JSON, par exemple {"answers": {…}}.'
    )
    answers: Answers

    @classmethod
    def refusal_for(cls, path):
        return _refusal(data.get(path.get("key", "")))

    @classmethod
    def message_for(cls, field, error, path):
        if error["type"] == "extra_forbidden":
            return _("Champ inconnu : seul « answers » est attendu.")
        quiz = data.get(path.get("key", ""))
        example = _example(quiz) if quiz else json.dumps(ANSWERS_EXAMPLE)
        return _("Champ obligatoire : une réponse par question, par exemple %s.") % example


def _refusal(quiz):
    if quiz is not None and quiz.ladder:
        return _("Les réponses envoyées ne permettent pas de calculer une étape.")
    return _("Les réponses envoyées ne permettent pas de calculer un profil.")


def _example(quiz):
    return json.dumps({q.key: q.choices[0].key for q in quiz.questions[:2]})


def _questionnaire(key):
    quiz = data.get(key)
    if quiz is None:
        raise ApiError(_("Aucun questionnaire ne porte la clé « %s ».") % key, 404)
    return quiz


@router.api_operation(
    ["GET", "HEAD"],
    "/quiz/{slug:key}",
    url_name="api-quiz",
    operation_id="quiz",
    summary="Un diagnostic : ses questions, ses choix, ses profils ou ses étapes",
    response=answers(ProfileQuestionnaire | LadderQuestionnaire, NOT_FOUND),
    exclude_unset=True,
)
@decorate_view(pagecache.kept(sessions=True))
def questionnaire(request, key: str):
    return _questionnaire(key).as_dict()


# Nothing is stored and no cookie-bound state is read: a forged cross-site request gains
# nothing (and sonar.core.api says why the API needs no CSRF token).
@router.post(
    "/quiz/{slug:key}/score",
    url_name="api-quiz-score",
    operation_id="quiz-score",
    summary="Le profil (ou l’étape) que donnent des réponses ; rien n’est enregistré",
    response=answers(ProfileScore | StageScore, NOT_FOUND, BODY),
)
def score(request, key: str, body: Annotated[ScoreRequest, JsonBody(...)]):
    quiz = _questionnaire(key)
    fields = quiz.validate(body.answers)
    if fields:
        raise ApiError(_refusal(quiz), 400, fields)
    if not quiz.ladder:
        return quiz.score_dict(quiz.score(body.answers))
    milestones = {
        where: {**link, "url": absolute(link["url"])}
        for where, link in journey_practices.milestones_by_practice().items()
    }
    return quiz.score_dict(quiz.score(body.answers), body.answers, milestones)
