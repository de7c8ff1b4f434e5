"""Recording changes in the audit log (in the caller's transaction)."""

from __future__ import annotations

from typing import Any

from services.db import db
from services.models import AuditEntry, User


def record(
    action: str,
    *,
    actor: User | None,
    target_type: str,
    target_id: object,
    org_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> AuditEntry:
    """Add an audit entry to the current session; it commits with the change it describes."""
    entry = AuditEntry(
        org_id=org_id,
        actor_id=actor.id if actor else None,
        actor_email=actor.email if actor else "system",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        before=before,
        after=after,
        request_id=request_id or _current_request_id(),
    )
    db.session.add(entry)
    return entry


def _current_request_id() -> str | None:
    # Imported lazily: services do not depend on the web layer, but a request id is useful when
    # there is one.
    import structlog

    return structlog.contextvars.get_contextvars().get("request_id")
