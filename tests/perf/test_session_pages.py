"""Pages rendered for a visitor with a session (signed in, or mid-quiz): the kept page with
only its personal zones rendered for them, and a bounded number of queries when it must be
rendered whole, so that a query per item cannot come back (bench/pages.py measures them)."""

import re
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from sonar.core import pagecache
from tests.factories import UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Queries of a whole rendering for a signed-in agent: the session and the user, then the page's
# own. Each is independent of how many resources, terms or cases the content holds.
RENDERING_QUERIES = {
    "home": 2,
    "sea chart": 3,
    "catalogue": 7,
    "resource": 9,  # the resources' titles, which no glossary term splits
    "glossary": 3,
    "search": 13,  # the query's word forms are looked up once per word (issue 15)
    "api resources": 3,
    "api quiz": 3,
    "english home": 2,
}


@contextmanager
def at_most(limit):
    """Fails when the block runs more than `limit` queries. (Django's CaptureQueriesContext
    cannot format the SQLite full-text query of search, whose SQL holds a literal %.)"""
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield
    assert len(queries) <= limit, "\n".join([f"{len(queries)} queries:", *queries])


@pytest.fixture
def agent(db):
    client = Client()
    client.force_login(UserFactory(name="Camille Agent"))
    return client


@pytest.fixture
def mid_quiz():
    client = Client()
    client.post(reverse("quiz:question", args=["style", 1]), {"choice": "q1a"})
    return client


def test_a_signed_in_agent_gets_the_kept_page_with_their_own_menu(pages, agent):
    for name, url in pages.items():
        if name == "question":
            continue
        anonymous = Client().get(url)
        mine = agent.get(url)
        assert mine.status_code == 200, name
        assert mine["X-Page-Cache"] == "personal", name
        assert "private" in mine["Cache-Control"]
        if not url.startswith("/api/"):
            assert "Se déconnecter" in mine.content.decode() or "Log out" in (
                mine.content.decode()
            ), name
            assert "Se déconnecter" not in anonymous.content.decode()
            assert "Se déconnecter" not in Client().get(url).content.decode(), name


def test_the_log_out_form_of_a_kept_page_holds_a_token_that_works(pages, agent):
    Client().get(pages["home"])
    page = agent.get(pages["home"])
    token = TOKEN.search(page.content.decode()).group(1)
    agent.handler.enforce_csrf_checks = True
    response = agent.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "Se déconnecter" not in agent.get(pages["home"]).content.decode()


def test_a_visitors_message_is_shown_to_them_once_on_a_kept_page(pages, quiz_content):
    visitor = Client()
    visitor.post(reverse("quiz:question", args=["style", 3]), {"choice": "q3a"})
    Client().get(pages["home"])
    told = visitor.get(pages["home"])
    assert told["X-Page-Cache"] == "personal"
    assert "Votre réponse à la question 3 est gardée" in told.content.decode()
    assert (
        "Votre réponse à la question 3 est gardée"
        not in visitor.get(pages["home"]).content.decode()
    )


def test_a_quiz_question_mid_quiz_is_kept_once_per_choice(pages, mid_quiz):
    url = reverse("quiz:question", args=["style", 1])
    Client().get(url)
    first = mid_quiz.get(url)
    assert first["X-Page-Cache"] == "miss"
    again = mid_quiz.get(url)
    assert again["X-Page-Cache"] == "personal"
    assert "private" in again["Cache-Control"]
    for page in (first, again):
        assert re.search(r'value="q1a"[^>]*checked', page.content.decode())
        assert not re.search(r'value="q1b"[^>]*checked', page.content.decode())
    other = Client()
    other.post(url, {"choice": "q1b"})
    theirs = other.get(url).content.decode()
    assert re.search(r'value="q1b"[^>]*checked', theirs)
    assert not re.search(r'value="q1a"[^>]*checked', theirs)


def test_a_visitor_with_a_session_and_no_choice_yet_gets_the_anonymous_page(pages, agent):
    url = reverse("quiz:question", args=["style", 1])
    Client().get(url)
    page = agent.get(url)
    assert page["X-Page-Cache"] == "personal"
    assert "checked" not in page.content.decode()
    assert "Se déconnecter" in page.content.decode()


