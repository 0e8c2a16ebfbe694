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


def pg_query(clauses: tuple[tuple[Term, ...], ...]) -> tuple[str, dict[str, str]]:
    """The parsed query as a ``tsquery`` expression and its parameters.

    Each term is read in every configuration an indexed version may have used (a word is
    stemmed one way in English, another in German, kept as written in ``simple``) and those
    readings are joined by OR, so a version matches in its own language; an excluded term
    excludes every reading of it.
    """
    configs = sorted({*PG_LANGUAGES.values(), "simple"})
    params: dict[str, str] = {}

    def one(term: Term) -> str:
        name = f"term{len(params)}"
        params[name] = tsquery_text(term)
        readings = " || ".join(f"to_tsquery('{c}', :{name})" for c in configs)
        return f"!!({readings})" if term.negated else f"({readings})"

    parts = ["(" + " || ".join(one(t) for t in clause) + ")" for clause in clauses]
    return "(" + " && ".join(parts) + ")", params


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
    ``since`` (versions fetched at or after) narrow it. Raises :class:`SearchQueryError`.
    """
    clauses = parse_query(query)
    dialect = session.get_bind().dialect.name
    filters = _filters(source=source, since=since, all_versions=all_versions)
    params: dict[str, object] = {"limit": limit, "offset": offset}
    if source is not None:
        params["source"] = source
    if since is not None:
        params["since"] = since
    if dialect == "sqlite":
        params["match"] = fts5_query(clauses)
        statement = _sqlite_statement(filters)
    else:
        tsquery, terms = pg_query(clauses)
        params.update(terms)
        statement = _pg_statement(filters, tsquery)
    try:
        rows = session.execute(statement, params).mappings().all()
        snippets = (
            _sqlite_snippets(session, params["match"], [r["version_id"] for r in rows])
            if dialect == "sqlite"
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
    sql = f"""
        SELECT v.id AS version_id, v.article_id, v.number, a.url, v.headline, v.fetched_at,
               a.source, -m.score AS rank
        FROM (SELECT rowid AS id, bm25(version_fts, {HEADLINE_WEIGHT}, 1.0) AS score
              FROM version_fts WHERE version_fts MATCH :match) AS m
        JOIN version AS v ON v.id = m.id
        JOIN article AS a ON a.id = v.article_id
        WHERE {filters}
        ORDER BY m.score, v.id
        LIMIT :limit OFFSET :offset
    """
    return _typed(sql).columns(**_COLUMNS)


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
    document = pg_document("v")
    options = (
        f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords={SNIPPET_WORDS},"
        f' MinWords={SNIPPET_WORDS // 2}, MaxFragments=2, FragmentDelimiter=" {SNIPPET_ELLIPSIS} "'
    )
    sql = f"""
        WITH q AS (SELECT {tsquery} AS query),
        hits AS (
            SELECT v.id AS version_id, v.article_id, v.number, a.url, v.headline, v.fetched_at,
                   a.source, v.language, v.body, ts_rank_cd({document}, q.query) AS rank
            FROM version AS v JOIN article AS a ON a.id = v.article_id, q
            WHERE {document} @@ q.query AND {filters}
            ORDER BY rank DESC, v.id
            LIMIT :limit OFFSET :offset
        )
        SELECT hits.version_id, hits.article_id, hits.number, hits.url, hits.headline,
               hits.fetched_at, hits.source, hits.rank,
               ts_headline({pg_regconfig("hits")}, hits.body, q.query, :options) AS snippet
        FROM hits, q
        ORDER BY hits.rank DESC, hits.version_id
    """
    return _typed(sql).bindparams(options=options).columns(**_COLUMNS, snippet=Text())
