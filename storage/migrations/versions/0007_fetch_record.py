"""a faithful fetch record: status line, response and request headers (zstd JSON)

Old fetches keep every value and get NULL in the new columns: their headers were not recorded.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('http_version', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('response_headers', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('request_headers', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('fetch', schema=None) as batch_op:
        batch_op.drop_column('request_headers')
        batch_op.drop_column('response_headers')
        batch_op.drop_column('reason')
        batch_op.drop_column('http_version')
