"""The signed-in user of every page, read with one plain statement.

Django's ModelBackend, but for `get_user`, which every page for a signed-in agent calls: the
ORM built its query anew on each request, 0.7 ms, more than the rest of a kept page spliced for
them (bench/pages.py, the "signed in" rows). The statement is written once instead, and the
user is built from its row as the ORM builds it (the same field converters, `Model.from_db`).
"""

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

PATH = "sonar.accounts.backends.AccountBackend"


@cache
def _reader(alias):
    """The statement, the fields' names and each column's converters, for one database."""
    model = get_user_model()
    connection = connections[alias]
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        columns.append((column, found))
    # Names from the model, quoted; the id is a parameter.
    statement = (
        f"SELECT {', '.join(quote(field.column) for field in fields)} "  # noqa: S608
        f"FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s"
    )
    return statement, [field.attname for field in fields], columns


def read_user(pk):
    """The user of this id as the ORM would give it, or None."""
    model = get_user_model()
    alias = router.db_for_read(model)
    connection = connections[alias]
    statement, names, columns = _reader(alias)
    with connection.cursor() as cursor:
        cursor.execute(statement, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (column, converters) in zip(row, columns, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        values.append(value)
    return model.from_db(alias, names, values)


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = read_user(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
