"""The two full-text backends behind one interface, chosen by the database vendor.

Both answer `hits(query, kind=None, limit=None)` with rows (kind, object_id, total) ranked the
same way: matches in the title first, then in the title or summary, then anywhere; within each
tier by the engine's relevance (bm25 on SQLite, ts_rank on PostgreSQL), then by id.
`limit` keeps the first rows of each kind; `total` is the count of the kind before the limit.
"""

from django.db import connection

from sonar.atlas.search import text
from sonar.atlas.search.query import PHRASE, PREFIX, STEM

SIMILAR_CANDIDATES = 60


def current():
    return POSTGRES if connection.vendor == "postgresql" else SQLITE


def _ranked(hits_sql, kind, limit):
    """Wraps a query yielding (kind, object_id, tier, score) into ranked, counted, limited rows."""
    where = []
    if limit is not None:
        where.append(f"position <= {int(limit)}")
    return (
        "SELECT kind, object_id, total FROM ("  # noqa: S608 — fixed SQL, the limit is an int
        " SELECT kind, object_id, count(*) OVER (PARTITION BY kind) AS total,"
        " row_number() OVER (PARTITION BY kind ORDER BY tier, score, object_id) AS position"
        f" FROM ({hits_sql}) AS hits"
        f") AS ranked {'WHERE ' + ' AND '.join(where) if where else ''}"
        " ORDER BY kind, position"
    )


class SQLiteBackend:
    """FTS5 tables of pre-stemmed texts, one per language (unicode61, remove_diacritics 2)."""

    vendor = "sqlite"

    @staticmethod
    def table(language):
        return f"atlas_searchfts_{language}"

    # Index.

    def write(self, cursor, rows):
        """rows: (entry_id, language, title, summary, body), written stemmed, replacing."""
        for language in text.LANGUAGES:
            mine = [r for r in rows if r[1] == language]
            if not mine:
                continue
            table = self.table(language)
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(r[0],) for r in mine])  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {table} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [(r[0], *(text.stemmed(t, language) for t in r[2:])) for r in mine],
            )

    def delete(self, cursor, entries):
        for entry_id, language in entries:
            cursor.execute(f"DELETE FROM {self.table(language)} WHERE rowid = %s", [entry_id])  # noqa: S608

    def clear(self, cursor):
        for language in text.LANGUAGES:
            cursor.execute(f"DELETE FROM {self.table(language)}")  # noqa: S608

    # Query.

    @staticmethod
    def _quoted(word):
        return '"' + word.replace('"', '""') + '"'

    def _alternative(self, alt, language):
        if alt.kind == STEM:
            return self._quoted(text.stem(alt.words[0], language))
        if alt.kind == PREFIX:
            word = alt.words[0]
            stem = text.stem(word, language)
            prefixes = [self._quoted(word) + " *"]
            if stem != word:
                prefixes.append(self._quoted(stem) + " *")
            return " OR ".join(prefixes)
        assert alt.kind == PHRASE
        return self._quoted(" ".join(text.stem(w, language) for w in alt.words))

    def expression(self, query):
        clauses = [
            "(" + " OR ".join(self._alternative(a, query.language) for a in clause) + ")"
            for clause in query.clauses
        ]
        return " AND ".join(clauses)

    def hits(self, query, kind=None, limit=None):
        table = self.table(query.language)
        expression = self.expression(query)
        hits_sql = (
            "SELECT e.kind AS kind, e.object_id AS object_id,"  # noqa: S608 — words are params
            f" CASE WHEN {table}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"
            f" THEN 0 WHEN {table}.rowid IN (SELECT rowid FROM {table} WHERE {table} MATCH %s)"
            f" THEN 1 ELSE 2 END AS tier, bm25({table}, 10.0, 4.0, 1.0) AS score"
            f" FROM {table} JOIN atlas_searchentry e ON e.id = {table}.rowid"
            f" WHERE {table} MATCH %s"
        )
        params = [f"{{title}} : ({expression})", f"{{title summary}} : ({expression})", expression]
        if kind:
            hits_sql += " AND e.kind = %s"
            params.append(kind)
        with connection.cursor() as cursor:
            cursor.execute(_ranked(hits_sql, kind, limit), params)
            return cursor.fetchall()

    def similar_words(self, language, word):
        """Known words sharing the most three-letter sequences with `word`."""
        grams = {word[i : i + 3] for i in range(len(word) - 2)}
        if not grams:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w.word FROM atlas_searchword_trigram t"
                " JOIN atlas_searchword w ON w.id = t.rowid"
                " WHERE atlas_searchword_trigram MATCH %s AND w.language = %s"
                " ORDER BY bm25(atlas_searchword_trigram) LIMIT %s",
                [" OR ".join(self._quoted(g) for g in sorted(grams)), language,
                 SIMILAR_CANDIDATES],
            )  # fmt: skip
            return [row[0] for row in cursor.fetchall()]


