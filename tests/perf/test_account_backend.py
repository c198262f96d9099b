"""sonar/accounts/backends: the signed-in user of each page is read with one statement, and is
the user the ORM gives, field by field; sessions opened before keep their sign-in."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sonar.accounts.backends import PATH, AccountBackend, read_user
from sonar.core.sessions import SessionStore
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "sonar.accounts.migrations.0003_sessions_signed_in_through_account_backend"
)


def test_the_user_read_is_the_users_row_as_the_orm_gives_it(django_assert_num_queries):
    user = UserFactory(name="Camille Agent", email_confirmed_at=timezone.now())
    user.last_login = timezone.now()
    user.save()
    expected = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        found = read_user(user.pk)
    for field in type(user)._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
        assert type(getattr(found, field.attname)) is type(getattr(expected, field.attname))
    assert found._state.adding is False
    assert found._state.db == "default"


@pytest.mark.parametrize("user_id", ["999999", "not a number", ""])
def test_an_unknown_or_malformed_id_is_nobody(user_id):
    assert AccountBackend().get_user(user_id) is None


def test_an_inactive_account_is_nobody():
    user = UserFactory(is_active=False)
    assert AccountBackend().get_user(str(user.pk)) is None


def test_a_signed_in_agent_is_known_on_their_next_page():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.session[BACKEND_SESSION_KEY] == PATH
    assert client.get(reverse("accounts:account")).wsgi_request.user == user


def test_a_session_opened_with_djangos_backend_is_kept_by_the_migration():
    user = UserFactory()
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    key = client.cookies["sessionid"].value
    migration.rename(apps, connection.schema_editor(), old=migration.OLD, new=migration.NEW)
    assert SessionStore(key).load()[BACKEND_SESSION_KEY] == PATH
    response = client.get(reverse("accounts:account"))
    assert response.wsgi_request.user == user
    assert not isinstance(response.wsgi_request.user, AnonymousUser)
    assert Session.objects.count() == 1
