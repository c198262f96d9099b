"""The content pipeline: reference content in YAML, validated, then written in one transaction.

Each app that owns content declares, in its own `content.py`, a list `KINDS` of ContentKind:
which files it reads (a glob under content/), the pydantic schema a file must match, optional
cross-field checks, and how a valid document is written to the database.

Rules:
- Every file is parsed and validated before anything is written. An error names the file, the
  line and the field; when there is one, the database is left untouched.
- The whole load is one transaction: it lands entirely or not at all.
- Every object written gets a revision (origin "load"). An object whose latest revision is an
  edit made in Sonar since the last load is not overwritten: the load reports it as a conflict
  and keeps the edit, unless asked to force.
- A load of unchanged files changes nothing (no new revision).
- A kind's `editorial` check holds the editorial rules of CONTENT.md (a source without a year,
  a critique that names no one…). `read(editorial=True)` runs them, as the apps' validators do;
  `sonar load-content` runs them too (EDITORIAL_RULES_ON_LOAD) and refuses a file that breaks
  them, as it refuses a malformed one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.conf import settings
from django.db import transaction
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from sonar.core.actions import save_revision
from sonar.core.models import Revision


class Schema(BaseModel):
    """Base of every content schema: unknown fields are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class I18n(Schema):
    """A text in French and in English, side by side."""

    fr: str
    en: str

    @field_validator("fr", "en")
    @classmethod
    def not_blank(cls, value):
        if not value.strip():
            raise ValueError("texte vide")
        return value


def i18n_values(name, text):
    """`title: {fr, en}` in a file becomes `title_fr`, `title_en` on a model."""
    if text is None:
        return {f"{name}_fr": "", f"{name}_en": ""}
    return {f"{name}_fr": text.fr, f"{name}_en": text.en}


# The editorial rules (issue 15) are part of every load; tests turn them off to load synthetic
# content that is only about shape.
EDITORIAL_RULES_ON_LOAD = True


@dataclass
class ContentKind:
    pattern: str
    schema: type[Schema]
    apply: Callable[[Any, "Writer"], None]
    check: Callable[[Any], list[tuple[tuple, str]]] | None = None
    editorial: Callable[[Any], list[tuple[tuple, str]]] | None = None


@dataclass
class ContentError:
    path: Path
    line: int | None
    field: str
    message: str

    def __str__(self):
        where = f"{self.path}"
        if self.line:
            where += f", ligne {self.line}"
        if self.field:
            where += f", champ « {self.field} »"
        return f"{where} : {self.message}"


