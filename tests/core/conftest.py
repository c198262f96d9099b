"""A tiny questionnaire written as content files, to exercise the pipeline without content/."""

import pytest

MINI = """\
key: "mini"
scoring: "majority"
source: "sonar"
title:
  fr: "Mini questionnaire"
  en: "Mini questionnaire"
outcomes:
  - key: "mer"
    name:
      fr: "Mer"
      en: "Sea"
    description:
      fr: "Vous préférez le large."
      en: "You prefer the open sea."
  - key: "terre"
    name:
      fr: "Terre"
      en: "Land"
    description:
      fr: "Vous préférez la terre ferme."
      en: "You prefer dry land."
questions:
  - key: "q1"
    text:
      fr: "Où partir ?"
      en: "Where to go?"
    choices:
      - key: "q1a"
        text:
          fr: "Au large"
          en: "Offshore"
        outcome: "mer"
        rationale:
          fr: "Le large, c’est la mer."
          en: "Offshore means the sea."
      - key: "q1b"
        text:
          fr: "Dans les champs"
          en: "To the fields"
        outcome: "terre"
        rationale:
          fr: "Les champs, c’est la terre."
          en: "Fields mean land."
"""
# One questionnaire, two outcomes, one question, two choices.
MINI_OBJECTS = 6


@pytest.fixture
def content_dir(tmp_path):
    """A content/ directory holding the mini questionnaire as content/quiz/mini.yaml."""
    directory = tmp_path / "content"
    (directory / "quiz").mkdir(parents=True)
    (directory / "quiz" / "mini.yaml").write_text(MINI, encoding="utf-8")
    return directory


def write_quiz(directory, text, name="mini"):
    path = directory / "quiz" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path
