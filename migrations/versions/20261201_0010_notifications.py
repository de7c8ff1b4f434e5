"""Webhooks and email notifications (issue 16 item 2)

Revision ID: 0010_notifications
Revises: 0009_any_model
Created: 2026-12-01
"""

from __future__ import annotations

revision = "0010_notifications"
down_revision = "0009_any_model"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
