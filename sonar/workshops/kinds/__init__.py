"""The kinds of step a workshop is made of, one module per kind in this package.

A kind says how a step of its kind is made from a specification (the API's body, a déroulé's
file), what a participant's answer looks like and how answers add up. Adding a kind (issue 14:
open question, scale, ideas) is adding a module here that registers a `Kind`: no other kind,
and no caller, changes. Questionnaire kinds (the style quiz, the maturity diagnostic) keep their
answers per question (models.Answer); the others keep one JSON value per participant and step
(models.StepAnswer).
"""

import pkgutil
from abc import ABC, abstractmethod
from importlib import import_module

from django.utils.translation import gettext as _

_registry = {}
_loaded = []


class Refused(Exception):
    """A specification or an answer that does not fit, with the French sentence that says why
    and, per field, what is expected."""

    def __init__(self, message, fields=None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class Kind(ABC):
    """The base of every kind: the defaults of a step that takes no answer of its own. A kind
    must say how a step of it is built (`build`); the rest has defaults."""

    key = ""
    # A questionnaire kind names the questionnaire it runs; answers go per question.
    questionnaire = None

    def label(self):
        return self.key

    @abstractmethod
    def build(self, spec):
        """(title, config) of a new step from its specification (a dict), or Refused."""

    def screens(self, step):
        """How many screens a participant goes through in this step (paced: one at a time)."""
        return 1

    def choices(self, step):
        """The choices a participant picks from, as [{"key", "label"}]."""
        return []

    def read_answer(self, step, body):
        """The value to store from a participant's body (a dict), or Refused."""
        raise Refused(_("Cette étape ne prend pas de réponse de cette forme."))

    def count(self, step, values):
        """What the stored values add up to, as JSON data (the results' `steps[key]`)."""
        return {}


def register(kind_class):
    _registry[kind_class.key] = kind_class()
    return kind_class


def _load():
    """Import every module of the package once (a module imported on its own registers only
    its kind)."""
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            import_module(f"{__name__}.{module.name}")
        _loaded.append(True)


def get(key):
    """The kind registered under `key`, or None."""
    _load()
    return _registry.get(key)


def registered():
    _load()
    return sorted(_registry)
