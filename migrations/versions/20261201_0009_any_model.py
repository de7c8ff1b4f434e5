"""Any model a server serves: per-organisation model settings, and spend that says what it knows

Revision ID: 0009_any_model
Revises: 0008_email_per_org
Created: 2026-12-01

`provider_settings` gains what a model outside the registry needs (price, context window), how
its server takes a schema (structured output mode) and how long a call may take.

`runs.ai_price_set` is false for a run whose model has no price: its AI spend reads 0 but is
unknown, and is shown as "price not set". `ai_calls.usage_estimated` marks a call whose server
reported no token usage, so the counts (and the cost) are Catalyst's own estimate.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_any_model"
down_revision = "0008_email_per_org"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provider_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("structured_output", sa.String(24), nullable=True))
        batch_op.add_column(sa.Column("input_usd_per_mtok", sa.Numeric(12, 6), nullable=True))
        batch_op.add_column(sa.Column("output_usd_per_mtok", sa.Numeric(12, 6), nullable=True))
        batch_op.add_column(sa.Column("context_window", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("timeout_seconds", sa.Float(), nullable=True))
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ai_price_set", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("usage_estimated", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.drop_column("usage_estimated")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("ai_price_set")
    with op.batch_alter_table("provider_settings", schema=None) as batch_op:
        for column in ("timeout_seconds", "context_window", "output_usd_per_mtok", "input_usd_per_mtok",
                       "structured_output"):
            batch_op.drop_column(column)
