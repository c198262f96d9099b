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
    return for_connection(connection)


def for_connection(db):
    return POSTGRES if db.vendor == "postgresql" else SQLITE


class Backend:
    """What both backends share: ranking by tier, then relevance, then id.

    Each backend gives `_from` (the tables), `_kind` and `_id` (SQL for an entry's kind and
    object id), `_score(query)` (lower is better), `_where(query)` (any match) and
    `_tiers(query)`: three disjoint conditions, matches in the title, then in the summary but not
    the title, then only in the body.
    """

    _kind, _id = "e.kind", "e.object_id"

    def _kind_values(self, kinds):
        return list(kinds)

    def hits(self, query, kind=None, limit=None):
        kinds = [kind] if kind else ["resource", "term", "case"]
        if limit is None:
            return self._ranked_rows(query, kinds)
        totals = self._totals(query, kinds)
        found = {k: [] for k in totals}
        for tier in range(3):
            missing = [k for k in totals if len(found[k]) < min(limit, totals[k])]
            if not missing:
                break  # the body tier, the costly one, is often not needed
            for k, object_id in self._tier_rows(query, tier, missing, limit):
                if len(found[k]) < limit:
                    found[k].append(object_id)
        return [(k, object_id, totals[k]) for k in found for object_id in found[k]]

    def _select(self, query, where, params, kinds, tier="0"):
        score, score_params = self._score(query)
        marks = ", ".join(["%s"] * len(kinds))
        sql = (
            f"SELECT {self._kind} AS kind, {self._id} AS object_id, {tier} AS tier,"  # noqa: S608
            f" {score} AS score FROM {self._from(query)}"
            f" WHERE {where} AND {self._kind} IN ({marks})"
        )
        return sql, [*score_params, *params, *self._kind_values(kinds)]

    def _totals(self, query, kinds):
        where, params = self._where(query)
        marks = ", ".join(["%s"] * len(kinds))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {self._kind}, count(*) FROM {self._from(query)}"  # noqa: S608
                f" WHERE {where} AND {self._kind} IN ({marks}) GROUP BY 1",
                [*params, *self._kind_values(kinds)],
            )
            return dict(cursor.fetchall())

    def _tier_rows(self, query, tier, kinds, limit):
        where, params = self._tiers(query)[tier]
        sql, params = self._select(query, where, params, kinds)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kind, object_id FROM (SELECT kind, object_id, row_number() OVER"  # noqa: S608
                f" (PARTITION BY kind ORDER BY score, object_id) AS position FROM ({sql}) AS hits)"
                f" AS ranked WHERE position <= {int(limit)} ORDER BY kind, position",
                params,
            )
            return cursor.fetchall()

    def _ranked_rows(self, query, kinds):
        selects, params = [], []
        for tier, (where, tier_params) in enumerate(self._tiers(query)):
            sql, sql_params = self._select(query, where, tier_params, kinds, tier=str(tier))
            selects.append(sql)
            params += sql_params
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT kind, object_id, count(*) OVER (PARTITION BY kind) FROM ("  # noqa: S608
                + " UNION ALL ".join(selects)
                + ") AS hits ORDER BY kind, tier, score, object_id",
                params,
            )
            return cursor.fetchall()


