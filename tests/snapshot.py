"""The rows that loading the reference content writes, taken once and put back cheaply.

Loading the reference content through the pipeline (validation, upserts, revisions, search
index) takes a couple of seconds; hundreds of tests need it. Each test process loads it once,
inside a transaction that is rolled back, and keeps the rows of every table the load changed;
a test then gets the same rows back with a few multi-row INSERTs.

Tables filled by a trigger (the trigram vocabulary) are filled again by the trigger; SQLite's
full-text tables are written through their virtual table, never through their shadow tables;
PostgreSQL's generated columns are computed again, and its sequences are moved past the ids
put back.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


def _quote(name):
    return connection.ops.quote_name(name)


def _count(cursor, table):
    # Table and column names come from the database's own catalogue, quoted.
    cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608
    return cursor.fetchone()[0]


def _virtual_tables(cursor):
    if connection.vendor != "sqlite":
        return set()
    cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
    return {row[0] for row in cursor.fetchall()}


def _generated_columns(cursor, table):
    if connection.vendor != "postgresql":
        return set()
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND is_generated = 'ALWAYS'",
        [table],
    )
    return {row[0] for row in cursor.fetchall()}


def _content_types(cursor):
    cursor.execute("SELECT id, app_label, model FROM django_content_type")
    return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


class Snapshot:
    def __init__(self):
        self.tables = []  # (table, columns, rows), base tables first, then virtual ones
        self.content_types = {}  # id at snapshot time → (app label, model)

    @classmethod
    def around(cls, write):
        """Call `write()` and keep the rows of every table it changed."""
        snapshot = cls()
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor)
            before = {table: _count(cursor, table) for table in names}
            result = write()
            snapshot.content_types = _content_types(cursor)
            virtual = _virtual_tables(cursor)
            shadows = {t for t in names for v in virtual if t.startswith(v + "_")}
            changed = [t for t in names if t not in shadows and _count(cursor, t) != before[t]]
            for table in sorted(changed, key=lambda t: t in virtual):
                if before[table]:
                    raise RuntimeError(f"{table} had rows before the load: cannot snapshot it")
                generated = _generated_columns(cursor, table)
                select = "rowid, *" if table in virtual else "*"
                cursor.execute(f"SELECT {select} FROM {_quote(table)}")  # noqa: S608
                columns = [c[0] for c in cursor.description]
                keep = [i for i, c in enumerate(columns) if c not in generated]
                rows = [tuple(row[i] for i in keep) for row in cursor.fetchall()]
                snapshot.tables.append((table, [columns[i] for i in keep], rows))
        return snapshot, result

    def restore(self):
        # One transaction, so that foreign keys are checked once, at its end, whatever the
        # order of the tables (transactional tests run in autocommit otherwise).
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA defer_foreign_keys = ON")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            # A flush between tests (transactional tests) makes content types again, with
            # other ids: references to them are translated.
            now = {key: pk for pk, key in _content_types(cursor).items()}
            moved = {old: now[key] for old, key in self.content_types.items() if key in now}
            for table, columns, rows in self.tables:
                if not rows or _count(cursor, table) == len(rows):
                    continue  # filled by a trigger on a table put back before it
                if "content_type_id" in columns and any(o != n for o, n in moved.items()):
                    at = columns.index("content_type_id")
                    rows = [(*r[:at], moved.get(r[at], r[at]), *r[at + 1 :]) for r in rows]
                names = ", ".join(_quote(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                insert = f"INSERT INTO {_quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(insert, rows)
            if connection.vendor == "postgresql":
                restored = {table for table, _columns, _rows in self.tables}
                models = [m for m in apps.get_models() if m._meta.db_table in restored]
                for sql in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)
