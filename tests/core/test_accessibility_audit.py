"""The RGAA 4.1 self-audit grid and the accessibility statement tell the same thing: the grid
is complete and well formed, and the statement's rate, level, sample and date come from it."""

import re
from datetime import date

import pytest
import yaml

from sonar.core import accessibility as rgaa

pytestmark = pytest.mark.engine_independent


def raw():
    return yaml.safe_load(rgaa.GRID.read_text(encoding="utf-8"))


def test_the_grid_lists_the_106_criteria_each_with_a_status_and_a_method():
    audit = rgaa.read()
    assert len(audit.criteria) == 106
    assert {c["statut"] for c in audit.criteria} <= set(rgaa.STATUSES)
    assert all(c["methode"] and c["titre"].endswith("?") for c in audit.criteria)


@pytest.mark.parametrize(
    "breaks, message",
    [
        (lambda d: d["criteres"].pop(), "106 critères"),
        (lambda d: d["criteres"][0].update(statut="presque"), "statut inconnu"),
        (lambda d: d["criteres"][1].update(statut="non conforme", prevu=""), "prévu"),
        (lambda d: d["criteres"][0].update(methode=""), "méthode"),
        (lambda d: d.update(echantillon=[]), "échantillon"),
    ],
)
def test_a_broken_grid_is_refused(tmp_path, breaks, message):
    data = raw()
    breaks(data)
    path = tmp_path / "grid.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(rgaa.GridError, match=message):
        rgaa.read(path)


def test_an_unchecked_criterion_counts_as_a_failure():
    audit = rgaa.read()
    conform = len(audit.with_status(rgaa.CONFORMS))
    counted = len(audit.criteria) - len(audit.with_status(rgaa.NOT_APPLICABLE))
    assert audit.rate == int(1000 * conform / counted) / 10


@pytest.mark.parametrize(
    "rate, level", [(100.0, "totale"), (50.0, "partielle"), (49.9, "non conforme")]
)
def test_the_level_follows_the_rgaa_thresholds(monkeypatch, rate, level):
    monkeypatch.setattr(rgaa.Audit, "rate", property(lambda self: rate))
    assert rgaa.read().level == level


WORDS = {"totale": "totalement conforme", "partielle": "partiellement conforme",
         "non conforme": "non conforme"}  # fmt: skip


@pytest.mark.django_db
def test_the_statement_shows_the_rate_the_level_the_sample_and_the_date_of_the_grid(client):
    data = raw()
    criteria = data["criteres"]
    conform = sum(c["statut"] == "conforme" for c in criteria)
    applicable = sum(c["statut"] != "non applicable" for c in criteria)
    rate = int(1000 * conform / applicable) / 10
    level = "totale" if rate >= 100 else "partielle" if rate >= 50 else "non conforme"
    page = client.get("/accessibilite/").content.decode()
    shown = re.sub(r"\s+", " ", page)
    assert f"<strong>{rate:.1f}".replace(".", ",") in shown
    statement = re.search(r'id="conformite">(.*?)</p>', shown).group(1)
    assert f"<strong>{WORDS[level]}</strong>" in statement
    for other in set(WORDS.values()) - {WORDS[level]}:
        assert f"<strong>{other}</strong>" not in statement
    for sample in data["echantillon"]:
        assert f'href="{sample["adresse"]}"' in page
    day = date.fromisoformat(str(data["date"]))
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre"]  # fmt: skip
    assert f"L’auto-audit du {day.day} {months[day.month - 1]} {day.year}" in shown
    for criterion in criteria:
        if criterion["statut"] == "non conforme":
            assert criterion["prevu"] in page.replace("&#x27;", "'")
