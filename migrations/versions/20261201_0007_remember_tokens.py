"""remember_tokens: one rotating "remember me" token per device

Revision ID: 0007_remember_tokens
Revises: 0006_call_answers
Created: 2026-12-01

The remember cookie used to carry the user id and session version, the same value for every device
and every use, so a copied cookie worked until the session version changed. Each device now gets
its own random token, replaced every time it restores a session.

Every user's session version is bumped once: cookies issued before this revision carry the old
format and could never be rotated, so they (and the sessions they travel with) end here; users log
in once more.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_remember_tokens"
down_revision = "0006_call_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remember_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("selector", sa.String(length=32), nullable=False),
        sa.Column("verifier_hash", sa.String(length=64), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_remember_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remember_tokens")),
        sa.UniqueConstraint("selector", name=op.f("uq_remember_tokens_selector")),
    )
    with op.batch_alter_table("remember_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remember_tokens_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_remember_tokens_expires_at"), ["expires_at"], unique=False)
    op.execute(sa.text("UPDATE users SET session_version = session_version + 1"))


def downgrade() -> None:
    with op.batch_alter_table("remember_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remember_tokens_expires_at"))
        batch_op.drop_index(batch_op.f("ix_remember_tokens_user_id"))
    op.drop_table("remember_tokens")
