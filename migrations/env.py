"""Alembic environment: migrate the database the running app is configured for."""

from __future__ import annotations

from alembic import context
from flask import current_app

from services.db import db

config = context.config


def render_item(type_: str, obj: object, autogen_context) -> str | bool:  # noqa: ANN001
    """Write our UTC timestamp type as a plain timezone-aware DateTime in migration files."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    engine = db.engine
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            compare_type=True,
            render_item=render_item,
            # SQLite cannot ALTER most things in place; batch mode copies the table instead.
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run against a database")
with current_app.app_context():
    run_migrations()
