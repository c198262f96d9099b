"""JSON bodies: read within the API's size limit, checked by a pydantic schema, refused in
French.

A view takes its body as `thing: Annotated[NewThing, JsonBody(...)]` (or
`Annotated[NewThing | None, JsonBody(None)] = None` when the body is optional), where
`NewThing` is a `Payload`. Before the schema sees anything:

- the body must be `application/json` (an optional body of another type is ignored);
- at most API_MAX_BODY_BYTES are read, whatever Content-Length says: the body-size middleware
  refuses a declared length over the limit, and a chunked or lying body is caught here by
  reading one byte past it (413);
- it must be valid UTF-8 JSON, and an object.

A body that does not fit its schema is a 400 whose `error` is the schema's `refusal` and whose
`fields` name each faulty field (dotted for nested ones, `answers.q3`) with a French sentence:
the schema's own `messages[field]` when it gives one, else a sentence for the kind of error
(`field_message`).

Text fields use `SingleLine(n)` or `Text(n)`: a lone surrogate, a NUL or another control
character (and CR/LF in a single line) is refused with a French message before it reaches
the database, where PostgreSQL would refuse a NUL with a 500, and so is anything longer
than the limit.
"""

import json
import re
from typing import Annotated, ClassVar

import pydantic
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.params.models import BodyModel
from ninja.params.models import Param as _Param
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from sonar.core import errors
from sonar.core.api import ApiError
from sonar.core.api.messages import field_message

NOT_AN_OBJECT = gettext_lazy("Un objet JSON est attendu.")

# Controls other than tab, CR and LF; then CR and LF, which a single line refuses too.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _clean_text(value, single_line):
    if _SURROGATE.search(value):
        raise PydanticCustomError(
            "sonar_surrogate", _("Caractère invalide (demi-paire UTF-16) : retapez ce texte.")
        )
    if _CONTROL.search(value):
        raise PydanticCustomError(
            "sonar_control", _("Caractère de contrôle interdit (NUL ou autre) : retapez ce texte.")
        )
    if single_line and _LINE_BREAK.search(value):
        raise PydanticCustomError("sonar_line_break", _("Une seule ligne est attendue."))
    return value


def SingleLine(max_length):
    """A one-line text of at most `max_length` characters: no control character, no line break,
    no lone surrogate."""
    return Annotated[
        str,
        Field(max_length=max_length),
        AfterValidator(lambda value: _clean_text(value, single_line=True)),
    ]


def Text(max_length):
    """A text of at most `max_length` characters, line breaks allowed, no other control
    character and no lone surrogate."""
    return Annotated[
        str,
        Field(max_length=max_length),
        AfterValidator(lambda value: _clean_text(value, single_line=False)),
    ]


class Payload(Schema):
    """A JSON body. Subclasses say, in French, what is wrong when it does not fit:
    `refusal` (the 400's sentence, or `refusal_for(path)` when it depends on the URL),
    `messages` (one sentence per field, whatever the fault), `not_an_object` (when the body is
    a list, a string…)."""

    refusal: ClassVar = gettext_lazy("Le corps de la requête ne convient pas.")
    not_an_object: ClassVar = gettext_lazy("Le corps de la requête doit être un objet JSON.")
    messages: ClassVar[dict] = {}

    @classmethod
    def refusal_for(cls, path):
        return cls.refusal

    @classmethod
    def message_for(cls, field, error, path):
        """The sentence for one faulty field."""
        top = field.split(".", 1)[0]
        if error["type"].startswith("sonar_"):
            return error["msg"]
        if top in cls.messages:
            return str(cls.messages[top])
        return field_message(error)


def read_json(request):
    """The request's JSON body, read within the API's size limit; raises ApiError (400 for a
    body that is not JSON, 413 past the limit)."""
    if (request.content_type or "") != "application/json":
        raise ApiError(
            _("Le corps de la requête doit être du JSON (Content-Type: application/json)."),
            400,
            {"content_type": _("« application/json » est attendu.")},
        )
    limit = settings.API_MAX_BODY_BYTES
    raw = request.read(limit + 1)
    if len(raw) > limit:
        raise ApiError(errors.too_large_message(limit), 413)
    try:
        return json.loads(raw.decode(request.encoding or "utf-8"))
    except (UnicodeDecodeError, LookupError, ValueError, RecursionError) as exc:
        raise ApiError(
            _("Le corps de la requête n’est pas du JSON valable."),
            400,
            {"body": _("JSON illisible : vérifiez les guillemets, virgules et accolades.")},
        ) from exc


class JsonBodyModel(BodyModel):
    """ninja's body model, reading the body through `read_json` and refusing with the
    schema's French sentences (see the module's docstring)."""

    @classmethod
    def resolve(cls, request, api, path_params):
        name = cls.__read_from_single_attr__
        field = cls.model_fields[name]
        schema = _payload_class(field.annotation)
        optional = not field.is_required()
        if optional and (
            (request.content_type or "") != "application/json" or not _has_body(request)
        ):
            return cls.model_validate({name: field.default})
        body = read_json(request)
        if not isinstance(body, dict):
            raise ApiError(schema.not_an_object, 400, {"body": NOT_AN_OBJECT})
        try:
            return cls.model_validate({name: body}, context={"request": request})
        except pydantic.ValidationError as exc:
            fields = {}
            for error in exc.errors(include_url=False):
                location = ".".join(str(part) for part in error["loc"][1:]) or "body"
                fields.setdefault(location, schema.message_for(location, error, path_params))
            raise ApiError(schema.refusal_for(path_params), 400, fields) from None


def _has_body(request):
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > 0 or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _payload_class(annotation):
    if isinstance(annotation, type) and issubclass(annotation, Payload):
        return annotation
    for member in getattr(annotation, "__args__", ()):
        if isinstance(member, type) and issubclass(member, Payload):
            return member
    return Payload


class JsonBody(_Param):
    """The body parameter of an operation: `thing: Annotated[NewThing, JsonBody(...)]`."""

    _model = JsonBodyModel

    @classmethod
    def _param_source(cls):
        return "body"


__all__ = ["JsonBody", "Payload", "SingleLine", "Text", "field_message", "read_json"]
