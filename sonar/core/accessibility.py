"""The RGAA 4.1 self-audit (rgaa-4.1.yaml, next to this module) and the rate the
accessibility statement shows.

The rule of the RGAA: the rate is the share of conforming criteria among the applicable ones
(conforme / (conforme + non conforme)). A criterion not yet checked ("à vérifier") counts as
non conforme: the statement never claims what nobody checked. The level follows the rate:
totally conforming at 100 %, partially from 50 %, not conforming below.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

GRID = Path(__file__).with_name("rgaa-4.1.yaml")
CONFORMS = "conforme"
FAILS = "non conforme"
NOT_APPLICABLE = "non applicable"
UNCHECKED = "à vérifier"
STATUSES = (CONFORMS, FAILS, NOT_APPLICABLE, UNCHECKED)
# Criteria per theme in RGAA 4.1 (106 in all).
THEMES = {1: 9, 2: 2, 3: 3, 4: 13, 5: 8, 6: 2, 7: 5, 8: 10, 9: 4, 10: 14, 11: 13, 12: 11, 13: 12}


@dataclass(frozen=True)
class Audit:
    day: date
    sample: list
    criteria: list

    def with_status(self, status):
        return [c for c in self.criteria if c["statut"] == status]

    @property
    def applicable(self):
        return [c for c in self.criteria if c["statut"] != NOT_APPLICABLE]

    @property
    def rate(self):
        """Percentage of conforming criteria among the applicable ones, rounded down to a
        tenth (never up: 49.96 is not 50)."""
        applicable = len(self.applicable)
        if not applicable:
            return 100.0
        return int(1000 * len(self.with_status(CONFORMS)) / applicable) / 10

    @property
    def level(self):
        if self.rate >= 100:
            return "totale"
        return "partielle" if self.rate >= 50 else "non conforme"

    @property
    def to_fix(self):
        """The failures and the unchecked criteria, each with what is planned."""
        return [c for c in self.criteria if c["statut"] in (FAILS, UNCHECKED)]


class GridError(ValueError):
    """The grid is not a complete, well-formed RGAA 4.1 audit."""


def check(data):
    criteria = data.get("criteres") or []
    ids = [str(c.get("id")) for c in criteria]
    expected = [f"{theme}.{n}" for theme, count in THEMES.items() for n in range(1, count + 1)]
    if ids != expected:
        raise GridError("La grille doit lister les 106 critères du RGAA 4.1, dans l’ordre.")
    for criterion in criteria:
        where = f"critère {criterion['id']}"
        if criterion.get("statut") not in STATUSES:
            raise GridError(f"{where} : statut inconnu {criterion.get('statut')!r}.")
        if not criterion.get("titre") or not criterion.get("methode"):
            raise GridError(f"{where} : titre et méthode sont obligatoires.")
        if criterion["statut"] in (FAILS, UNCHECKED) and not criterion.get("prevu"):
            raise GridError(f"{where} : dites ce qui est prévu.")
    if not data.get("echantillon"):
        raise GridError("La grille doit nommer les pages de l’échantillon.")


def read(path=GRID):
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    check(data)
    return Audit(
        day=date.fromisoformat(str(data["date"])),
        sample=data["echantillon"],
        criteria=data["criteres"],
    )


@lru_cache(maxsize=1)
def audit():
    """The audit as shipped with this release (read once per process)."""
    return read()
