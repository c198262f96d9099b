"""Pages kept for visitors without a session (sonar/core/pagecache.py): an edit shows at once,
and no visitor ever gets another's token, header, answers or messages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sonar.core import pagecache
from sonar.core.actions import delete_content, save_revision
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

    delete_content(later)
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
    assert cached(mine) in ("miss", "personal")  # kept for visitors with this choice only
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


def through_the_middleware(view):
    """A request handler made of the page cache's middleware and `view` alone."""
    from django.contrib.sessions.backends.db import SessionStore

    def handler(request):
        request.session = SessionStore()
        return view(request)

    return pagecache.PageCacheMiddleware(handler)


def test_visitors_missing_the_same_page_at_once_wait_for_one_rendering(db):
    """After an edit, fifty visitors of the sea chart at once render it once, not fifty times."""
    import threading
    import time

    from django.http import HttpResponse
    from django.test import RequestFactory

    renders = []

    @pagecache.kept
    def slow(request):
        renders.append(threading.get_ident())
        time.sleep(0.3)
        return HttpResponse("la carte")

    handler = through_the_middleware(slow)
    handler(RequestFactory().get("/carte-lente/"))  # learnt: this address keeps its page
    pagecache.bump()
    renders.clear()

    def visit(results):
        results.append(handler(RequestFactory().get("/carte-lente/")))

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


def test_visitors_of_a_page_that_is_never_kept_never_wait_for_one_another(db):
    import threading
    import time

    from django.http import HttpResponse
    from django.test import RequestFactory

    running, most = [], []

    def not_kept(request):
        running.append(1)
        most.append(len(running))
        time.sleep(0.2)
        running.pop()
        return HttpResponse("à chacun la sienne")

    handler = through_the_middleware(not_kept)
    handler(RequestFactory().get("/pas-gardee/"))
    threads = [
        threading.Thread(target=handler, args=(RequestFactory().get("/pas-gardee/"),))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(most) == 5
    assert max(most) > 1, "the four visitors were served one after another"
    assert pagecache._rendering == {}


@pytest.mark.parametrize(
    "cache_control", ["private", "no-store", "private, no-store", "no-cache, no-store"]
)
def test_a_page_marked_private_or_no_store_is_never_kept(db, cache_control):
    from django.http import HttpResponse
    from django.test import RequestFactory

    @pagecache.kept
    def private(request):
        response = HttpResponse("à moi seul")
        response["Cache-Control"] = cache_control
        return response

    handler = through_the_middleware(private)
    for _visit in range(2):
        response = handler(RequestFactory().get("/privee/"))
        assert response["X-Page-Cache"] == "miss"


def test_a_quiz_result_is_its_visitors_own_and_never_kept(result_url):
    first, second = Client().get(result_url), Client().get(result_url)
    assert "private" in second["Cache-Control"]
    assert (cached(first), cached(second)) == (None, None)


def test_made_up_addresses_push_out_older_pages_and_never_switch_keeping_off(
    client, quiz_content, monkeypatch, settings
):
    """A bounded store, least recently used out first: with room for a few pages only, a
    thousand made-up addresses leave the page used in between, and every new one is kept."""
    kept_pages = pagecache.MemoryStore(settings.VAR_DIR, limit=200_000)
    monkeypatch.setattr(pagecache, "store", lambda: kept_pages)
    kept_pages.bump()
    url = reverse("quiz:start", args=["style"])
    client.get(url)
    for number in range(1000):
        made_up = client.get(url, {"n": number})
        assert cached(made_up) == "miss"
        if number % 5 == 0:
            assert cached(client.get(url)) == "hit"  # used in between: never pushed out
    assert kept_pages.used <= 200_000
    assert cached(client.get(url, {"n": 999})) == "hit"
    assert cached(client.get(url, {"n": 0})) == "miss"  # pushed out long ago


def test_addresses_django_reads_alike_share_one_page(client, quiz_content):
    url = reverse("quiz:start", args=["style"])
    assert cached(client.get(url + "?a=1&b=%C3%A9")) == "miss"
    for same in ("?a=1&&b=%C3%A9", "?a=%31&b=%c3%a9", "?a=1&b=é"):
        assert cached(client.get(url + same)) == "hit", same
    assert cached(client.get(url + "?b=%C3%A9&a=1")) == "miss"  # another order, another page


def test_a_new_release_never_serves_the_previous_ones_pages(client, db, monkeypatch):
    url = reverse("core:home")
    client.get(url)
    assert cached(client.get(url)) == "hit"
    monkeypatch.setattr(pagecache, "release", lambda: "une-autre-version")
    assert cached(client.get(url)) == "miss"


def test_the_release_changes_with_a_setting_that_shows_in_pages(settings):
    pagecache.release.cache_clear()
    before = pagecache.release()
    settings.SONAR_BASE_URL = "https://sonar.ailleurs.example"
    pagecache.release.cache_clear()
    try:
        assert pagecache.release() != before
    finally:
        pagecache.release.cache_clear()


def test_a_visitor_with_any_cookie_but_the_csrf_one_is_rendered_for_themselves(client, db):
    url = reverse("core:home")
    client.get(url)
    client.cookies["messages"] = "quelque chose"
    assert cached(client.get(url)) != "hit"  # its personal zones are rendered for it