class ContentInvalid(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    files: int = 0

    @property
    def changed(self):
        return self.created + self.updated


# YAML with line numbers --------------------------------------------------------------------


class _DuplicateKey(Exception):
    def __init__(self, key, line):
        self.key, self.line = key, line


def parse_yaml(text):
    """Parse YAML into plain data, and map every path (tuple of keys and indexes) to its line."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    lines = {}

    def build(node, path):
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            data = {}
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=True)
                if key in data:
                    raise _DuplicateKey(key, key_node.start_mark.line + 1)
                lines[(*path, key)] = key_node.start_mark.line + 1
                data[key] = build(value_node, (*path, key))
            return data
        if isinstance(node, yaml.SequenceNode):
            return [build(item, (*path, i)) for i, item in enumerate(node.value)]
        return loader.construct_object(node, deep=True)

    return (build(node, ()) if node is not None else None), lines


_FRENCH_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (faute de frappe ?)",
    "string_type": "un texte est attendu",
    "int_type": "un nombre entier est attendu",
    "int_parsing": "un nombre entier est attendu",
    "float_type": "un nombre est attendu",
    "float_parsing": "un nombre est attendu",
    "list_type": "une liste est attendue",
    "dict_type": "un ensemble de champs est attendu",
    "model_type": "un ensemble de champs est attendu",
    "bool_type": "oui ou non (true / false) est attendu",
    "bool_parsing": "oui ou non (true / false) est attendu",
    "literal_error": "valeur non permise",
    "enum": "valeur non permise",
    "too_short": "liste trop courte",
    "too_long": "liste trop longue",
    "string_too_short": "texte trop court",
    "string_too_long": "texte trop long",
    "string_pattern_mismatch": "forme non permise",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "value_error": None,
}


def _french(error):
    message = _FRENCH_MESSAGES.get(error["type"])
    if message is None:
        message = error["msg"].removeprefix("Value error, ")
    if error["type"] in {"literal_error", "enum"} and "expected" in error.get("ctx", {}):
        message += f" (attendu : {error['ctx']['expected']})"
    return message


def _line_for(lines, loc):
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc)


def _dotted(loc):
    return ".".join(str(part) for part in loc)


# Loading -----------------------------------------------------------------------------------


def content_modules():
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("sonar."):
            continue
        try:
            modules.append(import_module(f"{config.name}.content"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.content":
                raise
    return modules


def content_kinds():
    return [kind for module in content_modules() for kind in getattr(module, "KINDS", [])]


def read(directory, editorial=None):
    """Parse and validate every content file; return [(kind, path, document)] or raise.

    `editorial`: run the kinds' editorial checks too (EDITORIAL_RULES_ON_LOAD when not given).

    After each file is checked on its own, an app's `check_all(documents)` checks what spans
    files (a case naming a resource defined elsewhere) and returns (path, loc, message) triples.
    """
    directory = Path(directory)
    if editorial is None:
        editorial = EDITORIAL_RULES_ON_LOAD
    documents, errors, lines_of = [], [], {}
    for kind in content_kinds():
        for path in sorted(directory.glob(kind.pattern)):
            shown = path.relative_to(directory.parent) if directory.parent in path.parents else path
            try:
                data, lines = parse_yaml(path.read_text(encoding="utf-8"))
            except _DuplicateKey as exc:
                errors.append(ContentError(shown, exc.line, str(exc.key), "champ écrit deux fois"))
                continue
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 1 if mark else None
                problem = getattr(exc, "problem", None) or str(exc)
                errors.append(ContentError(shown, line, "", f"YAML illisible ({problem})"))
                continue
            except UnicodeDecodeError:
                errors.append(ContentError(shown, None, "", "le fichier n’est pas en UTF-8"))
                continue
            try:
                document = kind.schema.model_validate(data if data is not None else {})
            except ValidationError as exc:
                for error in exc.errors():
                    errors.append(
                        ContentError(
                            shown,
                            _line_for(lines, error["loc"]),
                            _dotted(error["loc"]),
                            _french(error),
                        )
                    )
                continue
            checks = [kind.check] if kind.check else []
            if editorial and kind.editorial:
                checks.append(kind.editorial)
            for loc, message in (problem for check in checks for problem in check(document)):
                errors.append(ContentError(shown, _line_for(lines, loc), _dotted(loc), message))
            documents.append((kind, shown, document))
            lines_of[shown] = lines
    for module in content_modules() if not errors else []:
        for path, loc, message in getattr(module, "check_all", lambda _docs: [])(documents):
            line = _line_for(lines_of.get(path, {}), loc)
            errors.append(ContentError(path, line, _dotted(loc), message))
    if errors:
        raise ContentInvalid(errors)
    return documents


class Writer:
    """Writes validated documents; keeps the report; never overwrites an edit unless forced."""

    def __init__(self, force=False):
        self.force = force
        self.report = Report()
        self.path = None

    def upsert(self, model, lookup, values):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            save_revision(obj, Revision.Origin.LOAD)
            self.report.created += 1
            return obj
        before = obj.snapshot()
        for name, value in values.items():
            setattr(obj, name, value)
        if obj.snapshot() == before:
            self.report.unchanged += 1
            return obj
        latest = obj.revisions().last()
        if latest is not None and latest.origin == Revision.Origin.EDIT and not self.force:
            obj.refresh_from_db()
            self.report.conflicts.append(
                f"{self.path} : « {obj} » a été modifié dans Sonar depuis le dernier chargement ; "
                "la modification est conservée (--force pour la remplacer)."
            )
            return obj
        save_revision(obj, Revision.Origin.LOAD)
        self.report.updated += 1
        return obj


def load(directory=None, force=False, dry_run=False, documents=None):
    """Validate every file, then write them all in one transaction. Returns a Report.

    `documents`, the result of an earlier `read()`, spares parsing the same files again.
    """
    if documents is None:
        documents = read(directory or settings.SONAR_CONTENT_DIR)
    writer = Writer(force=force)
    with transaction.atomic():
        for kind, path, document in documents:
            writer.path = path
            kind.apply(document, writer)
            writer.report.files += 1
        if dry_run:
            transaction.set_rollback(True)
    return writer.report
