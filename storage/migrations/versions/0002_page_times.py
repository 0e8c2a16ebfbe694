"""page times keep the offset the page stated, or are only a day

Revision ID: 0002
Revises: 0001

``version.published_at`` / ``modified_at`` stay the UTC instant; beside each, the offset
the page stated (minutes east of UTC) and, for a value that was only a day, that day (the
instant is then null). Existing rows keep their instant; their offset is unknown (null),
and they read back in UTC as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_offset', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_day', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('modified_offset', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('modified_day', sa.Date(), nullable=True))


def downgrade() -> None:
    # A day-only value becomes midnight UTC again, as the schema before it stored it.
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for name in ('published', 'modified'):
        midnight = (
            f"{name}_day || ' 00:00:00.000000'"
            if sqlite
            else f"{name}_day::timestamp AT TIME ZONE 'UTC'"
        )
        op.execute(
            f'UPDATE version SET {name}_at = {midnight} '
            f'WHERE {name}_at IS NULL AND {name}_day IS NOT NULL'
        )
    with op.batch_alter_table('version', schema=None) as batch_op:
        batch_op.drop_column('modified_day')
        batch_op.drop_column('modified_offset')
        batch_op.drop_column('published_day')
        batch_op.drop_column('published_offset')
