"""Scoring a questionnaire, and checking the answers before scoring them.

Two rules: `score` (a majority, the style quiz) and `ladder` (the lower median of stages, the
maturity diagnostic); `score_with` picks the questionnaire's own. Every function is pure: it
takes plain data (keys and mappings), touches no database and no request, so the pages, the
API and the workshops score exactly the same way.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Score:
    counts: dict[str, int]
    winners: tuple[str, ...]

    @property
    def mixed(self):
        return len(self.winners) > 1

    def as_dict(self):
        """The API's shape: `profiles` holds the winning keys, in the questionnaire's order."""
        return {"counts": dict(self.counts), "profiles": list(self.winners), "mixed": self.mixed}


def score(answers, choice_outcomes, outcome_order):
    """Each answer counts one for the outcome of the choice made.

    The result is the outcome with the most answers ("une majorité de…"). When several outcomes
    share the highest count, all of them win, in the questionnaire's order (x, §, ¿, # for the
    style quiz): a tie is reported as a mixed profile, never settled at random. With no answer
    at all, nothing wins.

    `answers` maps question keys to choice keys, `choice_outcomes` maps choice keys to outcome
    keys, `outcome_order` lists every outcome key. Answers must have been validated first.
    """
    counts = {key: 0 for key in outcome_order}
    for choice_key in answers.values():
        counts[choice_outcomes[choice_key]] += 1
    top = max(counts.values(), default=0)
    winners = tuple(key for key in outcome_order if top and counts[key] == top)
    return Score(counts=counts, winners=winners)


def ladder(answers, choice_outcomes, outcome_order):
    """Each answer counts for the stage its choice typifies; the result is their lower median.

    Stages are ranked by their place in `outcome_order` (lowest first). The answers' stages are
    put in rank order and the middle one wins; with an even number of answers, the lower of the
    two middle stages wins: the diagnostic never flatters. With no answer at all, no stage.
    `counts` holds the number of answers per stage; `winners` the one stage, or nothing.
    Same arguments as `score`; answers must have been validated first.
    """
    counts = {key: 0 for key in outcome_order}
    for choice_key in answers.values():
        counts[choice_outcomes[choice_key]] += 1
    stage = lower_median(counts, outcome_order)
    return Score(counts=counts, winners=(stage,) if stage else ())


def lower_median(counts, outcome_order):
    """The lower median stage of answers given as counts per stage; None when there are none.

    Answer number (total + 1) // 2, in rank order, is the one in the middle (the lower of the
    two middle ones when the total is even).
    """
    middle = (sum(counts.values()) + 1) // 2
    if not middle:
        return None
    seen = 0
    for key in outcome_order:
        seen += counts.get(key, 0)
        if seen >= middle:
            return key
    return None


SCORINGS = {"majority": score, "ladder": ladder}


def score_with(scoring, answers, choice_outcomes, outcome_order):
    """Score answers by the questionnaire's own rule (`Questionnaire.scoring`).

    The one entry point for every caller: a page, the API, a workshop.
    """
    return SCORINGS[scoring](answers, choice_outcomes, outcome_order)


def validate_answers(answers, questions):
    """Check a set of answers against a questionnaire; return {field: French message}.

    `questions` maps each question key, in order, to the keys of its choices. Every question
    needs exactly one answer, given as the key of one of its own choices. Field names are
    `answers` for the whole set and `answers.<question key>` for one answer, so a client can
    show each message next to its field. An empty result means the answers can be scored.
    """
    if not isinstance(answers, Mapping):
        example = ", ".join(f"« {q} » : « {c[0]} »" for q, c in list(questions.items())[:2])
        return {
            "answers": _("Un objet est attendu, une réponse par question, par exemple { %s }.")
            % example
        }
    errors = {}
    owner = {choice: question for question, choices in questions.items() for choice in choices}
    for question, choice in answers.items():
        field = f"answers.{question}"
        if question not in questions:
            errors[field] = _("Question inconnue : les questions sont %(keys)s.") % {
                "keys": _join(list(questions))
            }
        elif not isinstance(choice, str):
            errors[field] = _(
                "Une réponse s’écrit avec la clé d’un choix, entre guillemets (par exemple « %s »)."
            ) % (questions[question][0],)
        elif choice not in questions[question]:
            if choice in owner:
                errors[field] = _(
                    "« %(choice)s » est une réponse à la question %(other)s, pas à celle-ci ; "
                    "choisissez parmi %(keys)s."
                ) % {"choice": choice, "other": owner[choice], "keys": _join(questions[question])}
            else:
                errors[field] = _("Réponse inconnue : choisissez parmi %s.") % _join(
                    questions[question]
                )
    for question, choices in questions.items():
        if question not in answers:
            errors[f"answers.{question}"] = _("Réponse manquante : choisissez parmi %s.") % _join(
                choices
            )
    return errors


def _join(keys: Sequence[str]):
    return ", ".join(f"« {key} »" for key in keys)
