"""Full-text search over versions' headline and body: SQLite FTS5, PostgreSQL ``tsvector``.

Both backends read one query language, parsed here once (:func:`parse_query`): words (all
must occur), ``"a phrase"``, ``word*`` (a prefix), ``-word`` (must not occur) and ``a OR b``.
A query that cannot mean anything — an unbalanced quote, a lone ``OR``, only excluded words,
a term without a letter or digit — raises :class:`~storage.errors.SearchQueryError` before
the database sees it; a database that still refuses the query raises the same error.

The index is made by migration 0008: an FTS5 table kept current by triggers on SQLite, a GIN
index on :func:`pg_document` on PostgreSQL. Results are the latest version of each article
unless ``all_versions``; ``rank`` is higher for a better match (BM25 on SQLite with the
headline weighted 5:1, ``ts_rank_cd`` on PostgreSQL; not comparable between the two).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, String, Text, TextClause, bindparam, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import TextualSelect
from sqlalchemy.types import TypeEngine

from storage.errors import SearchQueryError
from storage.types import UTCDateTime

#: Marks around a matched word in :attr:`SearchHit.snippet` (control characters never found
#: in stored text, so a page replaces them after escaping the rest).
SNIPPET_START = "\x02"
SNIPPET_END = "\x03"
SNIPPET_ELLIPSIS = "…"
SNIPPET_WORDS = 24
HEADLINE_WEIGHT = 5.0

#: ISO 639-1 prefix → PostgreSQL text search configuration (those every server ships).
#: The GIN index of migration 0008 is built on this expression: changing it needs a
#: migration that recreates ``ix_version_search``, or searches stop using the index.
PG_LANGUAGES = {
    "ar": "arabic", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fi": "finnish", "fr": "french", "hu": "hungarian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}  # fmt: skip


def pg_regconfig(table: str = "") -> str:
    """The text search configuration of a version's language (``simple`` when unknown)."""
    column = f"{table}.language" if table else "language"
    cases = " ".join(
        f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in PG_LANGUAGES.items()
    )
    return f"CASE lower(substr(coalesce({column}, ''), 1, 2)) {cases} ELSE 'simple'::regconfig END"


def pg_document(table: str = "") -> str:
    """A version's ``tsvector``: the headline weighted A, the body B (the indexed expression)."""
    config = pg_regconfig(table)
    prefix = f"{table}." if table else ""
    return (
        f"(setweight(to_tsvector({config}, coalesce({prefix}headline, '')), 'A')"
        f" || setweight(to_tsvector({config}, {prefix}body), 'B'))"
    )


#: PostgreSQL: the side table of stored ``tsvector`` documents, its GIN index, and the
#: trigger that keeps it current on every insert and every update of a version's text.
PG_TRIGGER = "version_search_refresh"


def pg_backfill() -> str:
    """Index every stored version (the migration's backfill; a bulk load's too)."""
    return (
        f"INSERT INTO version_search (version_id, document) SELECT id, {pg_document()}"
        " FROM version ON CONFLICT (version_id) DO UPDATE SET document = EXCLUDED.document"
    )


def pg_schema() -> tuple[str, ...]:
    """The statements migration 0008 runs on PostgreSQL."""
    return (
        "CREATE TABLE version_search (version_id integer PRIMARY KEY"
        " REFERENCES version (id) ON DELETE CASCADE, document tsvector NOT NULL)",
        "CREATE INDEX ix_version_search ON version_search USING gin (document)",
        f"CREATE FUNCTION {PG_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        f" INSERT INTO version_search (version_id, document) VALUES (NEW.id, {pg_document('NEW')})"
        " ON CONFLICT (version_id) DO UPDATE SET document = EXCLUDED.document;"
        " RETURN NULL; END $$",
        f"CREATE TRIGGER {PG_TRIGGER} AFTER INSERT OR UPDATE OF headline, body, language"
        f" ON version FOR EACH ROW EXECUTE FUNCTION {PG_TRIGGER}()",
        pg_backfill(),
    )


PG_DROP = (
    f"DROP TRIGGER IF EXISTS {PG_TRIGGER} ON version",
    f"DROP FUNCTION IF EXISTS {PG_TRIGGER}()",
    "DROP TABLE IF EXISTS version_search",
)


@dataclass(frozen=True)
class SearchHit:
    """One matching version, with a snippet of its body (matches between the marks)."""

    article_id: int
    version_id: int
    version: int
    url: str
    headline: str | None
    snippet: str
    rank: float
    fetched_at: datetime
    source: str | None


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word, or a phrase of several; a prefix; or excluded."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


