"""ai_calls: the answer of each settled call, kept for the run it belongs to

Revision ID: 0006_call_answers
Revises: 0005_report
Created: 2026-12-01

A node that re-runs after its process died (between its LLM call and its checkpoint) asks the
same question again; with the answer stored beside the settlement, the metered client returns it
instead of calling (and charging) the provider a second time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_call_answers"
down_revision = "0005_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.drop_column("answer")
