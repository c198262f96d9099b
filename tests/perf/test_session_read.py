"""sonar/core/sessions: the session is read with one plain statement, with Django's rule: the
key, and not expired."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from sonar.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def saved(**data):
    session = SessionStore()
    session.update(data)
    session.save()
    return session.session_key


def test_a_saved_session_is_read_back_in_one_query(django_assert_num_queries):
    key = saved(step=3, name="Camille")
    with django_assert_num_queries(1):
        assert dict(SessionStore(key).load()) == {"step": 3, "name": "Camille"}


def test_an_expired_session_is_read_as_none(django_assert_num_queries):
    key = saved(step=3)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None


def test_an_unknown_key_is_no_session():
    store = SessionStore("a" * 32)
    assert store.load() == {}
    assert store.session_key is None