#: Words as the index tokenizes them (FTS5 ``unicode61``): runs of letters and digits.
_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'-?"[^"]*"\*?|-?"[^"]*$|\S+')


def _term(token: str, query: str) -> Term:
    negated = token.startswith("-") and len(token) > 1
    body = token[1:] if negated else token
    prefix = body.endswith("*")
    if body.startswith('"'):
        if body.count('"') < 2:
            raise SearchQueryError('a quote (") is not closed', query=query)
        body = body.strip("*").strip('"')
    words = tuple(w.casefold() for w in _WORD.findall(body.rstrip("*")))
    if not words:
        raise SearchQueryError(f"{token!r} has no letters or digits to search for", query=query)
    return Term(words, prefix, negated)


def parse_query(query: str) -> tuple[tuple[Term, ...], ...]:
    """The query as clauses that must all match, each a choice of terms (``a OR b``).

    Excluded terms are clauses of their own. Raises :class:`SearchQueryError` for a query
    that cannot mean anything.
    """
    tokens = _TOKEN.findall(query)
    if not tokens:
        raise SearchQueryError("the query is empty", query=query)
    clauses: list[list[Term]] = []
    joining = False
    for token in tokens:
        if token == "OR":
            if not clauses or joining:
                raise SearchQueryError("OR needs a term on each side", query=query)
            joining = True
            continue
        if token == "AND":
            continue
        term = _term(token, query)
        if joining:
            if term.negated or clauses[-1][0].negated:
                raise SearchQueryError("an excluded -term cannot be part of OR", query=query)
            clauses[-1].append(term)
            joining = False
        else:
            clauses.append([term])
    if joining:
        raise SearchQueryError("OR needs a term on each side", query=query)
    if all(clause[0].negated for clause in clauses):
        raise SearchQueryError("a query needs a term to find, not only -excluded ones", query=query)
    return tuple(tuple(clause) for clause in clauses)


