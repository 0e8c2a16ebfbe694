"""full-text search over versions: SQLite FTS5 kept by triggers, PostgreSQL GIN on a tsvector

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 03:45:00

SQLite: ``version_fts``, an FTS5 table with external content (the ``version`` table itself,
so no text is stored twice), kept current by triggers on insert, update of the headline or
body (corrections in place included) and delete; existing rows are indexed by ``rebuild``.

PostgreSQL: ``version_search``, one stored ``tsvector`` per version — the headline (weight
A) and body (weight B) in the text search configuration of the version's language,
``simple`` for a language PostgreSQL has no stemmer for or none known — with a GIN index,
kept current by a trigger on insert and on update of the text, and deleted with the
version. Stored, not an index on an expression: ranking reads the vector instead of parsing
every matching body again (seconds per common word at 20,000 versions). The statements live
in ``storage.search`` (``pg_schema``) beside the queries that use them.

A later migration that rebuilds ``version`` on SQLite (``batch_alter_table``) must create
the three triggers again.
"""

from collections.abc import Sequence

from alembic import op

from storage.search import PG_DROP, pg_schema

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = (
    "CREATE VIRTUAL TABLE version_fts USING fts5(headline, body, content='version',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER version_fts_insert AFTER INSERT ON version BEGIN"
    " INSERT INTO version_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body);"
    " END",
    "CREATE TRIGGER version_fts_delete AFTER DELETE ON version BEGIN"
    " INSERT INTO version_fts(version_fts, rowid, headline, body)"
    " VALUES ('delete', old.id, old.headline, old.body); END",
    "CREATE TRIGGER version_fts_update AFTER UPDATE OF headline, body ON version BEGIN"
    " INSERT INTO version_fts(version_fts, rowid, headline, body)"
    " VALUES ('delete', old.id, old.headline, old.body);"
    " INSERT INTO version_fts(rowid, headline, body) VALUES (new.id, new.headline, new.body);"
    " END",
    "INSERT INTO version_fts(version_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS version_fts_update",
    "DROP TRIGGER IF EXISTS version_fts_delete",
    "DROP TRIGGER IF EXISTS version_fts_insert",
    "DROP TABLE IF EXISTS version_fts",
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in pg_schema():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in PG_DROP:
            op.execute(statement)
