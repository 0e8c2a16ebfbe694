"""learned boilerplate applied backwards: corrections log and the digest applied per host

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('boilerplate_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('old_extractor', sa.String(length=60), nullable=False),
    sa.Column('new_extractor', sa.String(length=60), nullable=False),
    sa.Column('lines_removed', sa.Integer(), nullable=False),
    sa.Column('removed', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_boilerplate_correction_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boilerplate_correction'))
    )
    with op.batch_alter_table('boilerplate_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_boilerplate_correction_host'), ['host'], unique=False)
        batch_op.create_index(batch_op.f('ix_boilerplate_correction_article_id'), ['article_id'], unique=False)
    with op.batch_alter_table('host_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('learned_digest', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('host_profile', schema=None) as batch_op:
        batch_op.drop_column('learned_digest')
    with op.batch_alter_table('boilerplate_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_boilerplate_correction_article_id'))
        batch_op.drop_index(batch_op.f('ix_boilerplate_correction_host'))
    op.drop_table('boilerplate_correction')
