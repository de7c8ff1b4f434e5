"""runs: the structured report next to its Markdown

Revision ID: 0005_report
Revises: 0004
Created: 2026-11-22

Every rendering of a report (web page, print/PDF, JSON API) reads its figures from this column;
runs finished before it keep only their Markdown and render from that.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_report"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("report", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("report")
