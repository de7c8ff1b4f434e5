"""ai_calls: the answer of each settled call; runs: the seq of the last recovery; no monthly cap

Revision ID: 0006_call_answers
Revises: 0005_report
Created: 2026-12-01

A node that re-runs after its process died (between its LLM call and its checkpoint) asks the
same question again; with the answer stored beside the settlement, the metered client returns it
instead of calling (and charging) the provider a second time.

`runs.recovered_at_seq` lets the crash-loop guard count only crashes without progress: a run
killed at ten different steps is recovering, one killed ten times at the same step is looping.

`org_budget_settings.no_monthly_ai_cap` is an admin's explicit choice of no monthly AI cap, so a
cap of 0 can mean zero.
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
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recovered_at_seq", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("no_monthly_ai_cap", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.drop_column("no_monthly_ai_cap")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("recovered_at_seq")
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.drop_column("answer")
