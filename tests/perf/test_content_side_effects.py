"""A write of reference content refreshes what is built from it by explicit calls (the page
cache, the search index, the quiz read model), not through global signals; so Django's fast
delete works again for models nothing listens to."""

import pytest
from django.contrib.sessions.models import Session
from django.db.models.deletion import Collector
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.test import Client
from django.urls import reverse

from sonar.atlas import search
from sonar.atlas.models import Resource
from sonar.core.actions import delete_content, save_revision
from sonar.quiz import data
from sonar.quiz.models import Question, Result
from sonar.workshops.models import Answer, Participant
from tests.atlas.conftest import make_resource


def found(query):
    return [hit.slug for hit in search.search(query).resources]


def test_an_edit_updates_the_kept_page_and_the_search_index(db):
    resource = make_resource("carte-sensible", title_fr="Carte sensible")
    url = reverse("atlas:resource", args=[resource.slug])
    Client().get(url)
    assert Client().get(url)["X-Page-Cache"] == "hit"
    assert found("kaléidoscope") == []

    resource.title_fr = "Kaléidoscope des usages"
    save_revision(resource, "edit", based_on=resource.revision)

    page = Client().get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Kaléidoscope des usages" in page.content.decode()
    assert found("kaléidoscope") == ["carte-sensible"]


def test_a_deletion_forgets_the_search_entries_and_the_kept_page(db):
    resource = make_resource("ephemere", title_fr="Cartographie éphémère")
    url = reverse("atlas:resource", args=[resource.slug])
    Client().get(url)
    delete_content(resource)
    assert found("éphémère") == []
    assert Client().get(url).status_code == 404


def test_an_edit_of_a_question_shows_in_the_quiz_at_once(quiz_content):
    url = reverse("quiz:question", args=["style", 1])
    assert "Une toute nouvelle question" not in Client().get(url).content.decode()
    question = Question.objects.get(questionnaire__key="style", position=1)
    question.text_fr = "Une toute nouvelle question ?"
    save_revision(question, "edit", based_on=question.revision)
    assert data.get("style").questions[0].text_fr == "Une toute nouvelle question ?"
    assert "Une toute nouvelle question" in Client().get(url).content.decode()


@pytest.mark.parametrize("model", [Resource, Question, Result, Answer, Participant, Session])
def test_no_global_signal_listens_to_writes(model):
    for signal in (post_save, post_delete, pre_delete, m2m_changed):
        assert not signal.has_listeners(model), (signal, model)


@pytest.mark.parametrize("model", [Answer, Session, Result])
def test_django_deletes_rows_nothing_depends_on_in_one_query(db, model):
    assert Collector(using="default").can_fast_delete(model.objects.all())
