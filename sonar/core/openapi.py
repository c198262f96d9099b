"""The API's contract: an OpenAPI 3.1 document, served at /api/v1/openapi.json.

The document is plain data (`DOCUMENT`), written by hand next to the code it describes
(sonar/*/api.py). tests/api/test_openapi.py checks that every API URL of the URL conf is in it and
that every path in it resolves, so an endpoint added without a description fails the suite;
tests/api/test_contract.py runs schemathesis against it (no 5xx, responses conform, every 4xx in
the one error shape). Descriptions are in French, like the API's messages.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_safe

from sonar.atlas.models import FACETS
from sonar.atlas.vocabulary import Duration, Task

FINDER_TASKS = list(Task.values)
FINDER_DURATIONS = list(Duration.values)

JSON = "application/json"


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _response(name):
    return {"$ref": f"#/components/responses/{name}"}


def _nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
URL = {"type": "string", "format": "uri"}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}


def _object(properties, required=None):
    return {
        "type": "object",
        "required": list(properties) if required is None else required,
        "properties": properties,
    }


def _page_of(item):
    return _object(
        {
            "count": {"type": "integer", "minimum": 0},
            "next": _nullable(URL),
            "previous": _nullable(URL),
            "results": {"type": "array", "items": item},
        }
    )


SCHEMAS = {
    "Error": {
        "description": (
            "La seule forme d’erreur de l’API, pour tout statut 4xx (et 5xx) : une phrase en "
            "français (en anglais avec `lang=en`) qui dit quoi faire, et un message par champ "
            "fautif (`answers.q3`, `lang`, `title`…), vide s’il n’y en a pas."
        ),
        "type": "object",
        "required": ["error", "fields"],
        "properties": {
            "error": {"type": "string", "minLength": 1},
            "fields": {"type": "object", "additionalProperties": STRING},
        },
        "additionalProperties": False,
    },
    "Link": _object({"slug": STRING, "title": STRING, "url": URL}),
    "Source": _object(
        {
            "title": STRING,
            "publisher": _nullable(STRING),
            "author": STRING,
            "year": _nullable({"type": "integer"}),
            "url": _nullable(STRING),
        },
        required=["title"],
    ),
    # The diagnostics (sonar/quiz/api.py).
    "Choice": _object(
        {"key": STRING, "text": STRING, "profile": STRING, "stage": STRING},
        required=["key", "text"],
    ),
    "Question": _object(
        {"key": STRING, "text": STRING, "choices": {"type": "array", "items": _ref("Choice")}}
    ),
    "Profile": _object(
        {
            "key": STRING,
            "symbol": STRING,
            "name": STRING,
            "description": STRING,
            "example": STRING,
            "attention": STRING,
        },
        required=["key", "name"],
    ),
    "Stage": _object(
        {"key": STRING, "rank": {"type": "integer", "minimum": 1}, "name": STRING},
    ),
    "Questionnaire": {
        "description": (
            "Un diagnostic à profils (`profiles`, le style d’innovation) ou une échelle "
            "(`stages`, la maturité) : les choix disent alors quel `profile` ou quelle `stage` "
            "ils comptent."
        ),
        "anyOf": [
            _object(
                {
                    "questions": {"type": "array", "items": _ref("Question")},
                    "profiles": {"type": "array", "items": _ref("Profile")},
                }
            ),
            _object(
                {
                    "questions": {"type": "array", "items": _ref("Question")},
                    "stages": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                _ref("Stage"),
                                _object({"summary": STRING, "description": STRING}),
                            ]
                        },
                    },
                }
            ),
        ],
    },
    "ProfileScore": _object(
        {
            "counts": COUNTS,
            "profiles": {**STRINGS, "description": "Les profils gagnants ; plusieurs : mixte."},
            "mixed": {"type": "boolean"},
        }
    ),
    "StageScore": _object({"counts": COUNTS, "stage": _nullable(_ref("Stage"))}),
    "Score": {"anyOf": [_ref("ProfileScore"), _ref("StageScore")]},
    "Answers": {
        "description": "Une réponse par question : la clé de la question vers celle du choix.",
        "type": "object",
        "additionalProperties": STRING,
        "example": {"q1": "q1a", "q2": "q2b", "q3": "q3a", "q4": "q4c", "q5": "q5a", "q6": "q6d"},
    },
    # The atlas (sonar/atlas/api.py).
    "ResourceCard": _object(
        {
            "slug": STRING,
            "title": STRING,
            "kind": STRING,
            "summary": STRING,
            "visions": STRINGS,
            "profiles": STRINGS,
            "url": URL,
        }
    ),
    "Resource": {
        "allOf": [
            _ref("ResourceCard"),
            _object(
                {
                    "kind_label": STRING,
                    "description": STRING,
                    "when_to_use": STRING,
                    "when_not_to_use": STRING,
                    "how_to_start": STRINGS,
                    "controversies": STRING,
                    "focus": {"type": "integer"},
                    "maturity": {"type": "integer"},
                    "focus_band": STRING,
                    "maturity_band": STRING,
                    "combines_with": {"type": "array", "items": _ref("Link")},
                    "in_tension_with": {"type": "array", "items": _ref("Link")},
                    "cases": {"type": "array", "items": _ref("Link")},
                    "sources": {"type": "array", "items": _ref("Source")},
                    "named_in_journal": {"type": "boolean"},
                    # The method finder's facts: null (or empty) until the resource's file
                    # gives them (sonar/atlas/vocabulary.py lists the values).
                    "critics": STRINGS,
                    "tasks": STRINGS,
                    "cost": _nullable({"type": "integer", "enum": [1, 2, 3]}),
                    "duration": _nullable(STRING),
                    "group_size": _nullable(STRING),
                    "political_sensitivity": _nullable(STRING),
                    "outside_help": _nullable(STRING),
                }
            ),
        ]
    },
    "Term": _object(
        {
            "slug": STRING,
            "term": STRING,
            "definition": STRING,
            "origin": STRING,
            "note": _nullable(STRING),
            "resource": _nullable(_ref("Link")),
            "sources": {"type": "array", "items": _ref("Source")},
            "url": URL,
        }
    ),
    "CaseSummary": _object(
        {
            "slug": STRING,
            "title": STRING,
            "place": STRING,
            "country": STRING,
            "period": _object(
                {
                    "start": _nullable({"type": "integer"}),
                    "end": _nullable({"type": "integer"}),
                }
            ),
            "collectivite": _nullable(
                _object(
                    {"type": STRING, "population": _nullable(STRING)},
                )
            ),
            "themes": STRINGS,
            "summary": STRING,
            "resources": {"type": "array", "items": _ref("Link")},
            "sources": {"type": "array", "items": _ref("Source")},
            "named_in_journal": {"type": "boolean"},
            "url": URL,
        }
    ),
    # The method finder (sonar/atlas/views_finder.py).
    "Finder": _object(
        {
            "task": _object({"key": STRING, "label": STRING, "description": STRING}),
            "constraints": _object(
                {
                    "cost": _nullable({"type": "integer"}),
                    "duration": _nullable(STRING),
                    "outside_help": _nullable(STRING),
                }
            ),
            "count": {"type": "integer", "minimum": 0},
            "serving_task": {"type": "integer", "minimum": 0},
            "results": {
                "type": "array",
                "items": {
                    "allOf": [
                        _ref("ResourceCard"),
                        _object({"reasons": STRINGS, "cautions": STRINGS}),
                    ]
                },
            },
            "url": URL,
        }
    ),
    "Case": {
        "allOf": [
            _ref("CaseSummary"),
            _object(
                {
                    "description": STRING,
                    "budget": _nullable(STRING),
                    "results": _nullable(STRING),
                    "did_not_work": _nullable(STRING),
                }
            ),
        ]
    },
    # The trajectories (sonar/journeys/api.py).
    "StageSummary": {
        "allOf": [_ref("Stage"), _object({"summary": STRING, "title": STRING, "url": URL})]
    },
    "Trajectory": _object(
        {
            "stage": {
                "allOf": [_ref("Stage"), _object({"summary": STRING, "description": STRING})]
            },
            "stages": {"type": "integer", "minimum": 1},
            "title": STRING,
            "summary": STRING,
            "source": STRING,
            "milestones": {"type": "array", "items": {"type": "object"}},
            "forks": {"type": "array", "items": {"type": "object"}},
            "pitfalls": {"type": "array", "items": {"type": "object"}},
            "levers": {"type": "array", "items": {"type": "object"}},
            "principles": {"type": "array", "items": {"type": "object"}},
            "resources": {"type": "array", "items": {"type": "object"}},
            "previous": _nullable(_ref("StageSummary")),
            "next": _nullable(_ref("StageSummary")),
            "url": URL,
        },
        required=["stage", "stages", "title", "milestones", "previous", "next", "url"],
    ),
    # The workshops (sonar/workshops/api.py).
    "NewWorkshop": {
        "type": "object",
        "required": ["questionnaire", "title"],
        "properties": {
            "questionnaire": {**STRING, "description": "La clé d’un diagnostic, « style »."},
            "title": {"type": "string", "minLength": 1, "maxLength": 120},
            "mode": {"type": "string", "enum": ["paced", "self-paced"], "default": "paced"},
        },
        "example": {"questionnaire": "style", "title": "Atelier du mardi", "mode": "self-paced"},
    },
    "CreatedWorkshop": _object(
        {
            "code": STRING,
            "join_url": URL,
            "facilitator_url": URL,
            "facilitator_token": {
                **STRING,
                "description": "À garder : le jeton d’animation (Bearer) des résultats.",
            },
        }
    ),
    "Tally": _object(
        {
            "participants": {"type": "integer", "minimum": 0},
            "answers": {"type": "object", "additionalProperties": COUNTS},
            "profiles": COUNTS,
        }
    ),
    "Snapshot": _object(
        {
            "version": {"type": "integer", "minimum": 0},
            "code": STRING,
            "stage": STRING,
            "mode": {"type": "string", "enum": ["paced", "self-paced"]},
            "open": {"type": "boolean"},
            "revealed": {"type": "boolean"},
            "current": _nullable(STRING),
            "current_number": _nullable({"type": "integer"}),
            "questions": {"type": "integer", "minimum": 0},
            "participants": {"type": "integer", "minimum": 0},
            "answers": {"type": "integer", "minimum": 0},
            "answered": COUNTS,
            "results": _nullable(_ref("Tally")),
        }
    ),
    "Joined": _object({"participant_token": STRING}),
    "Answer": {
        "type": "object",
        "required": ["choice"],
        "properties": {"choice": {**STRING, "description": "La clé d’un choix, « q1a »."}},
        "example": {"choice": "q1a"},
    },
    "StoredAnswer": _object(
        {"question": STRING, "choice": STRING, "version": {"type": "integer", "minimum": 0}}
    ),
    "Me": {
        "description": (
            "Ses réponses et son profil (`profile`, ou `stage` pour une échelle) ; ceux de "
            "l’équipe (`team_profiles` ou `team_stages`) une fois les résultats révélés."
        ),
        "type": "object",
        "required": ["answers", "revealed", "open"],
        "properties": {
            "answers": {"type": "object", "additionalProperties": STRING},
            "profile": _ref("ProfileScore"),
            "team_profiles": _nullable(COUNTS),
            "stage": _nullable(_ref("Stage")),
            "team_stages": _nullable(COUNTS),
            "revealed": {"type": "boolean"},
            "open": {"type": "boolean"},
        },
    },
    "Results": {"allOf": [_ref("Tally"), _object({"revealed": {"type": "boolean"}})]},
}


def _error(description):
    return {"description": description, "content": {JSON: {"schema": _ref("Error")}}}


RESPONSES = {
    "BadRequest": _error(
        "Paramètre, langue ou corps qui ne convient pas : `fields` dit lequel et pourquoi."
    ),
    "Forbidden": _error("Jeton absent ou invalide."),
    "NotFound": _error("Rien ne porte cette clé, ce code ou cet identifiant."),
    "MethodNotAllowed": _error("Méthode non permise ; l’en-tête `Allow` donne les bonnes."),
    "Conflict": _error("Atelier fermé, ou question pas encore ouverte."),
    "TooLarge": _error("Corps de plus de 64 Ko."),
    "TooManyRequests": _error("Trop de codes d’atelier erronés depuis cette adresse."),
    "Unavailable": _error("La base de données ne répond pas : réessayez dans une minute."),
}

PARAMETERS = {
    "lang": {
        "name": "lang",
        "in": "query",
        "description": "La langue des textes et des erreurs : français par défaut.",
        "schema": {"type": "string", "enum": ["fr", "en"], "default": "fr"},
    },
    "page": {
        "name": "page",
        "in": "query",
        "description": "Le numéro de page, à partir de 1 (30 éléments par page).",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    "code": {
        "name": "code",
        "in": "path",
        "required": True,
        "description": "Le code de l’atelier (six caractères, « HSQT9U »).",
        "schema": STRING,
    },
}

SECURITY_SCHEMES = {
    "participant": {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "Le jeton de participant que renvoie `POST /api/v1/workshops/{code}/participants`. "
            "Les pages l’envoient dans le cookie `sonar-atelier-{code}` (httponly), accepté "
            "aussi par l’API."
        ),
    },
    "facilitator": {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "Le jeton d’animation que renvoie `POST /api/v1/workshops`. Les pages l’envoient "
            "dans le cookie `sonar-animation-{code}` (httponly), accepté aussi par l’API."
        ),
    },
}


def _json_content(schema):
    return {JSON: {"schema": schema}}


def _operation(
    operation_id,
    summary,
    tag,
    ok,
    *,
    status=200,
    parameters=(),
    body=None,
    errors=(),
    security=None,
    lang=True,
):
    """One operation. Every operation answers 400 (an unknown `lang`, a bad parameter), 405 (a
    wrong method) and 503 (the database away) in the error shape, plus its own `errors`."""
    refs = [{"$ref": f"#/components/parameters/{p}"} for p in (["lang"] if lang else [])]
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "parameters": [*refs, *parameters],
        "responses": {
            str(status): {"description": summary, "content": _json_content(ok)},
            "400": _response("BadRequest"),
            "405": _response("MethodNotAllowed"),
            "503": _response("Unavailable"),
        },
    }
    for code, name in errors:
        operation["responses"][str(code)] = _response(name)
    if body is not None:
        operation["requestBody"] = {"required": True, "content": _json_content(body)}
        operation["responses"]["413"] = _response("TooLarge")
    if security is not None:
        operation["security"] = security
    return operation


def _path_parameter(name, description):
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    }


def _facet(name):
    return {
        "name": name,
        "in": "query",
        "description": "Filtre ; répétable (des valeurs d’un même filtre s’ajoutent).",
        "schema": {"type": "array", "items": {"type": "string", "enum": FACETS[name].values}},
        "style": "form",
        "explode": True,
    }


NOT_FOUND = [(404, "NotFound")]
CODE = [{"$ref": "#/components/parameters/code"}]
PAGE = [{"$ref": "#/components/parameters/page"}]
PARTICIPANT = [{"participant": []}]
FACILITATOR = [{"facilitator": []}]

PATHS = {
    "/api/v1/openapi.json": {
        "get": _operation(
            "openapi",
            "Ce document : le contrat de l’API en OpenAPI 3.1",
            "api",
            {"type": "object", "required": ["openapi", "paths"]},
            lang=False,
        )
    },
    "/api/v1/quiz/{key}": {
        "get": _operation(
            "quiz",
            "Un diagnostic : ses questions, ses choix, ses profils ou ses étapes",
            "diagnostics",
            _ref("Questionnaire"),
            parameters=[_path_parameter("key", "La clé du diagnostic : « style », « maturity ».")],
            errors=NOT_FOUND,
        )
    },
    "/api/v1/quiz/{key}/score": {
        "post": _operation(
            "quiz-score",
            "Le profil (ou l’étape) que donnent des réponses ; rien n’est enregistré",
            "diagnostics",
            _ref("Score"),
            parameters=[_path_parameter("key", "La clé du diagnostic : « style », « maturity ».")],
            body={
                "type": "object",
                "required": ["answers"],
                "properties": {"answers": _ref("Answers")},
                "additionalProperties": False,
                "example": {
                    "answers": {f"q{n}": f"q{n}a" for n in range(1, 7)},
                },
            },
            errors=NOT_FOUND,
        )
    },
    "/api/v1/resources": {
        "get": _operation(
            "resources",
            "Les ressources de la carte, filtrées, par pages",
            "atlas",
            _page_of(_ref("ResourceCard")),
            parameters=[*PAGE, *(_facet(name) for name in FACETS)],
        )
    },
    "/api/v1/resources/{slug}": {
        "get": _operation(
            "resource",
            "Une ressource en entier",
            "atlas",
            _ref("Resource"),
            parameters=[_path_parameter("slug", "L’identifiant de la ressource.")],
            errors=NOT_FOUND,
        )
    },
    "/api/v1/glossary": {
        "get": _operation(
            "glossary",
            "Les termes du glossaire, par pages",
            "atlas",
            _page_of(_ref("Term")),
            parameters=PAGE,
        )
    },
    "/api/v1/glossary/{slug}": {
        "get": _operation(
            "term",
            "Un terme du glossaire",
            "atlas",
            _ref("Term"),
            parameters=[_path_parameter("slug", "L’identifiant du terme.")],
            errors=NOT_FOUND,
        )
    },
    "/api/v1/finder": {
        "get": _operation(
            "finder",
            "Les approches qui conviennent à une tâche, dans un budget et un délai, avec leurs "
            "raisons",
            "atlas",
            _ref("Finder"),
            parameters=[
                {
                    "name": "task",
                    "in": "query",
                    "required": True,
                    "description": "Ce que vous voulez faire.",
                    "schema": {"type": "string", "enum": FINDER_TASKS},
                },
                {
                    "name": "cost",
                    "in": "query",
                    "description": "Le budget au plus : 1 (€), 2 (€€) ou 3 (€€€).",
                    "schema": {"type": "integer", "enum": [1, 2, 3]},
                },
                {
                    "name": "duration",
                    "in": "query",
                    "description": "Le délai au plus avant un premier résultat.",
                    "schema": {"type": "string", "enum": FINDER_DURATIONS},
                },
                {
                    "name": "help",
                    "in": "query",
                    "description": "« non » : sans aide extérieure.",
                    "schema": {"type": "string", "enum": ["non"]},
                },
            ],
        )
    },
    "/api/v1/cases": {
        "get": _operation(
            "cases",
            "Les cas, par pages",
            "atlas",
            _page_of(_ref("CaseSummary")),
            parameters=PAGE,
        )
    },
    "/api/v1/cases/{slug}": {
        "get": _operation(
            "case",
            "Un cas en entier",
            "atlas",
            _ref("Case"),
            parameters=[_path_parameter("slug", "L’identifiant du cas.")],
            errors=NOT_FOUND,
        )
    },
    "/api/v1/trajectories": {
        "get": _operation(
            "trajectories",
            "Les étapes de l’échelle de maturité, de la plus basse à la plus haute",
            "trajectories",
            _page_of(_ref("StageSummary")),
        )
    },
    "/api/v1/trajectories/{key}": {
        "get": _operation(
            "trajectory",
            "La trajectoire d’une étape en entier",
            "trajectories",
            _ref("Trajectory"),
            parameters=[_path_parameter("key", "La clé de l’étape, « a-quai ».")],
            errors=NOT_FOUND,
        )
    },
    "/api/v1/workshops": {
        "post": _operation(
            "workshop-create",
            "Créer un atelier ; la réponse donne le jeton d’animation",
            "workshops",
            _ref("CreatedWorkshop"),
            status=201,
            body=_ref("NewWorkshop"),
        )
    },
    "/api/v1/workshops/{code}": {
        "get": _operation(
            "workshop",
            "L’état en direct d’un atelier (pour les écrans qui interrogent)",
            "workshops",
            _ref("Snapshot"),
            parameters=CODE,
            errors=NOT_FOUND,
        )
    },
    "/api/v1/workshops/{code}/participants": {
        "post": {
            **_operation(
                "workshop-join",
                "Rejoindre un atelier ; la réponse donne le jeton de participant",
                "workshops",
                _ref("Joined"),
                status=201,
                parameters=CODE,
                errors=[*NOT_FOUND, (409, "Conflict"), (413, "TooLarge"), (429, "TooManyRequests")],
            ),
            "requestBody": {
                "required": False,
                "content": _json_content(
                    {
                        "type": "object",
                        "properties": {"pseudonym": _nullable({"type": "string", "maxLength": 40})},
                    }
                ),
            },
        }
    },
    "/api/v1/workshops/{code}/answers/{question_key}": {
        "put": _operation(
            "workshop-answer",
            "Répondre à une question (idempotent : la dernière réponse compte)",
            "workshops",
            _ref("StoredAnswer"),
            parameters=[*CODE, _path_parameter("question_key", "La clé de la question, « q1 ».")],
            body=_ref("Answer"),
            errors=[(403, "Forbidden"), *NOT_FOUND, (409, "Conflict")],
            security=PARTICIPANT,
        )
    },
    "/api/v1/workshops/{code}/me": {
        "get": _operation(
            "workshop-me",
            "Ses propres réponses et son profil ; ceux de l’équipe une fois révélés",
            "workshops",
            _ref("Me"),
            parameters=CODE,
            errors=[(403, "Forbidden"), *NOT_FOUND],
            security=PARTICIPANT,
        )
    },
    "/api/v1/workshops/{code}/results": {
        "get": _operation(
            "workshop-results",
            "Les résultats complets, pour l’animateur",
            "workshops",
            _ref("Results"),
            parameters=CODE,
            errors=[(403, "Forbidden"), *NOT_FOUND],
            security=FACILITATOR,
        )
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "API de Sonar",
        "version": "1",
        "summary": "Diagnostics, carte, glossaire, cas, trajectoires et ateliers de Sonar.",
        "description": (
            "Textes en français, en anglais avec `?lang=en`. Les listes sont paginées "
            "(`count`, `next`, `previous`, `results`). Toute erreur a la même forme, "
            '`{"error": "<phrase>", "fields": {"<champ>": "<phrase>"}}`, avec le statut qui '
            "convient. Les corps envoyés sont du JSON (`Content-Type: application/json`), "
            "64 Ko au plus. Les ateliers s’utilisent avec un jeton en en-tête "
            "`Authorization: Bearer …` (ou le cookie que posent les pages)."
        ),
        "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
    },
    "tags": [
        {"name": "diagnostics", "description": "Le style d’innovation et la maturité."},
        {"name": "atlas", "description": "La carte : ressources, glossaire, cas."},
        {"name": "trajectories", "description": "Les trajectoires de l’échelle de maturité."},
        {"name": "workshops", "description": "Les ateliers : créer, rejoindre, répondre."},
        {"name": "api", "description": "Le contrat lui-même."},
    ],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "parameters": PARAMETERS,
        "securitySchemes": SECURITY_SCHEMES,
    },
}


@require_safe
def document(request):
    return JsonResponse(DOCUMENT, json_dumps_params={"ensure_ascii": False})
