"""Quotes before execution and the AI-spend forecast (issue 16 item 1)

Revision ID: 0011_quotes
Revises: 0010_notifications
Created: 2026-12-01

The organisation's `overrun_policy` (approve | trim) becomes its `quote_policy` (always |
over_budget | never): one setting, so the two can never contradict each other; the API still reads
and writes `overrun_policy` as its alias (services/budgets/quote_policy.py). approve becomes
over_budget and trim becomes never, in the settings and in the policy each run recorded. The
forecast itself lives in the run's checkpointed state and its report, so it needs no column.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_quotes"
down_revision = "0010_notifications"
branch_labels = None
depends_on = None

_settings = sa.table("org_budget_settings", sa.column("overrun_policy", sa.String), sa.column("quote_policy", sa.String))
_runs = sa.table("runs", sa.column("policy", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quote_policy", sa.String(16), nullable=False, server_default="over_budget")
        )
    op.execute(_settings.update().where(_settings.c.overrun_policy == "trim").values(quote_policy="never"))
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.drop_column("overrun_policy")
    op.execute(_runs.update().where(_runs.c.policy == "approve").values(policy="over_budget"))
    op.execute(_runs.update().where(_runs.c.policy == "trim").values(policy="never"))


def downgrade() -> None:
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("overrun_policy", sa.String(16), nullable=False, server_default="approve"))
    op.execute(_settings.update().where(_settings.c.quote_policy == "never").values(overrun_policy="trim"))
    with op.batch_alter_table("org_budget_settings", schema=None) as batch_op:
        batch_op.drop_column("quote_policy")
    op.execute(_runs.update().where(_runs.c.policy.in_(["over_budget", "always"])).values(policy="approve"))
    op.execute(_runs.update().where(_runs.c.policy == "never").values(policy="trim"))
