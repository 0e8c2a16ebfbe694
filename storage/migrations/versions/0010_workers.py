"""crawl workers on one PostgreSQL frontier: the worker table and the claim query's index

Revision ID: 0010
Revises: 0006
Create Date: 2026-12-01 03:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLAIM_WHERE = sa.text("state = 'new'")


def upgrade() -> None:
    op.create_table(
        "worker",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=300), nullable=False),
        sa.Column("hostname", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("interval", sa.Float(), nullable=False),
        sa.Column("claimed", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worker")),
    )
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_heartbeat_at"), ["heartbeat_at"], unique=False)
    # The claim query (one host's waiting URLs, best priority first, then oldest) walks this
    # index instead of every URL of the host; done URLs are not in it.
    op.create_index(
        "ix_url_claim",
        "url",
        ["host", sa.text("priority DESC"), "id"],
        unique=False,
        postgresql_where=CLAIM_WHERE,
        sqlite_where=CLAIM_WHERE,
    )


def downgrade() -> None:
    op.drop_index("ix_url_claim", table_name="url")
    with op.batch_alter_table("worker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_heartbeat_at"))
    op.drop_table("worker")
