"""Starting a run from the new-run form through the run service (the same path as POST /api/runs)."""

from __future__ import annotations

from typing import Any

from agents.state import Brief
from services.db import db
from services.holdings import holdings
from services.models import Run, User
from services.runs.errors import RunActionError


class RunNotStarted(Exception):
    """The service refused the brief; `details` are field/message pairs like the API's 422."""

    def __init__(self, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


def start_run(brief: Brief, user: User) -> Run:
    """Queue a run for a validated brief; raises RunNotStarted with field errors."""
    try:
        return holdings().runs.create(user, brief)
    except RunActionError as exc:
        db.session.rollback()
        details = [{"field": exc.field, "message": exc.message}] if exc.field else []
        raise RunNotStarted(exc.message, details) from None
