"""users: an email is unique within its organisation, not across organisations

Revision ID: 0008_email_per_org
Revises: 0007_remember_tokens
Created: 2026-12-01

With one address allowed once in the whole installation, an admin of one organisation learnt
which emails another organisation had (its users could not be created) and could squat them.
"""

from __future__ import annotations

from alembic import op

revision = "0008_email_per_org"
down_revision = "0007_remember_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint("uq_users_email", type_="unique")
        batch_op.create_unique_constraint("uq_users_org_email", ["org_id", "email"])
        batch_op.create_index("ix_users_email", ["email"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_email")
        batch_op.drop_constraint("uq_users_org_email", type_="unique")
        batch_op.create_unique_constraint("uq_users_email", ["email"])
