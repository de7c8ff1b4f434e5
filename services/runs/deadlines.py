"""Approval deadlines: when nobody decides in time, the organisation's fallback applies, once.

An admin may give decisions a deadline (Admin → Budgets: minutes, and `trim` or `cancel`). A run
that pauses for a decision (`approval_required`, `quote`) is stamped with its own deadline when
the pause is recorded (`runs.decision_due_at`, `runs.decision_fallback`): what watchers were told
stays true when the setting changes later. Runs already waiting keep the deadline they were given
(an admin who turns deadlines off or changes them affects only pauses that start afterwards).

The fallback is applied by the maintenance loops every process already runs (the inline scheduler,
the queue workers' watch: `RunWiring.maintenance`) and by a person who tries to decide too late. A
compare-and-set on the run's status, pause reason and deadline decides who applies it; the change,
its audit entry (system actor) and the `approval.expired` event commit in one transaction, so
however many processes look at once, it is applied and told exactly once. Then watchers see the
usual story: `approval.decided` when the trimmed run resumes (the engine's own event), or
`run.cancelled`. A trimmed decision resumes the engine with `by: "deadline"` (a person's decision
cannot carry it: `RunService.decide` builds its own resume value), so the report says the deadline,
not a person, decided.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, insert, select, update

from agents.report_model import DEADLINE_NOTE
from agents.workflow import Announcement
from services.db import table_of, utcnow
from services.events import Publish, RunEventSink
from services.models import AuditEntry, Run, RunStatus
from services.models.budgets import OrgBudgetSettings, OverrunDecision
from services.runs.errors import RunConflict
from services.runs.quotes import DECISION_PAUSES, QUOTE

if TYPE_CHECKING:
    from services.runs.queue import RunQueue
    from services.runs.service import RunService

log = logging.getLogger(__name__)

DECISION_REASONS = DECISION_PAUSES
"""Pauses that wait for a person's decision (and so may have a deadline)."""
FALLBACKS = ("trim", "cancel")
WHAT_HAPPENED = {"trim": "the plan was trimmed to the budget", "cancel": "the run was cancelled"}
# A quote's plan already fits the budget and caps: trimming it to them leaves it whole, so it goes ahead.
QUOTE_TRIMMED = "the quoted plan, which fits the budget and caps, went ahead"
SYSTEM_ACTOR = "system"
SWEEP_LIMIT = 100

_runs = table_of(Run)
_settings = table_of(OrgBudgetSettings)
_audit = table_of(AuditEntry)
_decisions = table_of(OverrunDecision)


@dataclass(frozen=True)
class Deadline:
    """When a paused run's decision is due, and what happens if nobody decides by then."""

    due_at: datetime
    fallback: str

    def to_json(self) -> dict[str, str]:
        return {"due_at": self.due_at.isoformat(), "fallback": self.fallback}


# --- stamping a pause ----------------------------------------------------------------------------


def deadline_for(conn: Connection, run_id: str, reason: str | None, now: datetime) -> Deadline | None:
    """The deadline a run pausing now for `reason` gets from its organisation's setting (or none)."""
    if reason not in DECISION_REASONS:
        return None
    row = conn.execute(
        select(_settings.c.decision_deadline_minutes, _settings.c.decision_fallback)
        .select_from(_runs.join(_settings, _settings.c.org_id == _runs.c.org_id))
        .where(_runs.c.id == run_id)
    ).first()
    if row is None or not row.decision_deadline_minutes:
        return None
    fallback = row.decision_fallback if row.decision_fallback in FALLBACKS else "trim"
    return Deadline(now + timedelta(minutes=row.decision_deadline_minutes), fallback)


def pause_values(deadline: Deadline | None) -> dict[str, Any]:
    """The run's deadline columns as an outcome records them (cleared for anything but such a pause)."""
    return {
        "decision_due_at": deadline.due_at if deadline else None,
        "decision_fallback": deadline.fallback if deadline else None,
    }


def announced(announcement: Announcement | None, deadline: Deadline | None) -> Announcement | None:
    """`run.paused` with the deadline in it, so watchers can say "decide by …" at once."""
    if announcement is None or deadline is None or announcement.type != "run.paused":
        return announcement
    return announcement.model_copy(update={"data": {**announcement.data, "decision_deadline": deadline.to_json()}})


# --- applying the fallback -----------------------------------------------------------------------


def _outcome(fallback: str, reason: str | None) -> str:
    return QUOTE_TRIMMED if fallback == "trim" and reason == QUOTE else WHAT_HAPPENED[fallback]


def _trim_answer(reason: str, due_at: datetime) -> dict[str, Any]:
    """What the engine resumes with when the deadline trims: an overrun's reject (the plan cut by
    priority to the budget and caps, as the approval panel's reject does); a quote's accept."""
    note = f"{DEADLINE_NOTE} ({due_at:%Y-%m-%d %H:%M} UTC): {_outcome('trim', reason)}."
    return {"decision": "approve" if reason == QUOTE else "reject", "note": note, "cut": [], "by": "deadline"}


@dataclass(frozen=True)
class Overdue:
    """A decision found past its deadline: what to apply, and to which pause."""

    run_id: str
    org_id: int
    reason: str
    due_at: datetime
    fallback: str


