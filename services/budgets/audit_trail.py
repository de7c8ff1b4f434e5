"""Reading an organisation's audit log with filters and pagination (admins' audit view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select

from services.models import AuditEntry
from services.pagination import paginate


@dataclass(frozen=True)
class AuditPage:
    items: list[dict[str, Any]]
    total: int
    page: int
    per_page: int

    def to_json(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "page": self.page, "per_page": self.per_page}


def serialise(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "action": entry.action,
        "actor": {"id": entry.actor_id, "email": entry.actor_email},
        "target": {"type": entry.target_type, "id": entry.target_id},
        "before": entry.before,
        "after": entry.after,
        "request_id": entry.request_id,
        "created_at": entry.created_at.isoformat(),
    }


def audit_entries(
    org_id: int,
    *,
    action: str | None = None,
    actor: str | None = None,
    target: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> AuditPage:
    """Newest first. `action` is exact, or a prefix when it ends with `*` (e.g. `budget.*`);
    `actor` is an email or a user id; `target` is `type` or `type:id`."""
    query = select(AuditEntry).where(AuditEntry.org_id == org_id)
    if action:
        if action.endswith("*"):
            query = query.where(AuditEntry.action.startswith(action[:-1], autoescape=True))
        else:
            query = query.where(AuditEntry.action == action)
    if actor:
        clause = func.lower(AuditEntry.actor_email) == actor.strip().lower()
        query = query.where(
            or_(clause, AuditEntry.actor_id == int(actor)) if actor.isdigit() and len(actor) < 10 else clause
        )
    if target:
        target_type, _, target_id = target.partition(":")
        query = query.where(AuditEntry.target_type == target_type)
        if target_id:
            query = query.where(AuditEntry.target_id == target_id)
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    if until is not None:
        query = query.where(AuditEntry.created_at < until)
    found = paginate(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()), page=page, per_page=per_page
    )
    return AuditPage(
        items=[serialise(entry) for entry in found.items], total=found.total, page=found.page, per_page=found.per_page
    )
