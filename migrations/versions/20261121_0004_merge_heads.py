"""merge the live-runs, budgets and provider-settings branches

Revision ID: 0004
Revises: 0003_live, 0003_budgets, 0003_provider
Created: 2026-11-21

The three were written side by side from 0002; one head again lets `flask db upgrade` and the next
migration work as usual.
"""

from __future__ import annotations

revision = "0004"
down_revision = ("0003_live", "0003_budgets", "0003_provider")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
