"""Quotes before execution and the AI-spend forecast (issue 16 item 1)

Revision ID: 0011_quotes
Revises: 0010_notifications
Created: 2026-12-01
"""

from __future__ import annotations

revision = "0011_quotes"
down_revision = "0010_notifications"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
