"""The déroulés (workshop templates) of content/workshops/*.yaml: read, checked, loaded."""

from typing import Literal

from django.utils import translation
from pydantic import Field

from sonar.core.content import ContentKind, I18n, Schema, i18n_values


class TemplateChoice(Schema):
    label: I18n
    profile: str | None = None


class TemplateStep(Schema):
    kind: str
    minutes: int = Field(gt=0, le=240)
    title: I18n | None = None
    prompt: I18n | None = None
    choices: list[TemplateChoice] | None = None
    multiple: bool = False
    script: I18n
    discussion: list[I18n] = Field(min_length=1)


class TemplateFile(Schema):
    key: str = Field(pattern=r"^[a-z0-9-]+$", max_length=50)
    title: I18n
    summary: I18n
    minutes: int = Field(gt=0, le=600)
    mode: Literal["paced", "self-paced"] = "paced"
    steps: list[TemplateStep] = Field(min_length=1, max_length=30)


def check(doc):
    """Every step is one Sonar can build, in both languages; the timings fit the duration."""
    from sonar.workshops import actions, kinds

    problems = []
    total = sum(step.minutes for step in doc.steps)
    if total > doc.minutes:
        problems.append(
            (("minutes",), f"les étapes durent {total} minutes, plus que les {doc.minutes} prévues")
        )
    for index, step in enumerate(doc.steps):
        if kinds.get(step.kind) is None:
            problems.append((("steps", index, "kind"), f"type d’étape inconnu « {step.kind} »"))
    if problems:
        return problems
    data = doc.model_dump()
    for language in ("fr", "en"):
        specs = _specs(data["steps"], language)
        for index, spec in enumerate(specs):
            if kinds.get(spec["kind"]).questionnaire:
                continue  # the questionnaire is checked when it is loaded, not here
            try:
                with translation.override(language):
                    actions._build_step(spec, set())
            except kinds.Refused as refused:
                for name, message in (refused.fields or {"": refused.message}).items():
                    problems.append((("steps", index, name), f"{language} : {message}"))
    return problems


def _specs(steps, language):
    from sonar.workshops.models import WorkshopTemplate

    return WorkshopTemplate(steps=steps).specs(language)


def apply(doc, writer):
    from sonar.workshops.models import WorkshopTemplate

    writer.upsert(
        WorkshopTemplate,
        {"key": doc.key},
        {
            **i18n_values("title", doc.title),
            **i18n_values("summary", doc.summary),
            "minutes": doc.minutes,
            "mode": doc.mode,
            "steps": doc.model_dump(exclude_none=True)["steps"],
        },
    )


KINDS = [ContentKind(pattern="workshops/*.yaml", schema=TemplateFile, apply=apply, check=check)]
