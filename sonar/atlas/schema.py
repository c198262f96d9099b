"""The survival map's reference content, as files: resources, glossary terms, cases, synonyms.

Read by the atlas app's loader; kept apart so that content can be validated on its own
(`python -m sonar.atlas.schema`) while the app grows.
"""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonar.settings")
    django.setup()

from typing import Literal

from pydantic import Field, HttpUrl, field_validator

from sonar.core.content import I18n, Schema, parse_yaml

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Kind = Literal["methode", "concept", "outil", "approche", "courant"]
Vision = Literal["entreprise", "technologie", "democratie", "science", "art"]
ProfileKey = Literal["culture", "technique", "usages", "hybride"]


class Source(Schema):
    title: str
    publisher: str
    year: int | None = Field(default=None, ge=1900, le=2030)
    url: HttpUrl


class Steps(Schema):
    """How to start on Monday: 3 to 5 concrete steps, in both languages, in the same order."""

    fr: list[str] = Field(min_length=3, max_length=5)
    en: list[str] = Field(min_length=3, max_length=5)

    @field_validator("en")
    @classmethod
    def same_length(cls, value, info):
        if "fr" in info.data and len(value) != len(info.data["fr"]):
            raise ValueError("autant d’étapes en anglais qu’en français")
        return value


class ResourceFile(Schema):
    slug: str = Field(pattern=SLUG)
    kind: Kind
    title: I18n
    summary: I18n
    description: I18n
    when_to_use: I18n
    when_not_to_use: I18n
    how_to_start: Steps
    controversies: I18n
    visions: list[Vision] = Field(min_length=1, max_length=3)
    # Sea chart axes, from -100 to 100. focus: -100 = centred on the solution, 100 = centred on
    # the cultural conditions of change. maturity: -100 = long rooted in practice, 100 = emerging.
    focus: int = Field(ge=-100, le=100)
    maturity: int = Field(ge=-100, le=100)
    profiles: list[ProfileKey] = Field(min_length=1, max_length=4)
    combines_with: list[str] = []
    in_tension_with: list[str] = []
    named_in_journal: bool = False
    sources: list[Source] = Field(min_length=1)


class TermFile(Schema):
    slug: str = Field(pattern=SLUG)
    term: I18n
    definition: I18n
    # "sonar-1.0": the journal's own definition, quoted word for word; "sonar": written by us.
    origin: Literal["sonar-1.0", "sonar"]
    resource: str | None = None
    sources: list[Source] = []


class GlossaryFile(Schema):
    terms: list[TermFile] = Field(min_length=1)


class CaseFile(Schema):
    slug: str = Field(pattern=SLUG)
    title: I18n
    place: str
    country: str = "France"
    year: int | None = Field(default=None, ge=1950, le=2030)
    summary: I18n
    description: I18n
    resources: list[str] = Field(min_length=1)
    named_in_journal: bool = False
    sources: list[Source] = Field(min_length=1)


class SynonymsFile(Schema):
    """Groups of words that search treats as one (open data / données ouvertes…)."""

    groups: list[list[str]] = Field(min_length=1)


def validate_directory(directory):
    """Every file valid, every slug unique, every reference pointing to a known slug."""
    directory = Path(directory)
    problems, resources, cases = [], {}, {}
    for path in sorted((directory / "resources").glob("*.yaml")):
        data, _lines = parse_yaml(path.read_text(encoding="utf-8"))
        try:
            doc = ResourceFile.model_validate(data)
        except Exception as exc:
            problems.append(f"{path}: {exc}")
            continue
        if doc.slug != path.stem:
            problems.append(f"{path}: slug {doc.slug} differs from the file name")
        resources[doc.slug] = doc
    for path in sorted((directory / "cases").glob("*.yaml")):
        data, _lines = parse_yaml(path.read_text(encoding="utf-8"))
        try:
            cases[path.stem] = CaseFile.model_validate(data)
        except Exception as exc:
            problems.append(f"{path}: {exc}")
    glossary = directory / "glossary.yaml"
    terms = []
    if glossary.exists():
        try:
            terms = GlossaryFile.model_validate(parse_yaml(glossary.read_text())[0]).terms
        except Exception as exc:
            problems.append(f"{glossary}: {exc}")
    for doc in resources.values():
        for slug in doc.combines_with + doc.in_tension_with:
            if slug not in resources:
                problems.append(f"resource {doc.slug}: unknown related resource {slug}")
    for slug, case in cases.items():
        for ref in case.resources:
            if ref not in resources:
                problems.append(f"case {slug}: unknown resource {ref}")
    for term in terms:
        if term.resource and term.resource not in resources:
            problems.append(f"term {term.slug}: unknown resource {term.resource}")
    return problems, len(resources), len(cases), len(terms)


if __name__ == "__main__":
    problems, n_resources, n_cases, n_terms = validate_directory(
        sys.argv[1] if len(sys.argv) > 1 else "content/atlas"
    )
    print("\n".join(problems) or "ok")
    print(f"{n_resources} resources, {n_cases} cases, {n_terms} terms")
    sys.exit(1 if problems else 0)
