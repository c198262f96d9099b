"""The maturity diagnostic says what inspired it (dated sources the map already cites), that
it is not statistically validated, and what its ladder leaves out, with why."""

import html
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.urls import reverse

from sonar.quiz.models import Result
from tests.quiz.test_maturity_path import EQUIPAGE, take
from tests.quiz.test_visitor_path import text

pytestmark = pytest.mark.usefixtures("reference_content")

NOTES = Path(settings.BASE_DIR) / "sonar/quiz/templates/quiz/_model_notes.html"


def spaced(words):
    """Titles compared whatever their spaces (the map's files use French non-breaking ones)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", words).strip()


def map_sources():
    """Every (title, year) the map's resources and cases cite."""
    found = set()
    content = Path(settings.SONAR_CONTENT_DIR) / "atlas"
    for path in [*content.glob("resources/*.yaml"), *content.glob("cases/*.yaml")]:
        for source in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources") or []:
            found.add((spaced(source["title"]), source.get("year")))
    return found


def cited():
    """(title, year) of each work the notes cite."""
    items = re.findall(r"<li>(.*?)</li>", NOTES.read_text(encoding="utf-8"), re.S)
    works = []
    for item in items:
        title = re.search(r"<cite[^>]*>(.*?)</cite>", item, re.S)
        if title is None:
            continue
        year = re.search(r"</cite>.*?\b((?:19|20)\d\d)\.", item, re.S)
        works.append((spaced(html.unescape(title.group(1))), int(year.group(1)) if year else None))
    return works


def test_every_work_cited_is_one_the_map_already_cites_with_the_same_year():
    works = cited()
    assert len(works) >= 6
    known = map_sources()
    for work in works:
        assert work in known, work


@pytest.mark.parametrize("page", ["start", "result"])
def test_the_start_and_the_result_say_the_model_is_not_validated(client, page):
    if page == "start":
        response = client.get(reverse("quiz:start", args=["maturity"]))
    else:
        take(client, EQUIPAGE)
        response = client.get(reverse("quiz:result", args=[Result.objects.get().token]))
    words = text(response)
    assert "Ce diagnostic n’est pas validé statistiquement." in words
    assert "ouvrir la discussion" in words
    assert (
        "Systems Approaches to Public Sector Challenges: Working with Change , "
        "OECD Publishing, 2017" in words
    )
    assert "Ce que l’échelle laisse de côté, et pourquoi" in words


def test_what_the_ladder_leaves_out_links_to_resources_that_exist(client):
    html_text = client.get(reverse("quiz:start", args=["maturity"])).content.decode()
    section = html_text.split("Ce que l’échelle laisse de côté", 1)[1].split("</section>", 1)[0]
    links = re.findall(r'href="(/carte/ressources/[^"]+)"', section)
    assert len(links) == 6
    for link in links:
        assert client.get(link).status_code == 200, link
    for practice in ("Améliorer l’efficacité et la qualité", "La prospective", "données"):
        assert practice in section


def test_the_style_quiz_does_not_carry_the_maturity_notes(client):
    words = text(client.get(reverse("quiz:start", args=["style"])))
    assert "validé statistiquement" not in words