def fts5_query(clauses: tuple[tuple[Term, ...], ...]) -> str:
    """The parsed query in FTS5's syntax (every word quoted, so none is an operator)."""

    def one(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

    positive = [c for c in clauses if not c[0].negated]
    parts = [one(c[0]) if len(c) == 1 else "(" + " OR ".join(map(one, c)) + ")" for c in positive]
    text_ = " AND ".join(parts)
    for clause in clauses:
        if clause[0].negated:
            text_ = f"({text_}) NOT {one(clause[0])}"
    return text_


def tsquery_text(term: Term) -> str:
    """One term as ``to_tsquery`` input: each word quoted, a phrase joined with ``<->``."""
    words = [f"'{w}'" for w in term.words]
    if term.prefix:
        words[-1] += ":*"
    return " <-> ".join(words)


def pg_configs() -> list[str]:
    """Every text search configuration an indexed version may have used."""
    return sorted({*PG_LANGUAGES.values(), "simple"})


def pg_query(
    clauses: tuple[tuple[Term, ...], ...], readings: dict[str, list[str]] | None = None
) -> tuple[str, dict[str, str]]:
    """The parsed query as a ``tsquery`` expression and its parameters.

    A term is read in every configuration an indexed version may have used (a word is
    stemmed one way in English, another in German, kept as written in ``simple``) and its
    distinct readings (``readings``: term text → ``tsquery`` texts, see
    :func:`pg_readings`) are joined by OR, so a version matches in its own language; an
    excluded term excludes every reading. Without ``readings`` each configuration is asked
    inside the query (one ``to_tsquery`` per configuration and term).
    """
    params: dict[str, str] = {}

    def one(term: Term) -> str:
        source = tsquery_text(term)
        if readings is None:
            name = f"term{len(params)}"
            params[name] = source
            parts = [f"to_tsquery('{c}', :{name})" for c in pg_configs()]
        else:
            parts = []
            for reading in readings.get(source) or ["''"]:
                name = f"reading{len(params)}"
                params[name] = reading
                parts.append(f"CAST(:{name} AS tsquery)")
        joined = " || ".join(parts)
        return f"!!({joined})" if term.negated else f"({joined})"

    parts = ["(" + " || ".join(one(t) for t in clause) + ")" for clause in clauses]
    return "(" + " && ".join(parts) + ")", params


def pg_readings(session: Session, clauses: tuple[tuple[Term, ...], ...]) -> dict[str, list[str]]:
    """Each term's distinct readings in the configurations (usually two or three of them),
    so the query the index and the ranking see is small."""
    statement = text(
        "SELECT DISTINCT to_tsquery(CAST(cfg AS regconfig), :term)::text AS reading"
        " FROM unnest(CAST(:configs AS text[])) AS cfg"
    )
    found: dict[str, list[str]] = {}
    for clause in clauses:
        for term in clause:
            source = tsquery_text(term)
            rows = session.execute(statement, {"term": source, "configs": pg_configs()})
            found[source] = sorted(r.reading for r in rows if r.reading)
    return found


#: Matches are ranked in windows of this many, newest window first: ranking every match of
#: a common word costs time in proportion to the archive (BM25 or ts_rank per match), the
#: newest matches are the ones a news search wants first, and the bound keeps a page of
#: results fast however large the archive grows (see bench/corpus.py). A query with fewer
#: matches is ranked as a whole.
SEARCH_WINDOW = 10_000
#: Best-ranked matches of a window looked up per pass (more when filters drop many).
CANDIDATES = 200
_NEWEST = 2**62


def search(
    session: Session,
    query: str,
    *,
    source: str | None = None,
    since: datetime | None = None,
    all_versions: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> list[SearchHit]:
    """Versions whose headline or body match ``query``, best first.

    Only the latest version of each article unless ``all_versions``; ``source`` and
    ``since`` (versions fetched at or after) narrow it. Matches are ranked within windows
    of :data:`SEARCH_WINDOW`, newest first, so pages stay consistent and fast; a filter
    that leaves a window short moves on to older ones. Raises :class:`SearchQueryError`.
    """
    clauses = parse_query(query)
    sqlite = session.get_bind().dialect.name == "sqlite"
    filters = _filters(source=source, since=since, all_versions=all_versions)
    params: dict[str, object] = {"window": SEARCH_WINDOW, "before": _NEWEST}
    if source is not None:
        params["source"] = source
    if since is not None:
        params["since"] = since
    if sqlite:
        params["match"] = fts5_query(clauses)
        statement, bounds = _sqlite_statement(filters), _sqlite_bounds()
    found: list[Any] = []
    try:
        if not sqlite:
            tsquery, terms = pg_query(clauses, pg_readings(session, clauses))
            params.update(terms)
            statement, bounds = _pg_statement(filters, tsquery), _pg_bounds(tsquery)
        while len(found) < limit + offset:
            lowest, matched = session.execute(bounds, params).one()
            if not matched:
                break
            need = limit + offset - len(found)
            found += _from_window(session, statement, params, need, matched)
            if len(found) >= limit + offset or matched < SEARCH_WINDOW:
                break  # enough, or that window held every remaining match
            params["before"] = lowest
        rows = found[offset : offset + limit]
        snippets = (
            _sqlite_snippets(session, params["match"], [r["version_id"] for r in rows])
            if sqlite
            else {}
        )
    except DBAPIError as exc:
        raise SearchQueryError(str(exc.orig).splitlines()[0], query=query) from exc
    return [
        SearchHit(
            article_id=row["article_id"],
            version_id=row["version_id"],
            version=row["number"],
            url=row["url"],
            headline=row["headline"],
            snippet=snippets.get(row["version_id"], row.get("snippet") or ""),
            rank=float(row["rank"]),
            fetched_at=row["fetched_at"],
            source=row["source"],
        )
        for row in rows
    ]


def _from_window(
    session: Session, statement: TextualSelect, params: dict[str, object], need: int, matched: int
) -> list[Any]:
    """The best ``need`` filtered matches of the window below ``params["before"]`` (which
    holds ``matched``): its best candidates are looked up first, more while filters drop
    too many of them."""
    candidates = max(CANDIDATES, 4 * need)
    while True:
        rows = session.execute(statement, {**params, "need": need, "candidates": candidates})
        found = list(rows.mappings().all())
        if len(found) >= need or candidates >= matched:
            return found
        candidates *= 4


def _filters(*, source: str | None, since: datetime | None, all_versions: bool) -> str:
    conditions = ["TRUE"]
    if not all_versions:
        conditions.append("a.current_version = v.number")
    if source is not None:
        conditions.append("a.source = :source")
    if since is not None:
        conditions.append("v.fetched_at >= :since")
    return " AND ".join(conditions)


_COLUMNS: dict[str, TypeEngine[Any]] = {
    "version_id": Integer(),
    "article_id": Integer(),
    "number": Integer(),
    "url": Text(),
    "headline": Text(),
    "fetched_at": UTCDateTime(),
    "source": String(),
    "rank": Float(),
}


def _typed(sql: str) -> TextClause:
    """``sql`` with its result columns typed, and ``:since`` bound as a stored UTC time."""
    statement = text(sql)
    if ":since" in sql:
        statement = statement.bindparams(bindparam("since", type_=UTCDateTime()))
    return statement


def _sqlite_statement(filters: str) -> TextualSelect:
    """The matches below ``:before``: the newest ``:window`` ranked by BM25, the best
    ``:candidates`` of those joined and filtered, the best ``:need`` of them."""
    sql = f"""
        WITH w AS (
            SELECT rowid AS id, bm25(version_fts, {HEADLINE_WEIGHT}, 1.0) AS score
            FROM version_fts WHERE version_fts MATCH :match AND rowid < :before
            ORDER BY rowid DESC LIMIT :window
        ),
        c AS (SELECT id, score FROM w ORDER BY score, id LIMIT :candidates)
        SELECT v.id AS version_id, v.article_id, v.number, a.url, v.headline, v.fetched_at,
               a.source, -c.score AS rank
        FROM c
        JOIN version AS v ON v.id = c.id
        JOIN article AS a ON a.id = v.article_id
        WHERE {filters}
        ORDER BY c.score, v.id
        LIMIT :need
    """
    return _typed(sql).columns(**_COLUMNS)


def _sqlite_bounds() -> TextClause:
    """The lowest id and the size of the window below ``:before`` (no ranking: cheap)."""
    return text(
        "SELECT min(id), count(*) FROM (SELECT rowid AS id FROM version_fts"
        " WHERE version_fts MATCH :match AND rowid < :before ORDER BY rowid DESC LIMIT :window)"
    )


def _pg_bounds(tsquery: str) -> TextClause:
    return text(
        f"WITH q AS (SELECT {tsquery} AS query) SELECT min(id), count(*) FROM"
        " (SELECT s.version_id AS id FROM version_search AS s, q WHERE s.document @@ q.query"
        " AND s.version_id < :before ORDER BY s.version_id DESC LIMIT :window) AS w"
    )


def _sqlite_snippets(session: Session, match: object, ids: list[int]) -> dict[int, str]:
    """Snippets of the hits' bodies, made only for the rows shown (FTS5's ``snippet``)."""
    found: dict[int, str] = {}
    statement = text(
        "SELECT rowid AS id, snippet(version_fts, 1, :start, :end, :ellipsis, :words) AS s"
        " FROM version_fts WHERE version_fts MATCH :match AND rowid = :id"
    )
    for version_id in ids:
        row = session.execute(
            statement,
            {
                "start": SNIPPET_START,
                "end": SNIPPET_END,
                "ellipsis": SNIPPET_ELLIPSIS,
                "words": SNIPPET_WORDS,
                "match": match,
                "id": version_id,
            },
        ).first()
        if row is not None:
            found[version_id] = row.s or ""
    return found


def _pg_statement(filters: str, tsquery: str) -> TextualSelect:
    """As :func:`_sqlite_statement`, over the stored vectors, ranked by ``ts_rank_cd``;
    snippets by ``ts_headline`` for the rows returned only."""
    options = (
        f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords={SNIPPET_WORDS},"
        f" MinWords={SNIPPET_WORDS // 2}, MaxFragments=2,"
        f' FragmentDelimiter=" {SNIPPET_ELLIPSIS} "'
    )
    sql = f"""
        WITH q AS (SELECT {tsquery} AS query),
        w AS (
            SELECT s.version_id AS id, s.document FROM version_search AS s, q
            WHERE s.document @@ q.query AND s.version_id < :before
            ORDER BY s.version_id DESC LIMIT :window
        ),
        c AS (
            SELECT w.id, ts_rank_cd(w.document, q.query) AS rank FROM w, q
            ORDER BY rank DESC, w.id LIMIT :candidates
        ),
        hits AS (
            SELECT v.id AS version_id, v.article_id, v.number, a.url, v.headline,
                   v.fetched_at, a.source, v.language, v.body, c.rank
            FROM c
            JOIN version AS v ON v.id = c.id
            JOIN article AS a ON a.id = v.article_id
            WHERE {filters}
            ORDER BY c.rank DESC, v.id
            LIMIT :need
        )
        SELECT hits.version_id, hits.article_id, hits.number, hits.url, hits.headline,
               hits.fetched_at, hits.source, hits.rank,
               ts_headline({pg_regconfig("hits")}, hits.body, q.query, :options) AS snippet
        FROM hits, q
        ORDER BY hits.rank DESC, hits.version_id
    """
    return _typed(sql).bindparams(options=options).columns(**_COLUMNS, snippet=Text())
