"""The entry point: the run executor says a run ended (paused, failed, completed), the notifier tells people.

`run_ended` runs after the run's status committed and never raises: it reads the run, writes one
outbox row per subscribed hook and per person to email (one short transaction), and wakes the
consumer. Sending happens later, elsewhere (services/notifications/consumer.py), so a slow or
broken receiver never slows or fails a run.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, select

from config.settings import Settings
from services.db import table_of
from services.models import Run
from services.notifications import outbox
from services.notifications.consumer import NotificationConsumer
from services.notifications.events import SUBSCRIBABLE, RunFacts
from services.notifications.queue import NotificationQueue

log = logging.getLogger(__name__)

_runs = table_of(Run)


class Notifier:
    """Writes deliveries for run events and hands them to this process's consumer."""

    def __init__(self, engine: Engine, settings: Settings, queue: NotificationQueue | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.consumer = NotificationConsumer(engine, settings, queue)

    @classmethod
    def from_settings(cls, settings: Settings, engine: Engine) -> Notifier:
        """With REDIS_URL, deliveries go through the job queue; without, the in-process consumer."""
        queue = NotificationQueue.from_url(settings.redis_url) if settings.redis_url else None
        return cls(engine, settings, queue)

    @property
    def email_enabled(self) -> bool:
        return bool(self.settings.smtp_url)

    def start(self) -> bool:
        """Start this process's consumer (idempotent)."""
        return self.consumer.start()

    def stop(self) -> bool:
        """Stop this process's consumer; True once it is gone (see NotificationConsumer.stop)."""
        return self.consumer.stop()

    def run_ended(self, run_id: str, *, by: str | None = None) -> list[int]:
        """Tell the people who can act about how the run ended; never raises. Returns the deliveries.

        `by` is DEADLINE (services/notifications/events.py) when a decision deadline ended it."""
        try:
            with self.engine.begin() as conn:
                facts = self._facts(conn, run_id, by)
                if facts is None or facts.event not in SUBSCRIBABLE:
                    return []
                ids = outbox.add_run_deliveries(conn, facts, base_url=self.settings.base_url,
                                                email=self.email_enabled)  # fmt: skip
        except Exception:  # a notification problem never fails the run; it is logged, not hidden
            log.exception("could not write the run's notifications", extra={"run_id": run_id})
            return []
        self.wake(ids)
        return ids

    def wake(self, delivery_ids: list[int]) -> None:
        """Hand freshly committed deliveries to the consumer; never raises (the sweep catches up)."""
        try:
            self.consumer.wake(delivery_ids)
        except Exception as exc:  # noqa: BLE001 - the sweep sends what is due anyway
            log.warning("could not wake the notification consumer", extra={"error": type(exc).__name__})

    def _facts(self, conn: Connection, run_id: str, by: str | None) -> RunFacts | None:
        row = conn.execute(
            select(_runs.c.org_id, _runs.c.status, _runs.c.company_name, _runs.c.pause_reason, _runs.c.error,
                   _runs.c.brief).where(_runs.c.id == run_id)  # fmt: skip
        ).first()
        if row is None:
            return None
        status = row.status.value if hasattr(row.status, "value") else str(row.status)
        objectives = tuple(str(item) for item in ((row.brief or {}).get("objectives") or []))
        return RunFacts(run_id=run_id, org_id=row.org_id, status=status, company_name=row.company_name or "",
                        pause_reason=row.pause_reason, error=row.error, objectives=objectives, by=by)  # fmt: skip
