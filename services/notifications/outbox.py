"""The notification outbox: deliveries written beside the event, claimed one at a time, swept when due.

Every function takes the connection to work on: a request passes its session's connection (one
pool connection per request), background work a connection of its own. Claims are compare-and-set
UPDATEs, so two consumers (two processes, or a duplicate job) never send one delivery twice at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, and_, bindparam, insert, or_, select, update

from services.db import table_of, utcnow
from services.models import Role, User
from services.models.notifications import NotificationDelivery, Webhook
from services.notifications.events import RunFacts, new_event_id, run_payload, test_payload

_deliveries = table_of(NotificationDelivery)
_hooks = table_of(Webhook)
_users = table_of(User)
# Who is emailed: the people who can approve, edit, reject or resume a run.
EMAILED_ROLES = (Role.admin, Role.executive)


def subscribed_hooks(conn: Connection, org_id: int, event: str) -> list[Any]:
    """The organisation's enabled hooks that chose `event`."""
    rows = conn.execute(
        select(_hooks.c.id, _hooks.c.url, _hooks.c.events).where(_hooks.c.org_id == org_id, _hooks.c.enabled)
    ).all()
    return [row for row in rows if event in (row.events or [])]


def email_recipients(conn: Connection, org_id: int) -> list[str]:
    """The active executives' and admins' addresses in the organisation, each once."""
    rows = conn.execute(
        select(_users.c.email)
        .where(_users.c.org_id == org_id, _users.c.active, _users.c.role.in_([role.value for role in EMAILED_ROLES]))
        .order_by(_users.c.id)
    ).all()
    return list(dict.fromkeys(row.email for row in rows))


def add_run_deliveries(conn: Connection, facts: RunFacts, *, base_url: str, email: bool) -> list[int]:
    """One delivery per subscribed hook and, for events people act on, per recipient when email is on."""
    event_id = new_event_id()
    payload = run_payload(facts, base_url, event_id)
    rows = [
        {"channel": "webhook", "webhook_id": hook.id, "recipient": hook.url}
        for hook in subscribed_hooks(conn, facts.org_id, facts.event)
    ]
    if email and facts.emailed:
        # Email also names the objectives (escaped when rendered); webhooks never carry brief text.
        mail_payload = {**payload, "email": {"objectives": list(facts.objectives)[:10]}}
        rows += [{"channel": "email", "webhook_id": None, "recipient": address, "payload": mail_payload}
                 for address in email_recipients(conn, facts.org_id)]  # fmt: skip
    return _insert(conn, rows, org_id=facts.org_id, event=facts.event, event_id=event_id, run_id=facts.run_id,
                   payload=payload)  # fmt: skip


def add_test_delivery(conn: Connection, org_id: int, hook_id: int, url: str) -> int:
    """A "send test" delivery to one hook (sent even while the hook is disabled)."""
    event_id = new_event_id()
    payload = test_payload(org_id, hook_id, event_id)
    rows = [{"channel": "webhook", "webhook_id": hook_id, "recipient": url}]
    return _insert(conn, rows, org_id=org_id, event=payload["type"], event_id=event_id, run_id=None,
                   payload=payload)[0]  # fmt: skip


def _insert(conn: Connection, rows: list[dict[str, Any]], **common: Any) -> list[int]:
    now = utcnow()
    ids = []
    for row in rows:
        values = {**common, **row, "status": "pending", "attempts": 0, "next_attempt_at": now,
                  "created_at": now, "updated_at": now}  # fmt: skip
        ids.append(int(conn.execute(insert(_deliveries).values(**values).returning(_deliveries.c.id)).scalar_one()))
    return ids


def claim(conn: Connection, delivery_id: int, *, lease: timedelta, now: datetime | None = None) -> Row[Any] | None:
    """Take a due delivery for one attempt (None: not due, or someone else has it)."""
    now = now or utcnow()
    taken = conn.execute(
        update(_deliveries)
        .where(_deliveries.c.id == delivery_id, _deliveries.c.status == "pending", _deliveries.c.next_attempt_at <= now)
        .values(status="sending", claimed_until=now + lease, attempts=_deliveries.c.attempts + 1, updated_at=now)
    ).rowcount
    if taken != 1:
        return None
    return conn.execute(select(_deliveries).where(_deliveries.c.id == delivery_id)).first()


# The sweep's statements, built once: every serving process sweeps every few seconds, on the
# gevent thread that also sends live events.
_lease_over = (
    update(_deliveries)
    .where(_deliveries.c.status == "sending", _deliveries.c.claimed_until < bindparam("sweep_now"))
    .values(status="pending", claimed_until=None, updated_at=bindparam("sweep_now"))
)
_due = (
    select(_deliveries.c.id)
    .where(_deliveries.c.status == "pending", _deliveries.c.next_attempt_at <= bindparam("sweep_now"))
    .order_by(_deliveries.c.next_attempt_at, _deliveries.c.id)
    .limit(bindparam("sweep_limit"))
)


def due_ids(conn: Connection, *, limit: int = 100, now: datetime | None = None) -> list[int]:
    """Deliveries due now, oldest first; a claim whose holder died is due again once its lease is over."""
    now = now or utcnow()
    conn.execute(_lease_over, {"sweep_now": now})
    return [int(row.id) for row in conn.execute(_due, {"sweep_now": now, "sweep_limit": limit})]


def next_due_at(conn: Connection) -> datetime | None:
    """When the earliest pending delivery is due (None: nothing pending)."""
    return conn.execute(
        select(_deliveries.c.next_attempt_at).where(_deliveries.c.status == "pending")
        .order_by(_deliveries.c.next_attempt_at).limit(1)
    ).scalar()  # fmt: skip


def skip_pending(conn: Connection, hook_ids: Iterable[int], reason: str) -> None:
    """Drop what disabled hooks still had to send (test deliveries too)."""
    ids = list(hook_ids)
    if not ids:
        return
    conn.execute(
        update(_deliveries)
        .where(_deliveries.c.webhook_id.in_(ids), or_(_deliveries.c.status == "pending",
               and_(_deliveries.c.status == "sending", _deliveries.c.claimed_until < utcnow())))
        .values(status="skipped", last_error=reason[:300], updated_at=utcnow())
    )  # fmt: skip
