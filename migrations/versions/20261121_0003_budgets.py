"""budgets: organisation budget settings, AI-spend ledger, business-budget ledger

Revision ID: 0003_budgets
Revises: 0002
Created: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_budgets"
down_revision = "0002"
branch_labels = None
depends_on = None


def _created(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "org_budget_settings",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("monthly_ai_cap_usd", sa.Numeric(precision=14, scale=6), nullable=False),
        sa.Column("run_ai_cap_default_usd", sa.Numeric(precision=14, scale=6), nullable=False),
        sa.Column("run_ai_cap_max_usd", sa.Numeric(precision=14, scale=6), nullable=False),
        sa.Column("run_budget_max_usd", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("agent_share_caps", sa.JSON(), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("overrun_policy", sa.String(length=16), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        _created("updated_at"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_org_budget_settings_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_org_budget_settings_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_org_budget_settings")),
    )

    op.create_table(
        "ai_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("call_key", sa.String(length=200), nullable=False),
        sa.Column("agent", sa.String(length=40), nullable=False),
        sa.Column("prompt", sa.String(length=80), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("reserved_micros", sa.BigInteger(), nullable=False),
        sa.Column("settled_micros", sa.BigInteger(), nullable=False),
        sa.Column("cached", sa.Boolean(), nullable=False),
        sa.Column("error", sa.String(length=64), nullable=True),
        _created("created_at"),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_ai_calls_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_ai_calls_run_id_runs")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_ai_calls_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ai_calls")),
        sa.UniqueConstraint("run_id", "call_key", name="uq_ai_calls_run_call"),
    )
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_calls_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_ai_calls_org_created", ["org_id", "created_at"], unique=False)
        batch_op.create_index("ix_ai_calls_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "ai_run_spend",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("reserved_micros", sa.BigInteger(), nullable=False),
        sa.Column("settled_micros", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_ai_run_spend_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_ai_run_spend_run_id_runs")),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_ai_run_spend")),
    )
    with op.batch_alter_table("ai_run_spend", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ai_run_spend_org_id"), ["org_id"], unique=False)

    op.create_table(
        "ai_org_month_spend",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("reserved_micros", sa.BigInteger(), nullable=False),
        sa.Column("settled_micros", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_ai_org_month_spend_org_id_organisations")
        ),
        sa.PrimaryKeyConstraint("org_id", "month", name=op.f("pk_ai_org_month_spend")),
    )

    op.create_table(
        "ai_threshold_claims",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        _created("created_at"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_ai_threshold_claims_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_ai_threshold_claims_run_id_runs")),
        sa.PrimaryKeyConstraint("org_id", "month", "level", name=op.f("pk_ai_threshold_claims")),
    )

    op.create_table(
        "run_business_budgets",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("allocated_cents", sa.BigInteger(), nullable=False),
        sa.Column("approved_overrun_cents", sa.BigInteger(), nullable=False),
        _created("updated_at"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_run_business_budgets_run_id_runs")),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_business_budgets")),
    )

    op.create_table(
        "budget_allocations",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("agent", sa.String(length=40), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        _created("updated_at"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_budget_allocations_run_id_runs")),
        sa.PrimaryKeyConstraint("run_id", "agent", name=op.f("pk_budget_allocations")),
    )

    op.create_table(
        "budget_line_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("item_id", sa.String(length=120), nullable=False),
        sa.Column("agent", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        _created("created_at"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_budget_line_items_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_line_items")),
        sa.UniqueConstraint("run_id", "item_id", name="uq_budget_line_items_run_item"),
    )
    with op.batch_alter_table("budget_line_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_line_items_run_id"), ["run_id"], unique=False)

    op.create_table(
        "budget_overrun_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _created("decided_at"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_budget_overrun_decisions_org_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_budget_overrun_decisions_run_id_runs")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_budget_overrun_decisions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_overrun_decisions")),
    )
    with op.batch_alter_table("budget_overrun_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_budget_overrun_decisions_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("budget_overrun_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_overrun_decisions_run_id"))
    op.drop_table("budget_overrun_decisions")
    with op.batch_alter_table("budget_line_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_budget_line_items_run_id"))
    op.drop_table("budget_line_items")
    op.drop_table("budget_allocations")
    op.drop_table("run_business_budgets")
    op.drop_table("ai_threshold_claims")
    op.drop_table("ai_org_month_spend")
    with op.batch_alter_table("ai_run_spend", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ai_run_spend_org_id"))
    op.drop_table("ai_run_spend")
    with op.batch_alter_table("ai_calls", schema=None) as batch_op:
        batch_op.drop_index("ix_ai_calls_status_created")
        batch_op.drop_index("ix_ai_calls_org_created")
        batch_op.drop_index(batch_op.f("ix_ai_calls_run_id"))
    op.drop_table("ai_calls")
    op.drop_table("org_budget_settings")
