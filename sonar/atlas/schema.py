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

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, HttpUrl, field_validator, model_validator

from sonar.atlas import vocabulary
from sonar.core.content import I18n, Schema

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Kind = Literal["methode", "concept", "outil", "approche", "courant"]
Vision = Literal["entreprise", "technologie", "democratie", "science", "art"]
ProfileKey = Literal["culture", "technique", "usages", "hybride"]


WIKIPEDIA = re.compile(r"(^|\.)wikipedia\.org$")
AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\bet\b|\band\b)\s*")


def _distinct(values):
    if len(set(values)) != len(values):
        raise ValueError("une valeur est écrite deux fois")
    return values


Distinct = AfterValidator(_distinct)


class Source(Schema):
    """A work cited: title, publisher, year and address; `author` names the person(s) or body
    who wrote it, which is how a critique in `controversies` is tied to its work."""

    title: str
    publisher: str
    author: str | None = Field(default=None, min_length=1)
    year: int | None = Field(default=None, ge=1600, le=2030)
    url: HttpUrl

    def authors(self):
        """The author as written, and each name of a list of authors ("A, B et C")."""
        if not self.author:
            return set()
        return {self.author, *(n for n in AUTHOR_SEPARATORS.split(self.author) if n)}

    @property
    def is_wikipedia(self):
        return bool(WIKIPEDIA.search(self.url.host or ""))


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


TaskKey = Literal[tuple(vocabulary.Task.values)]
ThemeKey = Literal[tuple(vocabulary.Theme.values)]


class ResourceFile(Schema):
    """A resource. The fields of the method finder (critics … outside_help) may be missing while
    the existing files get them; `editorial_problems` below requires them."""

    slug: str = Field(pattern=SLUG)
    kind: Kind
    title: I18n
    summary: I18n
    description: I18n
    when_to_use: I18n
    when_not_to_use: I18n
    how_to_start: Steps
    controversies: I18n
    # Who makes the critiques of `controversies`: each name written exactly so in the French and
    # the English text, and the `author` of one of the sources.
    critics: Annotated[list[str], Distinct] | None = Field(default=None, min_length=1)
    visions: list[Vision] = Field(min_length=1, max_length=3)
    # Sea chart axes, from -100 to 100. focus: -100 = centred on the solution, 100 = centred on
    # the cultural conditions of change. maturity: -100 = long rooted in practice, 100 = emerging.
    focus: int = Field(ge=-100, le=100)
    maturity: int = Field(ge=-100, le=100)
    profiles: list[ProfileKey] = Field(min_length=1, max_length=4)
    tasks: Annotated[list[TaskKey], Distinct] | None = Field(
        default=None, min_length=1, max_length=4
    )
    cost: Literal[tuple(vocabulary.Cost.values)] | None = None
    duration: Literal[tuple(vocabulary.Duration.values)] | None = None
    group_size: Literal[tuple(vocabulary.GroupSize.values)] | None = None
    political_sensitivity: Literal[tuple(vocabulary.Sensitivity.values)] | None = None
    outside_help: Literal[tuple(vocabulary.OutsideHelp.values)] | None = None
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
    # Our note beside the definition (a journal text cut short, a usual term): never inside it.
    note: I18n | None = None
    resource: str | None = None
    sources: list[Source] = []


class GlossaryFile(Schema):
    terms: list[TermFile] = Field(min_length=1)


class Period(Schema):
    """When a case ran: a start, an end, or both; no end for a case still running."""

    start: int | None = Field(default=None, ge=1950, le=2030)
    end: int | None = Field(default=None, ge=1950, le=2030)

    @model_validator(mode="after")
    def known_and_in_order(self):
        if self.start is None and self.end is None:
            raise ValueError("indiquez start, end ou les deux ; sinon, omettez period")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("end est avant start")
        return self


class Collectivite(Schema):
    type: Literal[tuple(vocabulary.CollectiviteType.values)]
    # Left out when not meaningful (a State) or not known.
    population: Literal[tuple(vocabulary.Population.values)] | None = None


class CaseFile(Schema):
    """A real case. `year` is the old form of `period` (kept for loading while the existing
    files move to `period`); collectivite … did_not_work may be missing meanwhile, and
    `editorial_problems` below requires them."""

    slug: str = Field(pattern=SLUG)
    title: I18n
    place: str
    country: str = "France"
    year: int | None = Field(default=None, ge=1950, le=2030)
    period: Period | None = None
    collectivite: Collectivite | None = None
    themes: Annotated[list[ThemeKey], Distinct] | None = Field(
        default=None, min_length=1, max_length=3
    )
    summary: I18n
    description: I18n
    # Only when the figure is public and in a cited source.
    budget: I18n | None = None
    results: I18n | None = None
    did_not_work: I18n | None = None
    resources: list[str] = Field(min_length=1)
    named_in_journal: bool = False
    sources: list[Source] = Field(min_length=1)

    @field_validator("period")
    @classmethod
    def one_date_form(cls, value, info):
        if value is not None and info.data.get("year") is not None:
            raise ValueError("year et period à la fois : gardez period seul")
        return value

    @property
    def start(self):
        """The first year of the case, from `period` or the old `year`."""
        return self.period.start if self.period else self.year

    @property
    def end(self):
        """The last year; the old `year` stands for both ends, so that a case is shown as it
        was (a single year) and not as still running."""
        return self.period.end if self.period else self.year


