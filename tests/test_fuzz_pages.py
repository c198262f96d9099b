"""No query string, path value or form a visitor can send makes the quiz or the map fail.

The URLs come from the URL conf, so a page added to the quiz or the atlas (or their API) is
fuzzed without touching this file. Path parameters are filled with real slugs and tokens of the
reference content and with garbage that still matches the route; query strings mix the
parameters the pages read (page, q, selection, lang, the facets…) with random keys, random text
and raw bytes that are not UTF-8. Every answer must be below 500.
"""

from urllib.parse import quote, quote_from_bytes

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sonar.atlas.models import Case, Resource, Term
from sonar.quiz.models import Result

# The module fixture below writes through django_db_blocker: the mark makes sure the test
# database exists even when this file runs alone.
pytestmark = pytest.mark.django_db

APPS = ("sonar.quiz.", "sonar.atlas.")
KNOWN_KEYS = [
    "page",
    "q",
    "selection",
    "lang",
    "kind",
    "vision",
    "profile",
    "focus",
    "maturity",
    "choice",
    "vision[]",
    "format",
]
FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _routes(patterns=None, namespace=""):
    """(name to reverse, converters) of every URL served by the quiz or the atlas."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(filter(None, [namespace, entry.namespace]))
            yield from _routes(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith(APPS):
            name = ":".join(filter(None, [namespace, entry.name]))
            yield name, entry.pattern.converters


# Pages under i18n_patterns appear once per language prefix: keep one entry per name.
ROUTES = sorted(dict(_routes()).items())
QUIZ_ROUTES = [route for route in ROUTES if route[0].startswith("quiz:")]


@pytest.fixture(scope="module")
def real_values(django_db_setup, django_db_blocker, _reference_snapshot):
    """The reference content, loaded once for the module in a transaction rolled back at the
    end, with one completed quiz so that result tokens exist."""
    with django_db_blocker.unblock(), transaction.atomic():
        _reference_snapshot[0].restore()  # the rows the session's one load wrote
        client = Client()
        for number in range(1, 7):
            answered = client.post(
                reverse("quiz:question", args=["style", number]), {"choice": f"q{number}a"}
            )
        result = Result.objects.get(token=answered.url.rstrip("/").rsplit("/", 1)[-1])
        yield {
            "slug": [
                *Resource.objects.values_list("slug", flat=True)[:5],
                *Term.objects.values_list("slug", flat=True)[:5],
                *Case.objects.values_list("slug", flat=True)[:5],
            ],
            "key": ["style"],
            "token": [result.token],
            "share_token": [result.share_token],
            "number": [0, 1, 3, 6, 7],
        }
        transaction.set_rollback(True)


def path_values(converters, real):
    """A strategy for the route's keyword arguments: a real value or garbage the route accepts."""
    return st.fixed_dictionaries(
        {
            name: st.one_of(
                st.sampled_from(real.get(name) or real["slug"]),
                st.from_regex(converter.regex, fullmatch=True).filter(lambda v: len(v) < 3000),
            )
            for name, converter in converters.items()
        }
    )


NASTY = [
    "-1",
    "0",
    "1",
    "2",
    "99999",
    "99999999999999999999999",
    "abc",
    "1e9",
    "../../etc",
    "%00",
    "%C3%28",
    "%FF",
    "%ED%A0%80",
    "art",
    "culture",
    "design",
    "x" * 10_000,
]
KEYS = st.one_of(
    st.sampled_from(KNOWN_KEYS),
    st.text(max_size=20).map(lambda t: quote(t, safe="")),
    st.binary(max_size=10).map(lambda b: quote_from_bytes(b, safe="")),
)
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40).map(lambda t: quote(t, safe="")),
    st.binary(max_size=20).map(lambda b: quote_from_bytes(b, safe="")),
)
QUERY_STRINGS = st.one_of(
    st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=8).map(
        lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)
    ),
    # The same parameter many times over.
    st.tuples(st.sampled_from(KNOWN_KEYS), st.integers(min_value=50, max_value=1000)).map(
        lambda kn: "&".join([f"{kn[0]}=x"] * kn[1])
    ),
    st.binary(max_size=200).map(lambda b: quote_from_bytes(b, safe="=&")),
)


def url_for(name, kwargs, language):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def isolated(send):
    """Each request in its own savepoint, rolled back: one example cannot leave rows, sessions
    or a broken transaction to the next."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize(("name", "converters"), ROUTES, ids=[name for name, _ in ROUTES])
def test_no_query_string_or_path_value_makes_a_get_page_fail(real_values, name, converters):
    @FUZZ
    @given(
        kwargs=path_values(converters, real_values),
        query=QUERY_STRINGS,
        language=st.sampled_from(["fr", "en"]),
    )
    def check(kwargs, query, language):
        url = url_for(name, kwargs, language)
        client = Client(raise_request_exception=False)
        response = isolated(lambda: client.get(url, QUERY_STRING=query))
        assert response.status_code < 500, (url, query[:200])

    check()


FORM_VALUES = st.one_of(
    st.sampled_from([f"q{n}{c}" for n in range(1, 8) for c in "abcde"]),
    st.text(max_size=50),
    st.integers().map(str),
    st.lists(st.text(max_size=10), max_size=3),
)
FORMS = st.dictionaries(
    st.one_of(st.sampled_from(["choice", "csrfmiddlewaretoken", "number", "key"]), st.text()),
    FORM_VALUES,
    max_size=5,
)


@pytest.mark.parametrize(("name", "converters"), QUIZ_ROUTES, ids=[name for name, _ in QUIZ_ROUTES])
def test_no_form_data_makes_a_quiz_post_fail(real_values, name, converters):
    @FUZZ
    @given(
        kwargs=path_values(converters, real_values),
        form=FORMS,
        answered=st.integers(min_value=0, max_value=6),
        language=st.sampled_from(["fr", "en"]),
    )
    def check(kwargs, form, answered, language):
        url = url_for(name, kwargs, language)
        # Any point of the path: the session already holds the first `answered` answers.
        client = Client(raise_request_exception=False)

        def send():
            session = client.session
            picks = {f"q{n}": f"q{n}a" for n in range(1, answered + 1)}
            session["quiz:style"] = {"attempt": "fuzz", "answers": picks}
            session.save()
            client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key
            return client.post(url, form)

        response = isolated(send)
        assert response.status_code < 500, (url, form)

    check()
