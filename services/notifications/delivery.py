"""One attempt at a due delivery, and what follows from it: done, retried later, given up, hook disabled.

The attempt itself (a POST, an SMTP conversation) happens with no transaction open: the claim
commits before it and the outcome is written after it, each in a short transaction of its own.
Retries back off exponentially (`WEBHOOK_RETRY_BASE_SECONDS` × 2^(attempt-1), capped, plus up to
10 % jitter so a receiver back from an outage is not hit by every retry in the same second).
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from config.settings import Settings
from services.db import table_of, utcnow
from services.llm.egress import AllowList
from services.models import AuditEntry
from services.models.notifications import NotificationAttempt, NotificationDelivery, Webhook
from services.notifications import outbox
from services.notifications.attempts import AttemptResult
from services.notifications.events import WEBHOOK_TEST
from services.notifications.hooks import reveal_secret
from services.notifications.mailer import compose, send_email, smtp_config
from services.notifications.webhook_sender import send_webhook

log = logging.getLogger(__name__)

_deliveries = table_of(NotificationDelivery)
_attempts = table_of(NotificationAttempt)
_hooks = table_of(Webhook)
_audit = table_of(AuditEntry)
_jitter = random.SystemRandom()
# How long a claimed delivery is ours: the attempt's own timeout and a margin for the bookkeeping.
LEASE_MARGIN_SECONDS = 30.0


def backoff_seconds(attempts: int, settings: Settings) -> float:
    """The wait before the next try after `attempts` failed ones."""
    delay = min(settings.webhook_retry_base_seconds * (2 ** max(0, attempts - 1)), settings.webhook_retry_max_seconds)
    return delay * _jitter.uniform(1.0, 1.1)


class Deliverer:
    """Makes one attempt at a delivery and records its outcome."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.allow = AllowList.parse(settings.llm_allowed_hosts_in_force)

    def attempt(self, delivery_id: int) -> str:
        """Try the delivery if it is due. Returns delivered, retrying, failed, skipped or not_due."""
        lease = timedelta(seconds=max(self.settings.webhook_timeout_seconds, self.settings.smtp_timeout_seconds)
                          + LEASE_MARGIN_SECONDS)  # fmt: skip
        with self.engine.begin() as conn:
            row = outbox.claim(conn, delivery_id, lease=lease)
            hook = self._hook(conn, row.webhook_id) if row is not None and row.webhook_id is not None else None
        if row is None:
            return "not_due"
        started = utcnow()
        skip, result = self._send(row, hook)
        with self.engine.begin() as conn:
            if skip is not None:
                return self._skip(conn, row.id, skip)
            return self._record(conn, row, hook, result, started)

    def _hook(self, conn: Connection, hook_id: int) -> Any:
        return conn.execute(select(_hooks).where(_hooks.c.id == hook_id)).first()

    def _send(self, row: Any, hook: Any) -> tuple[str | None, AttemptResult]:
        """(why it is skipped, None) or (None, what the attempt came to)."""
        nothing = AttemptResult(False, 0)
        if row.channel == "email":
            config = smtp_config(self.settings)
            if config is None:
                return "Email is off (no SMTP_URL).", nothing
            return None, send_email(config, compose(row.payload, row.recipient, config.sender), row.recipient)
        if hook is None:
            return "The webhook was deleted.", nothing
        if not hook.enabled and row.event != WEBHOOK_TEST:
            return "The webhook is disabled.", nothing
        secret = reveal_secret(hook.secret_encrypted, self.settings.secret_key or "")
        if secret is None:
            return None, AttemptResult(False, 0, error="The signing secret cannot be read (SECRET_KEY changed).")
        result = send_webhook(hook.url, row.payload, secret=secret, delivery_id=row.id, allow=self.allow,
                              timeout=self.settings.webhook_timeout_seconds)  # fmt: skip
        return None, result

    def _skip(self, conn: Connection, delivery_id: int, reason: str) -> str:
        conn.execute(
            update(_deliveries).where(_deliveries.c.id == delivery_id)
            .values(status="skipped", last_error=reason, claimed_until=None, updated_at=utcnow())
        )  # fmt: skip
        return "skipped"

    def _record(self, conn: Connection, row: Any, hook: Any, result: AttemptResult, started: Any) -> str:
        now = utcnow()
        conn.execute(insert(_attempts).values(
            delivery_id=row.id, attempt=row.attempts, ok=result.ok, status_code=result.status_code,
            error=result.error, response_ms=result.response_ms, started_at=started, finished_at=now,
        ))  # fmt: skip
        values: dict[str, Any] = {
            "last_status_code": result.status_code,
            "last_error": result.error,
            "last_response_ms": result.response_ms,
            "claimed_until": None,
            "updated_at": now,
        }
        if result.ok:
            outcome = "delivered"
            values.update(status="delivered", delivered_at=now)
        elif row.attempts >= self.settings.webhook_max_attempts:
            outcome = "failed"
            values.update(status="failed")
        else:
            outcome = "retrying"
            delay = backoff_seconds(row.attempts, self.settings)
            values.update(status="pending", next_attempt_at=now + timedelta(seconds=delay))
        conn.execute(update(_deliveries).where(_deliveries.c.id == row.id, _deliveries.c.status == "sending")
                     .values(**values))  # fmt: skip
        if hook is not None:
            self._count(conn, hook, result.ok)
        log.info(
            "notification attempt",
            extra={"delivery_id": row.id, "channel": row.channel, "event": row.event, "attempt": row.attempts,
                   "outcome": outcome, "status_code": result.status_code, "response_ms": result.response_ms},
        )  # fmt: skip
        return outcome

    def _count(self, conn: Connection, hook: Any, ok: bool) -> None:
        """A success resets the hook's failure count; too many failures in a row disable it."""
        if ok:
            conn.execute(update(_hooks).where(_hooks.c.id == hook.id).values(consecutive_failures=0))
            return
        conn.execute(update(_hooks).where(_hooks.c.id == hook.id)
                     .values(consecutive_failures=_hooks.c.consecutive_failures + 1))  # fmt: skip
        failures = conn.execute(select(_hooks.c.consecutive_failures).where(_hooks.c.id == hook.id)).scalar() or 0
        limit = self.settings.webhook_disable_after_failures
        if failures < limit:
            return
        now = utcnow()
        reason = f"Disabled after {failures} failed attempts in a row."
        disabled = conn.execute(
            update(_hooks).where(_hooks.c.id == hook.id, _hooks.c.enabled)
            .values(enabled=False, disabled_reason=reason, disabled_at=now, updated_at=now)
        ).rowcount  # fmt: skip
        if disabled != 1:
            return
        outbox.skip_pending(conn, [hook.id], "The webhook was disabled after repeated failures.")
        conn.execute(insert(_audit).values(
            org_id=hook.org_id, actor_id=None, actor_email="system", action="webhook.disabled",
            target_type="webhook", target_id=str(hook.id), before={"enabled": True},
            after={"enabled": False, "reason": reason}, request_id=None, created_at=now,
        ))  # fmt: skip
        log.warning("webhook disabled after repeated failures", extra={"webhook_id": hook.id, "failures": failures})