class SynonymsFile(Schema):
    """Groups of words that search treats as one (open data / données ouvertes…)."""

    groups: list[list[str]] = Field(min_length=1)


# Editorial rules (CONTENT.md) ----------------------------------------------------------------

RESOURCE_REQUIRED = (
    "critics", "tasks", "cost", "duration", "group_size", "political_sensitivity", "outside_help",
)  # fmt: skip
CASE_REQUIRED = ("collectivite", "themes", "results", "did_not_work")


def editorial_problems(doc):
    """What a file must have beyond its shape to be published: (loc, message) pairs.

    Every source has a year; a resource says whether the journal names it, rests on more than
    Wikipedia, and names who makes its critiques (each critic written exactly so in both texts
    of `controversies`, and the author of one of its sources); a case says what did not work.
    """
    if isinstance(doc, ResourceFile):
        return _resource_problems(doc)
    if isinstance(doc, CaseFile):
        return _case_problems(doc)
    if isinstance(doc, GlossaryFile):
        return [
            (("terms", i, *loc), message)
            for i, term in enumerate(doc.terms)
            for loc, message in _source_problems(term.sources)
        ]
    return []


MISSING_HINTS = {
    "critics": "nommez les personnes ou organismes qui font les critiques de controversies",
    "did_not_work": "dites ce qui n’a pas marché, ou ce qu’on n’en sait pas",
}


def _missing(doc, names):
    return [
        ((name,), " : ".join(filter(None, ["champ obligatoire manquant", MISSING_HINTS.get(name)])))
        for name in names
        if getattr(doc, name) is None
    ]


def _source_problems(sources):
    return [
        (("sources", i, "year"), f"source sans année : « {source.title} »")
        for i, source in enumerate(sources)
        if source.year is None
    ]


def _resource_problems(doc):
    problems = []
    if "named_in_journal" not in doc.model_fields_set:
        problems.append(
            (
                ("named_in_journal",),
                "à écrire explicitement : true si le journal la nomme, sinon false",
            )
        )
    problems += _missing(doc, RESOURCE_REQUIRED)
    problems += _source_problems(doc.sources)
    if all(source.is_wikipedia for source in doc.sources):
        problems.append(
            (
                ("sources",),
                "Wikipédia est la seule source : citez d’abord une source primaire "
                "(le programme, la loi, l’étude)",
            )
        )
    authors = set().union(*(source.authors() for source in doc.sources))
    for i, name in enumerate(doc.critics or []):
        for language in ("fr", "en"):
            if name not in getattr(doc.controversies, language):
                problems.append(
                    (
                        ("critics", i),
                        f"« {name} » n’est pas écrit tel quel dans controversies.{language}",
                    )
                )
        if name not in authors:
            problems.append(
                (
                    ("critics", i),
                    f"« {name} » n’est l’auteur (author) d’aucune source : citez l’œuvre où "
                    "la critique est faite",
                )
            )
    return problems


def _case_problems(doc):
    problems = []
    if doc.year is not None:
        problems.append((("year",), "remplacé par period (start, end)"))
    problems += _missing(doc, CASE_REQUIRED)
    problems += _source_problems(doc.sources)
    return problems


# python -m sonar.atlas.schema ------------------------------------------------------------------


def check(directory, only=()):
    """Every content file valid, cross-references resolved, and the editorial rules met.

    `directory` is the atlas's folder (content/atlas); the other apps' content beside it is read
    too, since trajectories name resources. Returns (errors, counts); `only`, file paths, keeps
    the errors of those files.
    """
    from sonar.core import content

    directory = Path(directory)
    try:
        documents = content.read(directory.parent, editorial=True)
        errors = []
    except content.ContentInvalid as exc:
        documents, errors = [], exc.errors
    if only:
        wanted = {Path(p).resolve() for p in only}
        errors = [e for e in errors if _resolved(directory.parent, e.path) in wanted]
    counts = {
        "resources": sum(isinstance(doc, ResourceFile) for _k, _p, doc in documents),
        "cases": sum(isinstance(doc, CaseFile) for _k, _p, doc in documents),
        "terms": sum(len(doc.terms) for _k, _p, doc in documents if isinstance(doc, GlossaryFile)),
    }
    return errors, counts


def _resolved(root, shown):
    # read() shows a path relative to the parent of the content folder.
    return (root.parent / shown).resolve()


def main(arguments):
    """`python -m sonar.atlas.schema [content/atlas] [FILE…]`: exit status 1 on any problem."""
    directory = Path("content/atlas")
    files = []
    for argument in arguments:
        if Path(argument).is_dir():
            directory = Path(argument)
        else:
            files.append(argument)
    errors, counts = check(directory, files)
    print("\n".join(str(e) for e in errors) or "ok")
    if not errors:
        print(f"{counts['resources']} resources, {counts['cases']} cases, {counts['terms']} terms")
    return 1 if errors else 0


if __name__ == "__main__":
    from sonar.atlas import schema

    sys.exit(schema.main(sys.argv[1:]))
