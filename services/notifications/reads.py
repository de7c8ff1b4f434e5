"""What the admin page and API show: hooks without their secrets, email status, the delivery log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from config.settings import Settings
from services.db import db
from services.models.notifications import NotificationAttempt, NotificationDelivery, Webhook
from services.notifications import outbox
from services.notifications.mailer import smtp_config

LOG_LIMIT = 50
# "Send test" per organisation: each is a real request to the receiver.
TEST_LIMIT = "10/minute"


def hook_view(hook: Webhook, settings: Settings) -> dict[str, Any]:
    """A hook as an admin sees it (the secret was shown once, at creation)."""
    return {
        "id": hook.id,
        "url": hook.url,
        "description": hook.description,
        "events": list(hook.events),
        "enabled": hook.enabled,
        "consecutive_failures": hook.consecutive_failures,
        "disable_after_failures": settings.webhook_disable_after_failures,
        "disabled_reason": hook.disabled_reason,
        "disabled_at": hook.disabled_at.isoformat() if hook.disabled_at else None,
        "created_at": hook.created_at.isoformat(),
    }


def email_status(org_id: int, settings: Settings) -> dict[str, Any]:
    """Whether email is on, through which server, and how many people it reaches in the organisation."""
    config = smtp_config(settings)
    recipients = outbox.email_recipients(db.session.connection(), org_id)
    return {
        "enabled": config is not None,
        "server": f"{config.host}:{config.port}" if config else None,
        "sender": config.sender if config else None,
        "recipients": len(recipients),
    }


def delivery_log(org_id: int, *, webhook_id: int | None = None, limit: int = LOG_LIMIT) -> list[dict[str, Any]]:
    """The organisation's latest deliveries, newest first, each with its attempts."""
    query = select(NotificationDelivery).where(NotificationDelivery.org_id == org_id)
    if webhook_id is not None:
        query = query.where(NotificationDelivery.webhook_id == webhook_id)
    deliveries = list(db.session.scalars(query.order_by(NotificationDelivery.id.desc()).limit(limit)))
    attempts: dict[int, list[dict[str, Any]]] = {}
    if deliveries:
        rows = db.session.scalars(
            select(NotificationAttempt)
            .where(NotificationAttempt.delivery_id.in_([d.id for d in deliveries]))
            .order_by(NotificationAttempt.id)
        )
        for row in rows:
            attempts.setdefault(row.delivery_id, []).append({
                "attempt": row.attempt, "ok": row.ok, "status_code": row.status_code, "error": row.error,
                "response_ms": row.response_ms, "started_at": row.started_at.isoformat(),
                "finished_at": row.finished_at.isoformat(),
            })  # fmt: skip
    return [_delivery(d, attempts.get(d.id, [])) for d in deliveries]


def _delivery(row: NotificationDelivery, attempts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row.id,
        "channel": row.channel,
        "webhook_id": row.webhook_id,
        "recipient": row.recipient,
        "event": row.event,
        "event_id": row.event_id,
        "run_id": row.run_id,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.status == "pending" else None,
        "last_status_code": row.last_status_code,
        "last_error": row.last_error,
        "last_response_ms": row.last_response_ms,
        "created_at": row.created_at.isoformat(),
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
        "tries": attempts,
    }


def pending_count(org_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(NotificationDelivery)
        .where(NotificationDelivery.org_id == org_id, NotificationDelivery.status.in_(("pending", "sending")))
    ) or 0  # fmt: skip


def send_test(hook: Webhook, wake: Callable[[list[int]], None]) -> int:
    """Queue a `webhook.test` delivery to the hook (even a disabled one) and wake the consumer."""
    delivery_id = outbox.add_test_delivery(db.session.connection(), hook.org_id, hook.id, hook.url)
    db.session.commit()
    wake([delivery_id])
    return delivery_id
