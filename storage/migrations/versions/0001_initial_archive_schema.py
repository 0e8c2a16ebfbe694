"""initial archive schema

Revision ID: 0001
Revises:
Create Date: 2026-11-30 01:45:34.643548
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('revisit_step', sa.Integer(), nullable=False),
    sa.Column('next_revisit_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article')),
    sa.UniqueConstraint('url', name=op.f('uq_article_url'))
    )
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_host'), ['host'], unique=False)
        batch_op.create_index(batch_op.f('ix_article_next_revisit_at'), ['next_revisit_at'], unique=False)

    op.create_table('boilerplate_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boilerplate_line')),
    sa.UniqueConstraint('host', 'key', name=op.f('uq_boilerplate_line_host'))
    )
    with op.batch_alter_table('boilerplate_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boilerplate_line_host'), ['host'], unique=False)

    op.create_table('host',
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('robots_txt', sa.Text(), nullable=True),
    sa.Column('robots_status', sa.Integer(), nullable=True),
    sa.Column('robots_fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('crawl_delay', sa.Float(), nullable=True),
    sa.Column('next_request_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('backoff_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('backoff_seconds', sa.Float(), nullable=False),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_host'))
    )
    op.create_table('host_profile',
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pages_seen', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('host', name=op.f('pk_host_profile'))
    )
    op.create_table('run_lock',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_run_lock'))
    )
    op.create_table('snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('compression', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshot')),
    sa.UniqueConstraint('sha256', name=op.f('uq_snapshot_sha256'))
    )
    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('name', name=op.f('uq_source_name'))
    )
    op.create_table('alias',
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_alias_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('url', name=op.f('pk_alias'))
    )
    with op.batch_alter_table('alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alias_article_id'), ['article_id'], unique=False)

    op.create_table('fetch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('final_url', sa.Text(), nullable=True),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_ms', sa.Float(), nullable=True),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('error_kind', sa.String(length=40), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_fetch_article_id_article'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'], name=op.f('fk_fetch_snapshot_id_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fetch'))
    )
    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fetch_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fetch_started_at'), ['started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fetch_url'), ['url'], unique=False)

    op.create_table('url',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('discovered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('next_fetch_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_status', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('lastmod_hint', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_owner', sa.String(length=100), nullable=True),
    sa.Column('lease_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_url_article_id_article'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_url')),
    sa.UniqueConstraint('url', name=op.f('uq_url_url'))
    )
    with op.batch_alter_table('url', schema=None) as batch_op:
        batch_op.create_index('ix_url_due', ['state', 'next_fetch_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_url_host'), ['host'], unique=False)

    op.create_table('version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=True),
    sa.Column('headline', sa.Text(), nullable=True),
    sa.Column('authors', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=20), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('changed_fields', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('extractor', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_version_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshot.id'], name=op.f('fk_version_snapshot_id_snapshot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version')),
    sa.UniqueConstraint('article_id', 'number', name=op.f('uq_version_article_id'))
    )
    with op.batch_alter_table('version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_article_id'), ['article_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_article_id'))

    op.drop_table('version')
    with op.batch_alter_table('url', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_url_host'))
        batch_op.drop_index('ix_url_due')

    op.drop_table('url')
    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fetch_url'))
        batch_op.drop_index(batch_op.f('ix_fetch_started_at'))
        batch_op.drop_index(batch_op.f('ix_fetch_article_id'))

    op.drop_table('fetch')
    with op.batch_alter_table('alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alias_article_id'))

    op.drop_table('alias')
    op.drop_table('source')
    op.drop_table('snapshot')
    op.drop_table('run_lock')
    op.drop_table('host_profile')
    op.drop_table('host')
    with op.batch_alter_table('boilerplate_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boilerplate_line_host'))

    op.drop_table('boilerplate_line')
    with op.batch_alter_table('article', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_next_revisit_at'))
        batch_op.drop_index(batch_op.f('ix_article_host'))

    op.drop_table('article')
