"""Approval deadlines (issue 16 item 3)

Revision ID: 0012_approval_deadline
Revises: 0011_quotes
Created: 2026-12-01

`org_budget_settings` gains an optional deadline for decisions (minutes; NULL: none) and what
happens when it passes (`trim` or `cancel`). A run paused for a decision keeps its own deadline in
`runs.decision_due_at` / `runs.decision_fallback`, stamped when it paused, so changing the setting
later never moves a deadline already announced (services/runs/deadlines.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_approval_deadline"
down_revision = "0011_quotes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_deadline_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("decision_fallback", sa.String(8), nullable=True))
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decision_due_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("decision_fallback", sa.String(8), nullable=True))
        batch_op.create_index("ix_runs_decision_due_at", ["decision_due_at"])


def downgrade() -> None:
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index("ix_runs_decision_due_at")
        batch_op.drop_column("decision_fallback")
        batch_op.drop_column("decision_due_at")
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.drop_column("decision_fallback")
        batch_op.drop_column("decision_deadline_minutes")
