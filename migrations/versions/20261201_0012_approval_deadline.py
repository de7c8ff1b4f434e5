"""Approval deadlines (issue 16 item 3)

Revision ID: 0012_approval_deadline
Revises: 0011_quotes
Created: 2026-12-01
"""

from __future__ import annotations

revision = "0012_approval_deadline"
down_revision = "0011_quotes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
