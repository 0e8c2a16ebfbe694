"""changes feed and notifications: version.kinds (backfilled), ix_version_fetched, ix_article_source, notification outbox

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01 03:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.changelog import change_kinds, encode_kinds

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000

_VERSION = sa.table(
    'version',
    sa.column('id', sa.Integer()),
    sa.column('number', sa.Integer()),
    sa.column('changes', sa.JSON()),
    sa.column('changed_fields', sa.JSON()),
    sa.column('kinds', sa.String(200)),
)


def _backfill_kinds() -> None:
    """Every stored version's kinds of change, from the classification it was stored with."""
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_VERSION.c.id, _VERSION.c.number, _VERSION.c.changes, _VERSION.c.changed_fields)
            .where(_VERSION.c.id > last)
            .order_by(_VERSION.c.id)
            .limit(BATCH)
        ).mappings().all()
        if not rows:
            return
        conn.execute(
            _VERSION.update().where(_VERSION.c.id == sa.bindparam('vid')),
            [
                {
                    'vid': row['id'],
                    'kinds': encode_kinds(
                        change_kinds(row['number'], row['changes'], row['changed_fields'] or ())
                    ),
                }
                for row in rows
            ],
        )
        last = rows[-1]['id']


def upgrade() -> None:
    # Plain ALTER TABLE / CREATE INDEX, never a batch rebuild of ``version``: on SQLite a
    # rebuild would drop the full-text triggers migration 0008 keeps on that table.
    op.add_column(
        'version', sa.Column('kinds', sa.String(length=200), server_default='', nullable=False)
    )
    _backfill_kinds()
    op.create_index(
        'ix_version_fetched', 'version', ['fetched_at', 'id', 'article_id', 'number', 'kinds']
    )
    op.create_index(op.f('ix_article_source'), 'article', ['source'])
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('target_label', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_notification_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['version.id'], name=op.f('fk_notification_version_id_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('version_id', 'target', name=op.f('uq_notification_version_id')),
    )
    op.create_index('ix_notification_due', 'notification', ['state', 'target'])
    op.create_index(op.f('ix_notification_article_id'), 'notification', ['article_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_notification_article_id'), table_name='notification')
    op.drop_index('ix_notification_due', table_name='notification')
    op.drop_table('notification')
    op.drop_index(op.f('ix_article_source'), table_name='article')
    op.drop_index('ix_version_fetched', table_name='version')
    op.drop_column('version', 'kinds')  # ALTER TABLE … DROP COLUMN (SQLite 3.35+): no rebuild
