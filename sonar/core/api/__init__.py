"""The JSON API's plumbing: one django-ninja API, one error shape, one language rule.

Every app describes its own routes in its `api.py`, as a `ninja.Router` named `router`, with
pydantic schemas in and out; `sonar/urls.py` hands the routers to `build()`, so this package
imports no app. What the plumbing gives every route:

- **One error shape.** Any refusal is `{"error": "<sentence>", "fields": {"<field>": "<sentence>"}}`
  with its status (sonar.core.errors.api_error): a view raises `ApiError(message, status,
  fields)`; a body that does not fit its schema gets its schema's own French sentences
  (sonar.core.api.bodies); Django's 404, 405, 413 and 503 come out in the same shape.
- **`lang` as a shared dependency.** `?lang=en` gives English texts and errors, French by
  default; any other value is a 400 in French. It is an API-wide view decorator (ninja runs it
  before validating anything, so even validation errors are in the requested language), and
  `build()` documents the parameter on every operation.
- **JSON bodies read within API_MAX_BODY_BYTES whatever Content-Length says**, refused with
  the French messages when they are not JSON (`JsonBody`, sonar.core.api.bodies).
- **Pages** of lists: `{"count", "next", "previous", "results"}` (sonar.core.api.pages).
- **The OpenAPI 3.1 document** generated from the routes and schemas, at
  /api/v1/openapi.json; tests/api checks that every API URL is in it and runs schemathesis
  against it.

CSRF: the API's clients are programs that send JSON and an `Authorization: Bearer` token, not a
browser's form; ninja exempts its views from Django's CSRF check. A browser cookie that an API
route also accepts (the workshop tokens) is SameSite=Lax, so a cross-site POST or PUT does not
carry it, and a cross-site form cannot send `application/json` without a CORS preflight, which
Sonar never grants.

Adding an endpoint, in the app that owns the data (a workshop step, a contribution…):

    # sonar/<app>/api.py
    from ninja import Router
    from ninja.responses import Status
    from sonar.core.api import BODY, ApiError, Out, answers
    from sonar.core.api.bodies import JsonBody, Payload, SingleLine

    TAG = {"name": "<app>", "description": "Ce que décrivent ces routes."}
    router = Router(tags=[TAG["name"]])

    class NewThing(Payload):                    # a body: its structure, its French messages
        refusal = gettext_lazy("La chose ne peut pas être créée ainsi.")
        messages = {"title": gettext_lazy("Un titre de 1 à 120 caractères est attendu.")}
        title: SingleLine(120)

    class Thing(Out):                           # an answer
        key: str

    @router.post("/things", url_name="api-things", operation_id="thing-create",
                 summary="Créer une chose", response=answers(Thing, BODY, status=201))
    def create(request, thing: Annotated[NewThing, JsonBody(...)]):
        ...                                     # raise ApiError(message, status, fields)
        return Status(201, {"key": ...})

A GET route is `router.api_operation(["GET", "HEAD"], …)` (HEAD is GET without the body, as
everywhere on the site); one that anonymous visitors may read from the page cache adds
`@decorate_view(pagecache.kept(sessions=True))` under the route's decorator; a list returns
`pages.envelope(…)` with a `pages.Page[Item]` answer. Then add the app's module to the list in
sonar/urls.py, and an entry for the URL name in tests/security/test_authorisation_matrix.py
(and a valid body in tests/api/test_malformed_text.py). The document, the error shape, the
language and the fuzzing come with it.
"""

import copy
import json
from functools import wraps

from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from pydantic import ConfigDict, Field

from sonar.core import errors
from sonar.core.api.messages import field_message

__all__ = [
    "BODY",
    "NOT_FOUND",
    "ApiError",
    "Error",
    "Out",
    "Schema",
    "answers",
    "build",
    "in_requested_language",
]

LANGUAGES = ("fr", "en")
PREFIX = "/api/v1/"


