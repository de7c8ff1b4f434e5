"""live runs: queue time, pending resume value, recovery count

Revision ID: 0003_live
Revises: 0002
Created: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_live"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("resume_value", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("recoveries", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index("ix_runs_status_queued_at", ["status", "queued_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index("ix_runs_status_queued_at")
        batch_op.drop_column("recoveries")
        batch_op.drop_column("resume_value")
        batch_op.drop_column("queued_at")