@dataclass(frozen=True)
class Fallbacks:
    """Applies due fallbacks for one process: stores, tells watchers, and hands trimmed runs on."""

    engine: Engine
    publish: Publish | None = None
    queue: RunQueue | None = None
    announce: Callable[[str], None] | None = None
    wake: Callable[[], None] | None = None
    notify: Callable[[str], object] | None = None  # a run the deadline cancelled (the notifier's)

    @classmethod
    def of(cls, service: RunService) -> Fallbacks:
        wiring = service.wiring
        return cls(wiring.engine, service.publish, wiring.queue, wiring.announce, service.scheduler.wake,
                   wiring.notify_deadline_cancel)  # fmt: skip

    def expire_due(self, now: datetime | None = None) -> int:
        """Apply the fallback of every run whose decision is overdue; returns how many this call applied."""
        now = now or utcnow()
        with self.engine.connect() as conn:
            overdue = list(conn.execute(
                select(_runs.c.id)
                .where(
                    _runs.c.status == RunStatus.paused,
                    _runs.c.pause_reason.in_(DECISION_REASONS),
                    _runs.c.decision_due_at <= now,
                )
                .order_by(_runs.c.decision_due_at)
                .limit(SWEEP_LIMIT)
            ).scalars())
        return sum(1 for run_id in overdue if self.expire(run_id, now))

    def expire(self, run_id: str, now: datetime | None = None) -> bool:
        """Apply the run's fallback if its decision is overdue. False when not due, or someone else won."""
        now = now or utcnow()
        found = self.overdue(run_id, now)
        return found is not None and self.apply(found, now)

    def overdue(self, run_id: str, now: datetime) -> Overdue | None:
        """The run's overdue decision as read now (another process may apply it before we do)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    _runs.c.org_id, _runs.c.status, _runs.c.pause_reason, _runs.c.decision_due_at,
                    _runs.c.decision_fallback,
                ).where(_runs.c.id == run_id)
            ).first()  # fmt: skip
        if row is None or row.status != RunStatus.paused or row.pause_reason not in DECISION_REASONS:
            return None
        if row.decision_due_at is None or row.decision_due_at > now:
            return None
        fallback = row.decision_fallback if row.decision_fallback in FALLBACKS else "trim"
        return Overdue(run_id, row.org_id, row.pause_reason, row.decision_due_at, fallback)

    def apply(self, found: Overdue, now: datetime) -> bool:
        """Apply the fallback unless the run moved since it was read (then False: someone else won)."""
        run_id, reason, due_at, fallback = found.run_id, found.reason, found.due_at, found.fallback
        told = {"reason": reason, "due_at": due_at.isoformat(), "fallback": fallback}
        won = False

        def claim(conn: Connection) -> bool:
            nonlocal won
            won = conn.execute(
                update(_runs)
                .where(
                    _runs.c.id == run_id,
                    _runs.c.status == RunStatus.paused,
                    _runs.c.pause_reason == reason,
                    _runs.c.decision_due_at <= now,
                )
                .values(**self._fallback_values(fallback, reason, due_at, now))
            ).rowcount == 1
            if won:
                self._record(conn, run_id, found.org_id, fallback, reason, due_at, now)
            return won

        sink = RunEventSink(self.engine, run_id, self.publish)
        sink.emit("approval.expired", told, phase="approval", key=f"approval.expired:{due_at.isoformat()}",
                  together=claim)  # fmt: skip
        if not won:
            return False
        log.info("decision deadline passed; fallback applied", extra={"run_id": run_id, "fallback": fallback})
        if fallback == "cancel":
            sink.emit("run.cancelled", {"while": "paused", "by": "deadline"}, key="run.cancelled")
            if self.notify is not None:  # the deciders missed it: tell them where they are
                self.notify(run_id)
            return True
        if self.queue is not None:
            self.queue.notify(run_id, "approved")
        elif self.wake is not None:
            self.wake()
        if self.announce is not None:
            self.announce(run_id)
        return True

    @staticmethod
    def _fallback_values(fallback: str, reason: str, due_at: datetime, now: datetime) -> dict[str, Any]:
        cleared = {"pause_reason": None, "pause_payload": None, "updated_at": now}
        if fallback == "cancel":
            return {
                **cleared, "status": RunStatus.cancelled, "cancel_requested": True, "finished_at": now,
                "owner": None, "resume_value": None,
            }  # fmt: skip
        return {**cleared, "status": RunStatus.queued, "queued_at": now, "resume_value": _trim_answer(reason, due_at)}

    @staticmethod
    def _record(
        conn: Connection, run_id: str, org_id: int, fallback: str, reason: str, due_at: datetime, now: datetime
    ) -> None:
        """The audit entry (no human actor) and, for a trimmed overrun, the decision row a reject writes."""
        conn.execute(insert(_audit).values(
            org_id=org_id, actor_id=None, actor_email=SYSTEM_ACTOR, action="run.decision_expired",
            target_type="run", target_id=run_id, before={"status": "paused", "pause_reason": reason},
            after={"fallback": fallback, "due_at": due_at.isoformat(), "by": "deadline"}, created_at=now,
        ))  # fmt: skip
        if fallback == "trim" and reason == "approval_required":
            conn.execute(insert(_decisions).values(
                run_id=run_id, org_id=org_id, user_id=None, decision="reject", amount_cents=0,
                note=_trim_answer(reason, due_at)["note"], decided_at=now,
            ))  # fmt: skip


def refuse_late_decision(service: RunService, run: Run, now: datetime | None = None) -> None:
    """A decision after the deadline loses: the fallback applies now (unless a loop already did it),
    and the person gets a conflict that says what happened instead."""
    due_at = run.decision_due_at
    now = now or utcnow()
    if due_at is None or due_at > now or run.pause_reason not in DECISION_REASONS:
        return
    Fallbacks.of(service).expire(run.id, now)
    fallback = run.decision_fallback if run.decision_fallback in FALLBACKS else "trim"
    raise RunConflict(
        f"The deadline for this decision passed at {due_at:%Y-%m-%d %H:%M} UTC: {_outcome(fallback, run.pause_reason)}.",
        code="decision_deadline_passed",
    )
