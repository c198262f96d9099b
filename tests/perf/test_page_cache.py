"""Pages kept for visitors without a session (sonar/core/pagecache.py): an edit shows at once,
and no visitor ever gets another's token, header, answers or messages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sonar.core import pagecache
from sonar.core.actions import save_revision
from sonar.quiz.models import Result
from tests.atlas.conftest import make_resource
from tests.factories import UserFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def cached(response):
    return response.get("X-Page-Cache")


def without_token(response):
    return TOKEN.sub("", response.content.decode())


def test_every_page_of_the_benchmark_is_kept_and_served_the_same(pages):
    for name, url in pages.items():
        first, second = Client().get(url), Client().get(url)
        assert (first.status_code, second.status_code) == (200, 200), name
        assert (cached(first), cached(second)) == ("miss", "hit"), name
        assert without_token(second) == without_token(first), name
        assert second["Content-Type"] == first["Content-Type"], name


def test_an_edit_shows_at_once(client, db):
    resource = make_resource("carte-sensible", title_fr="Carte sensible")
    url = reverse("atlas:resource", args=[resource.slug])
    assert "Carte sensible" in client.get(url).content.decode()
    assert cached(client.get(url)) == "hit"

    resource.title_fr = "Carte des sensibilités"
    save_revision(resource, "edit", based_on=resource.revision)

    response = client.get(url)
    assert cached(response) == "miss"
    assert "Carte des sensibilités" in response.content.decode()


def test_a_new_resource_appears_in_the_kept_catalogue_and_a_deleted_one_disappears(client, db):
    url = reverse("atlas:catalogue")
    make_resource("premiere", title_fr="Première ressource")
    client.get(url)
    assert cached(client.get(url)) == "hit"

    later = make_resource("seconde", title_fr="Seconde ressource")
    assert "Seconde ressource" in client.get(url).content.decode()

    later.delete()
    assert "Seconde ressource" not in client.get(url).content.decode()
    assert client.get(reverse("atlas:resource", args=["seconde"])).status_code == 404


def test_the_version_is_shared_by_every_process_through_the_file_or_redis(db):
    before = pagecache.content_version()
    make_resource("partagee")
    assert pagecache.content_version() != before


def test_a_new_quiz_result_forgets_no_page(client, quiz_content):
    from sonar.quiz import data

    url = reverse("atlas:map")
    client.get(url)
    quiz = data.get("style")
    answers = {q.key: q.choices[1].key for q in quiz.questions}
    Result.objects.record(quiz.id, answers, quiz.score(answers), "test")
    assert cached(client.get(url)) == "hit"


def test_each_visitor_gets_a_csrf_token_of_their_own_that_works(quiz_content):
    url = reverse("quiz:question", args=["style", 1])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(url)
    page_two = second.get(url)
    assert cached(page_two) == "hit"
    token_one = TOKEN.search(page_one.content.decode()).group(1)
    token_two = TOKEN.search(page_two.content.decode()).group(1)
    assert token_one != token_two
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert pagecache.placeholder() not in page_two.content.decode()

    # Each token works with its own cookie, and the other visitor's does not.
    choice = "q1a"
    assert second.post(url, {"choice": choice, "csrfmiddlewaretoken": token_one}).status_code == 403
    assert second.post(url, {"choice": choice, "csrfmiddlewaretoken": token_two}).status_code == 302


def test_a_visitors_answers_are_never_shown_to_another(quiz_content):
    url = reverse("quiz:question", args=["style", 1])
    answering, newcomer = Client(), Client()
    newcomer.get(url)  # the page is kept, with no answer chosen
    answering.post(url, {"choice": "q1b"})

    mine = answering.get(url)
    assert cached(mine) is None
    assert re.search(r'value="q1b"[^>]*checked', mine.content.decode())

    theirs = Client().get(url)
    assert cached(theirs) == "hit"
    assert "checked" not in theirs.content.decode()


@pytest.mark.parametrize("first", ["logged in", "anonymous"])
def test_a_logged_in_header_is_never_served_to_someone_else(db, first):
    user = UserFactory(name="Camille Agent")
    member, anonymous = Client(), Client()
    member.force_login(user)
    url = reverse("core:home")
    order = [member, anonymous] if first == "logged in" else [anonymous, member]
    pages = {id(c): c.get(url).content.decode() for c in order}
    pages[id(anonymous)] = anonymous.get(url).content.decode()  # now from the cache

    assert "Se déconnecter" in pages[id(member)]
    assert "Se déconnecter" not in pages[id(anonymous)]
    assert "Camille Agent" not in pages[id(anonymous)]


def test_a_message_for_one_visitor_is_never_kept_for_another(quiz_content):
    # A visitor who answers out of order is told so on the next page, through their session.
    visitor = Client()
    visitor.post(reverse("quiz:question", args=["style", 3]), {"choice": "q3a"})
    url = reverse("quiz:question", args=["style", 1])
    told = visitor.get(url)
    assert "Votre réponse à la question 3 est gardée" in told.content.decode()

    stranger = Client().get(url)
    assert "Votre réponse à la question 3 est gardée" not in stranger.content.decode()
    assert cached(stranger) == "miss"


def test_the_cache_is_off_at_zero_seconds(client, db, settings):
    settings.SONAR_PAGE_CACHE_SECONDS = 0
    url = reverse("core:home")
    client.get(url)
    assert cached(client.get(url)) is None


def test_only_reads_are_kept(client, quiz_content):
    url = reverse("quiz:question", args=["style", 1])
    assert client.post(url, {"choice": "nope"}).status_code == 400
    assert cached(Client().get(url)) == "miss"


def test_visitors_missing_the_same_page_at_once_wait_for_one_rendering(settings):
    """After an edit, fifty visitors of the sea chart at once render it once, not fifty times."""
    import threading
    import time

    from django.contrib.sessions.backends.cache import SessionStore
    from django.http import HttpResponse
    from django.test import RequestFactory

    renders = []

    @pagecache.for_anonymous
    def slow(request):
        renders.append(threading.get_ident())
        time.sleep(0.3)
        return HttpResponse("la carte")

    def visit(results):
        request = RequestFactory().get("/carte-lente/")
        request.session = SessionStore()
        results.append(slow(request))

    results = []
    visitors = [threading.Thread(target=visit, args=(results,)) for _ in range(8)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()
    assert len(renders) == 1
    assert sorted(r["X-Page-Cache"] for r in results) == ["hit"] * 7 + ["miss"]
    assert {r.content for r in results} == {b"la carte"}
    assert pagecache._rendering == {}


def test_a_page_that_is_not_kept_is_rendered_for_each_waiting_visitor():
    import threading
    import time

    from django.http import HttpResponse
    from django.test import RequestFactory

    renders = []

    @pagecache.for_anonymous
    def sets_a_cookie(request):
        renders.append(1)
        time.sleep(0.1)
        response = HttpResponse("à chacun la sienne")
        response.set_cookie("choix", "1")
        return response

    threads = [
        threading.Thread(target=sets_a_cookie, args=(RequestFactory().get("/pas-gardee/"),))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(renders) == 4
    assert pagecache._rendering == {}