class PostgresBackend:
    """A weighted tsvector column (A title, B summary, C body) built by the database with the
    sonar_fr / sonar_en configurations (unaccent, then Snowball), under a GIN index."""

    vendor = "postgresql"
    CONFIGS = {"fr": "sonar_fr", "en": "sonar_en"}

    def write(self, cursor, rows):
        """Nothing to do: the tsvector is a generated column of atlas_searchentry."""

    def delete(self, cursor, entries):
        """Nothing to do: deleting the entry deletes its tsvector."""

    def clear(self, cursor):
        """Nothing to do: see write()."""

    @staticmethod
    def _lexeme(word, weights, prefix=False):
        # Words are letters and digits only (text.WORD): quoting them is enough.
        return f"'{word}':{'*' if prefix else ''}{weights}"

    def _alternative(self, alt, config, weights, params):
        if alt.kind == STEM:
            params.append(self._lexeme(alt.words[0], weights))
            return f"to_tsquery('{config}', %s)"
        if alt.kind == PREFIX:
            params.extend([self._lexeme(alt.words[0], weights, prefix=True)] * 2)
            return f"(to_tsquery('simple', %s) || to_tsquery('{config}', %s))"
        params.append(" <-> ".join(self._lexeme(w, weights) for w in alt.words))
        return f"to_tsquery('{config}', %s)"

    def expression(self, query, weights=""):
        config = self.CONFIGS[query.language]
        params, clauses = [], []
        for clause in query.clauses:
            parts = [self._alternative(a, config, weights, params) for a in clause]
            clauses.append("(" + " || ".join(parts) + ")")
        return "(" + " && ".join(clauses) + ")", params

    def hits(self, query, kind=None, limit=None):
        title, title_params = self.expression(query, "A")
        top, top_params = self.expression(query, "AB")
        anywhere, anywhere_params = self.expression(query)
        hits_sql = (
            "SELECT e.kind AS kind, e.object_id AS object_id,"  # noqa: S608 — words are params
            f" CASE WHEN e.document @@ {title} THEN 0 WHEN e.document @@ {top} THEN 1"
            f" ELSE 2 END AS tier, -ts_rank(e.document, {anywhere}) AS score"
            " FROM atlas_searchentry e"
            f" WHERE e.language = %s AND e.document @@ {anywhere}"
        )
        params = [*title_params, *top_params, *anywhere_params, query.language, *anywhere_params]
        if kind:
            hits_sql += " AND e.kind = %s"
            params.append(kind)
        with connection.cursor() as cursor:
            cursor.execute(_ranked(hits_sql, kind, limit), params)
            return cursor.fetchall()

    def similar_words(self, language, word):
        """Known words by pg_trgm similarity (the trigram index answers `%`)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM atlas_searchword WHERE language = %s AND word %% %s"
                " ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [language, word, word, SIMILAR_CANDIDATES],
            )
            return [row[0] for row in cursor.fetchall()]


SQLITE = SQLiteBackend()
POSTGRES = PostgresBackend()