class ApiError(Exception):
    """A refusal in the API's one shape; raise it from a view or a helper."""

    def __init__(self, message, status=400, fields=None):
        super().__init__(str(message))
        self.message = str(message)
        self.status = status
        self.fields = {str(k): str(v) for k, v in (fields or {}).items()}

    def response(self):
        return errors.api_error(self.message, self.status, self.fields)


class Error(Schema):
    """La seule forme d’erreur de l’API, pour tout statut 4xx (et 5xx) : une phrase en français
    (en anglais avec `lang=en`) qui dit quoi faire, et un message par champ fautif
    (`answers.q3`, `lang`, `title`…), vide s’il n’y en a pas."""

    model_config = ConfigDict(extra="forbid")

    error: str = Field(min_length=1)
    fields: dict[str, str]


class Out(Schema):
    """The base of the answers' schemas. A key that the code adds and the schema does not name
    yet goes through rather than being dropped without a word; the document then says the
    object may hold more (`additionalProperties`)."""

    model_config = ConfigDict(extra="allow")


# French descriptions of the statuses the document lists, for every operation.
STATUSES = {
    400: "Paramètre, langue ou corps qui ne convient pas : `fields` dit lequel et pourquoi.",
    403: "Jeton absent ou invalide.",
    404: "Rien ne porte cette clé, ce code ou cet identifiant.",
    405: "Méthode non permise ; l’en-tête `Allow` donne les bonnes.",
    409: "Atelier fermé, ou question pas encore ouverte.",
    413: "Corps de plus de 64 Ko.",
    429: "Trop de codes d’atelier erronés depuis ce réseau ou ce client.",
    503: "La base de données ne répond pas : réessayez dans une minute.",
}
ALWAYS = (400, 405, 503)
NOT_FOUND = (404,)
# An operation that reads a JSON body may also answer 413.
BODY = (413,)


def answers(ok, *refusals, status=200):
    """The `response=` of an operation: its answer, and the error shape for the statuses every
    operation may give (400, 405, 503) and for its own refusals (404, 409…)."""
    statuses = {status: ok}
    for code in sorted({*ALWAYS, *(c for group in refusals for c in _codes(group))}):
        statuses[code] = Error
    return statuses


def _codes(group):
    return group if isinstance(group, tuple | list) else (group,)


def in_requested_language(run):
    """The shared `lang` dependency: run the operation in the language `?lang=` names."""

    def wrapper(request, *args, **kwargs):
        lang = request.GET.get("lang", "fr")
        if lang not in LANGUAGES:
            with translation.override("fr"):
                return errors.api_error(
                    _("Langue inconnue."), 400, {"lang": _("Choisissez « fr » ou « en ».")}
                )
        with translation.override(lang):
            return run(request, *args, **kwargs)

    return wrapper


class _Renderer(JSONRenderer):
    # Accents as they are (the answers are mostly French), like the error shape's JsonResponse.
    json_dumps_params = {"ensure_ascii": False}


class SonarAPI(NinjaAPI):
    """django-ninja with Sonar's error shape, language rule and generated document."""

    def get_content_type(self):
        # JSON is UTF-8 by definition (RFC 8259): the same header as every other JSON answer.
        return "application/json"

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The document, as plain JSON data (status codes as strings), built once."""
        if getattr(self, "_document", None) is None:
            document = _finish(super().get_openapi_schema(path_prefix=PREFIX), self.tags)
            self._document = json.loads(json.dumps(document, ensure_ascii=False))
        return copy.deepcopy(self._document)

    def document_urls(self):
        """The URL patterns of the operations (named by their `url_name`, without a
        namespace, as the rest of the site names its URLs) and of the document."""

        @require_safe
        def document(request):
            return JsonResponse(
                self.get_openapi_schema(), json_dumps_params={"ensure_ascii": False}
            )

        # ninja's "api-root" is only a 404 that names the docs page, which Sonar does not serve.
        operations = [
            path(str(p.pattern), _worded_405(p.callback), name=p.name)
            for p in self.urls[0]
            if p.name != "api-root"
        ]
        return [path("openapi.json", document, name="api-openapi"), *operations]


def _worded_405(view):
    """ninja answers a wrong method with a bare "Method not allowed": leave the body empty, so
    that FrenchErrorPagesMiddleware words it in the error shape like any other 405."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = sorted(m.strip() for m in response["Allow"].split(","))
            response = HttpResponseNotAllowed(allowed)
        return response

    return wrapper


