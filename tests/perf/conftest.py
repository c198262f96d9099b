"""Shared by the page cache tests: the cache on, with a version of its own, and the pages of
the benchmark (bench/pages.py)."""

import pytest
from django.urls import reverse

from sonar.atlas.models import Resource
from sonar.core import content, pagecache
from sonar.quiz.models import Result


@pytest.fixture(autouse=True)
def page_cache(settings, tmp_path):
    settings.SONAR_PAGE_CACHE_SECONDS = 60
    settings.VAR_DIR = tmp_path
    pagecache.store().bump()  # a fresh version: nothing kept by an earlier test is reachable


@pytest.fixture
def quiz_content(db, reference_documents):
    """Only the questionnaires of the reference content: a quarter of the time of all of it."""
    return content.load(
        documents=[d for d in reference_documents if d[0].pattern.startswith("quiz/")]
    )


@pytest.fixture
def result_url(reference_content):
    from sonar.quiz import data

    quiz = data.get("style")
    answers = {q.key: q.choices[0].key for q in quiz.questions}
    result = Result.objects.record(quiz.id, answers, quiz.score(answers), "test")
    return reverse("quiz:result", args=[result.token])


@pytest.fixture
def pages(reference_content):
    """The pages of the benchmark that are kept (a quiz result is its visitor's own: private)."""
    resource = Resource.objects.order_by("slug").first()
    return {
        "home": reverse("core:home"),
        "question": reverse("quiz:question", args=["style", 1]),
        "sea chart": reverse("atlas:map"),
        "catalogue": reverse("atlas:catalogue") + "?kind=methode&vision=democratie",
        "resource": reverse("atlas:resource", args=[resource.slug]),
        "glossary": reverse("atlas:glossary"),
        "search": reverse("atlas:search") + "?q=design",
        "api resources": "/api/v1/resources?kind=methode",
        "api quiz": "/api/v1/quiz/style",
        "english home": "/en/",
    }