def test_a_kept_question_posts_with_the_visitors_own_token(pages, mid_quiz):
    url = reverse("quiz:question", args=["style", 1])
    mid_quiz.get(url)
    page = mid_quiz.get(url)
    assert page["X-Page-Cache"] == "personal"
    token = TOKEN.search(page.content.decode()).group(1)
    mid_quiz.handler.enforce_csrf_checks = True
    response = mid_quiz.post(url, {"choice": "q1b", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert re.search(r'value="q1b"[^>]*checked', mid_quiz.get(url).content.decode())


def test_a_wrong_answer_is_not_kept(pages, mid_quiz):
    url = reverse("quiz:question", args=["style", 1])
    refused = mid_quiz.post(url, {"choice": "nope"})
    assert refused.status_code == 400
    assert refused.get("X-Page-Cache") is None
    assert mid_quiz.get(url)["X-Page-Cache"] in ("miss", "personal")


@pytest.mark.parametrize("name", list(RENDERING_QUERIES))
def test_a_page_rendered_for_a_signed_in_agent_makes_a_bounded_number_of_queries(
    pages, agent, settings, name
):
    settings.SONAR_PAGE_CACHE_SECONDS = 0
    agent.get(pages[name])  # the quiz read model and the drawings, built once
    with at_most(RENDERING_QUERIES[name]):
        assert agent.get(pages[name]).status_code == 200


def test_a_question_mid_quiz_makes_a_bounded_number_of_queries(quiz_content, mid_quiz, settings):
    settings.SONAR_PAGE_CACHE_SECONDS = 0
    url = reverse("quiz:question", args=["style", 2])
    mid_quiz.get(url)
    with at_most(2):
        assert mid_quiz.get(url).status_code == 200


@pytest.mark.parametrize("name", ["home", "sea chart", "catalogue", "glossary", "search"])
def test_a_kept_page_for_a_signed_in_agent_costs_the_session_and_the_user_only(pages, agent, name):
    Client().get(pages[name])
    with at_most(2):
        assert agent.get(pages[name])["X-Page-Cache"] == "personal"


def test_two_agents_get_the_same_menu_each_with_a_token_of_their_own(pages, agent):
    other = Client()
    other.force_login(UserFactory(name="Dominique Autre", email="dominique@example.org"))
    Client().get(pages["sea chart"])
    mine, theirs = agent.get(pages["sea chart"]), other.get(pages["sea chart"])
    assert mine["X-Page-Cache"] == theirs["X-Page-Cache"] == "personal"
    my_token = TOKEN.search(mine.content.decode()).group(1)
    their_token = TOKEN.search(theirs.content.decode()).group(1)
    assert my_token != their_token
    assert pagecache.placeholder() not in mine.content.decode()
    assert mine.content.decode().replace(my_token, "") == theirs.content.decode().replace(
        their_token, ""
    )


def test_the_account_link_is_marked_current_on_the_account_page_only(pages, agent):
    Client().get(pages["home"])
    page = agent.get(pages["home"]).content.decode()
    assert 'aria-current="page">Mon compte' not in page
    assert "Mon compte" in page


def test_a_kept_page_is_cut_at_its_zones_once_when_it_is_kept(pages, agent):
    Client().get(pages["glossary"])
    entry = pagecache.store().get(pagecache.key_for(RequestFactory().get(pages["glossary"])))
    names = [name for _start, _end, name in entry["zones"]]
    assert sorted(names) == sorted(pagecache.PERSONAL_TEMPLATES)
    for start, end, _name in entry["zones"]:
        assert entry["body"][start:end].startswith(b"<!--sonar-personal:")
        assert entry["body"][start:end].endswith(b"<!--/sonar-personal-->")


def test_a_question_kept_for_a_visitor_with_a_session_is_never_served_to_one_without(pages):
    url = reverse("quiz:question", args=["style", 1])
    visitor = Client()
    visitor.post(reverse("quiz:question", args=["style", 3]), {"choice": "q3a"})
    told = visitor.get(url)  # rendered, and kept, with their message in it
    assert "Votre réponse à la question 3 est gardée" in told.content.decode()
    stranger = Client().get(url)
    assert "Votre réponse à la question 3 est gardée" not in stranger.content.decode()
    newcomer = Client()
    newcomer.post(reverse("quiz:question", args=["style", 4]), {"choice": "q4a"})
    newcomer.get(url)  # their message, shown once
    again = newcomer.get(url)
    assert again["X-Page-Cache"] == "personal"
    assert "Votre réponse à la question 3 est gardée" not in again.content.decode()