def _refused(request, exc):
    return exc.response()


def _validation(request, exc):
    """Parameters that do not fit their schema (bodies are refused earlier, with their own
    messages: sonar.core.api.bodies)."""
    fields = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())[1:]]
        fields[".".join(location) or "body"] = field_message(error)
    return errors.api_error(_("Paramètre invalide."), 400, fields)


def _not_found(request, exc):
    return errors.respond(request, 404)


def _http_error(request, exc):
    return errors.api_error(
        errors.MESSAGES.get(exc.status_code, errors.MESSAGES[400]), exc.status_code
    )


def _unexpected(request, exc):
    # Django's own handler turns it into the French 500, or the 503 of a database that is away
    # (sonar.core.views.server_error), and logs it.
    raise exc


def build(routers):
    """The API, with every app's router mounted at /api/v1/: `routers` is a list of (router,
    {"name": tag, "description": "…"}). `document_urls()` of the result goes into the URL
    conf."""
    api = SonarAPI(
        title="API de Sonar",
        version="1",
        description=DESCRIPTION,
        renderer=_Renderer(),
        # The document is served by `document_urls`; no docs page (it would load scripts from
        # elsewhere, which the Content-Security-Policy forbids).
        openapi_url=None,
        docs_url=None,
        urls_namespace="api",
    )
    api.add_decorator(in_requested_language, mode="view")
    api.add_exception_handler(ApiError, _refused)
    api.add_exception_handler(NinjaValidationError, _validation)
    api.add_exception_handler(Http404, _not_found)
    api.add_exception_handler(HttpError, _http_error)
    api.add_exception_handler(Exception, _unexpected)
    api.tags = []
    for router, tag in routers:
        api.add_router("", router)
        api.tags.append(tag)
    return api


DESCRIPTION = (
    "Textes en français, en anglais avec `?lang=en`. Les listes sont paginées "
    "(`count`, `next`, `previous`, `results`). Toute erreur a la même forme, "
    '`{"error": "<phrase>", "fields": {"<champ>": "<phrase>"}}`, avec le statut qui '
    "convient. Les corps envoyés sont du JSON (`Content-Type: application/json`), "
    "64 Ko au plus. Les ateliers s’utilisent avec un jeton en en-tête "
    "`Authorization: Bearer …` (ou le cookie que posent les pages)."
)

LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": "La langue des textes et des erreurs : français par défaut.",
    "schema": {"type": "string", "enum": list(LANGUAGES), "default": "fr"},
}


def _finish(document, tags):
    """What ninja does not write by itself: the `lang` parameter and the French status
    descriptions on every operation, HEAD left out (it is GET without a body), the tags'
    descriptions, the licence, and the document's own path."""
    for item in document["paths"].values():
        item.pop("head", None)
        for operation in item.values():
            operation["parameters"] = [LANG, *operation.get("parameters", [])]
            for status, response in operation["responses"].items():
                if int(status) in STATUSES:
                    response["description"] = STATUSES[int(status)]
    document["paths"][PREFIX + "openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "Ce document : le contrat de l’API en OpenAPI 3.1",
            "tags": ["api"],
            "parameters": [],
            "responses": {
                "200": {
                    "description": "Le document",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "required": ["openapi", "paths"]}
                        }
                    },
                },
                "405": _error_response(405),
            },
        }
    }
    document["info"]["summary"] = (
        "Diagnostics, carte, glossaire, cas, trajectoires et ateliers de Sonar."
    )
    document["info"]["license"] = {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"}
    document["tags"] = [*tags, {"name": "api", "description": "Le contrat lui-même."}]
    document["components"]["schemas"].setdefault("Error", Error.model_json_schema())
    document.pop("servers", None)
    return document


def _error_response(status):
    return {
        "description": STATUSES[status],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