class SQLiteBackend(Backend):
    """FTS5 tables of pre-stemmed texts, one per language (unicode61, remove_diacritics 2).

    A row's rowid says what it indexes: object id * 4 + kind code, so that counting and ranking
    read the full-text index alone, without a join."""

    vendor = "sqlite"
    KIND_CODES = {"resource": 1, "term": 2, "case": 3}
    _id = "(rowid / 4)"
    _kind = "(CASE rowid % 4 WHEN 1 THEN 'resource' WHEN 2 THEN 'term' ELSE 'case' END)"

    @classmethod
    def rowid(cls, kind, object_id):
        return object_id * 4 + cls.KIND_CODES[kind]

    @staticmethod
    def table(language):
        return f"atlas_searchfts_{language}"

    # Index.

    def write(self, cursor, rows):
        """rows: (kind, object_id, language, title, summary, body), written stemmed, replacing."""
        for language in text.LANGUAGES:
            mine = [r for r in rows if r[2] == language]
            if not mine:
                continue
            table = self.table(language)
            ids = [self.rowid(r[0], r[1]) for r in mine]
            cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s", [(i,) for i in ids])  # noqa: S608
            cursor.executemany(
                f"INSERT INTO {table} (rowid, title, summary, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [
                    (i, *(text.stemmed(t, language) for t in r[3:]))
                    for i, r in zip(ids, mine, strict=True)
                ],
            )

    def delete(self, cursor, entries):
        """entries: (kind, object_id, language)."""
        for kind, object_id, language in entries:
            cursor.execute(
                f"DELETE FROM {self.table(language)} WHERE rowid = %s",  # noqa: S608
                [self.rowid(kind, object_id)],
            )

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
            # The word as typed, unstemmed: "parti" finds "particip" (participatif…); the
            # stem's prefix ("part*") would find nearly everything.
            return self._quoted(alt.words[0]) + " *"
        assert alt.kind == PHRASE
        return self._quoted(" ".join(text.stem(w, language) for w in alt.words))

    def expression(self, query):
        clauses = [
            "(" + " OR ".join(self._alternative(a, query.language) for a in clause) + ")"
            for clause in query.clauses
        ]
        return " AND ".join(clauses)

    def _from(self, query):
        return self.table(query.language)

    def _score(self, query):
        return f"bm25({self.table(query.language)}, 10.0, 4.0, 1.0)", []

    def _where(self, query):
        return f"{self.table(query.language)} MATCH %s", [self.expression(query)]

    def _tiers(self, query):
        # Each tier is its own MATCH, so bm25 ranks within a tier by that tier's columns.
        # (A rowid IN (…MATCH…) filter instead would run the full-text query once per row.)
        match = f"{self.table(query.language)} MATCH %s"
        everywhere = self.expression(query)
        title = f"{{title}} : ({everywhere})"
        head = f"{{title summary}} : ({everywhere})"
        return [
            (match, [title]),
            (match, [f"({head}) NOT ({title})"]),
            (match, [f"({everywhere}) NOT ({head})"]),
        ]

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


class PostgresBackend(Backend):
    """tsvector columns built by the database with the sonar_fr / sonar_en configurations
    (unaccent, then Snowball), each under a GIN index: `document` (weights A title, B summary,
    C body, for ts_rank), `head_document` (title and summary) and `title_document`, so that
    each ranking tier is one index lookup."""

    vendor = "postgresql"
    CONFIGS = {"fr": "sonar_fr", "en": "sonar_en"}

    def write(self, cursor, rows):
        """Nothing to do: the tsvectors are generated columns of atlas_searchentry."""

    def delete(self, cursor, entries):
        """Nothing to do: deleting the entry deletes its tsvectors."""

    def clear(self, cursor):
        """Nothing to do: see write()."""

    @staticmethod
    def _lexeme(word, prefix=False):
        # Words are letters and digits only (text.WORD): quoting them is enough.
        return f"'{word}'{':*' if prefix else ''}"

    def _alternative(self, alt, config, params):
        if alt.kind == STEM:
            params.append(self._lexeme(alt.words[0]))
            return f"to_tsquery('{config}', %s)"
        if alt.kind == PREFIX:
            # Unstemmed, as on SQLite ('simple' does not stem; the word is already folded).
            params.append(self._lexeme(alt.words[0], prefix=True))
            return "to_tsquery('simple', %s)"
        params.append(" <-> ".join(self._lexeme(w) for w in alt.words))
        return f"to_tsquery('{config}', %s)"

    def expression(self, query):
        config = self.CONFIGS[query.language]
        params, clauses = [], []
        for clause in query.clauses:
            parts = [self._alternative(a, config, params) for a in clause]
            clauses.append("(" + " || ".join(parts) + ")")
        return "(" + " && ".join(clauses) + ")", params

    def _from(self, query):
        return "atlas_searchentry e"

    def _score(self, query):
        tsquery, params = self.expression(query)
        return f"-ts_rank(e.document, {tsquery})", params

    @staticmethod
    def _language(query):
        # Written out, not a parameter, so that the planner picks the language's partial index.
        assert query.language in text.LANGUAGES
        return f"e.language = '{query.language}'"

    def _where(self, query):
        tsquery, params = self.expression(query)
        return f"{self._language(query)} AND e.document @@ {tsquery}", params

    def _tiers(self, query):
        q, p = self.expression(query)
        language = self._language(query)
        return [
            (f"{language} AND e.title_document @@ {q}", p),
            (f"{language} AND e.head_document @@ {q} AND NOT e.title_document @@ {q}", p + p),
            (f"{language} AND e.document @@ {q} AND NOT e.head_document @@ {q}", p + p),
        ]

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
