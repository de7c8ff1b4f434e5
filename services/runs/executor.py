"""Executing one claimed run: build its Workflow, start or resume it, record how it ended.

A run is started when its thread has no checkpoint yet and resumed otherwise (with the value an
approval or an admin left in `runs.resume_value`, or None after a crash), so the same code path
serves new runs, approvals, raised caps and recovery after a dead process.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from agents.checkpoint import open_checkpointer
from agents.ports import EventSink
from agents.workflow import Announcement, Outcome, Workflow
from services import metrics
from services.db import db, table_of, utcnow
from services.events import Publish, RunEventSink
from services.llm.config import LLMConfigError
from services.models import Run, RunStatus
from services.runs import lease
from services.runs.deadlines import announced, deadline_for, pause_values
from services.runs.wiring import RunPorts
from services.storage_errors import reason, storage_unavailable
from services.storage_patience import DEFAULT_PATIENCE_SECONDS, patiently, storage_retrying

log = logging.getLogger(__name__)

_runs = table_of(Run)
# The endings hooks (and, for some, people) are told about: services/notifications/events.py.
NOTIFIED = ("paused", "failed", "completed", "cancelled")

PortsFor = Callable[[Run, EventSink], RunPorts]
"""The ports one execution of a run uses (`RunWiring.ports`)."""


class CancelFlag:
    """`is_cancelled` for the Workflow: this process's requests at once, else the database's flag.

    The Workflow asks at node starts and before LLM calls only, so reading the flag each time costs
    a few small queries per run; `every_seconds` can space them out.
    """

    def __init__(self, engine: Engine, run_id: str, local: set[str], every_seconds: float = 0.0) -> None:
        self.engine = engine
        self.run_id = run_id
        self.local = local
        self.every_seconds = every_seconds
        self._checked_at = 0.0
        self._cancelled = False

    def __call__(self) -> bool:
        if self._cancelled or self.run_id in self.local:
            return True
        now = time.monotonic()
        if now - self._checked_at >= self.every_seconds:
            self._checked_at = now
            self._cancelled = patiently("read the cancel flag", self._read)
        return self._cancelled

    def _read(self) -> bool:
        with self.engine.connect() as conn:
            query = select(_runs.c.cancel_requested).where(_runs.c.id == self.run_id)
            return bool(conn.execute(query).scalar())


class RunExecutor:
    """Executes runs claimed by this process's scheduler."""

    def __init__(
        self,
        engine: Engine,
        *,
        owner: str,
        checkpoint_url: str,
        publish: Publish | None,
        ports: PortsFor,
        cancelled: set[str],
        storage_patience: float = DEFAULT_PATIENCE_SECONDS,
        notify: Callable[[str], object] | None = None,
    ) -> None:
        self.engine = engine
        # Called with the run id once a pause, failure or completion committed (webhooks, email).
        self.notify = notify
        self.storage_patience = storage_patience
        self.owner = owner
        self.checkpoint_url = checkpoint_url
        self.publish = publish
        self.ports = ports
        self.cancelled = cancelled
        self._saver: Any = None
        self._saver_stack = ExitStack()
        self._saver_lock = threading.Lock()

    def checkpointer(self) -> Any:
        """One checkpointer per process, opened on first use and shared by every run."""
        with self._saver_lock:
            if self._saver is None:
                self._saver = self._saver_stack.enter_context(open_checkpointer(self.checkpoint_url))
            return self._saver

    def close(self) -> None:
        with self._saver_lock:
            self._saver_stack.close()
            self._saver = None

    def sink(self, run_id: str) -> RunEventSink:
        return RunEventSink(self.engine, run_id, self.publish)

    def execute(self, run_id: str) -> None:
        """Drive the run until it completes, pauses, fails or is cancelled (in an app context).

        A storage outage is waited out: the attempt is retried from the checkpoint (finished calls
        are answered from the AI ledger, not asked again). If storage stays away longer than the
        patience, the run is left `running` for the scheduler's recovery, never failed for it.
        """
        sink = self.sink(run_id)
        try:
            retrying = storage_retrying("execute run", patience=self.storage_patience)
            outcome = retrying(self._attempt, run_id, sink)
        except LLMConfigError as exc:  # settings changed since the run was queued: say what is wrong
            db.session.rollback()
            outcome = _failed("provider_not_configured", f"The AI provider is not set up correctly: {exc}"[:500])
        except Exception as exc:  # any failure ends the run visibly, never silently
            db.session.rollback()
            if storage_unavailable(exc):
                self._leave_for_recovery(run_id, exc)
                return
            log.exception("run could not execute", extra={"run_id": run_id})
            outcome = _failed("internal_error", f"{type(exc).__name__}: {exc}"[:500])
        if outcome is None:
            return
        try:
            patiently(
                "record outcome", lambda: self.record(run_id, outcome, sink), patience=self.storage_patience
            )
        except Exception as exc:  # storage stayed away: recovery records it later
            if not storage_unavailable(exc):
                raise
            self._leave_for_recovery(run_id, exc)

    def _attempt(self, run_id: str, sink: RunEventSink) -> Outcome | None:
        """One try at driving the run; None when it is not ours to execute (any more)."""
        db.session.rollback()  # a previous attempt may have left the session mid-transaction
        run = db.session.get(Run, run_id)
        if run is None or run.status != RunStatus.running or run.owner != self.owner:
            db.session.rollback()
            return None
        # Detached with every column loaded: the ports may keep it for the whole run, while
        # this session is shared by the workflow's node threads and must stay idle.
        db.session.expunge(run)
        db.session.commit()
        # Before the ports open a transaction: PostgreSQL's first checkpointer set-up builds an
        # index CONCURRENTLY, which waits for every open transaction — ours included.
        saver = self.checkpointer()
        ports = self.ports(run, sink)
        workflow = Workflow(
            ports.llm,
            sink,
            ports.ledger,
            saver,
            policy=run.policy,  # the quote policy (older runs: approve/trim, read as aliases)
            share_caps=ports.share_caps,
            pricing=ports.pricing,
            is_cancelled=CancelFlag(self.engine, run_id, self.cancelled),
            transient=storage_unavailable,
            announce_end=False,  # `record` sends the terminal event with the status
        )
        brief, resume_value = run.brief, run.resume_value
        # No transaction stays open while the workflow runs (minutes, and it writes the run row).
        db.session.commit()
        if resume_value is None and not self._has_checkpoint(run_id):
            return workflow.start(run_id, brief)
        return workflow.resume(run_id, resume_value)

    def _leave_for_recovery(self, run_id: str, exc: BaseException) -> None:
        """Storage stayed away: hand the run on (or, without storage, leave it to recovery)."""
        log.error(
            "storage unavailable; the run is left for recovery",
            extra={"run_id": run_id, "reason": reason(exc)},
        )
        self.cancelled.discard(run_id)
        try:
            lease.release(self.engine, run_id, self.owner)
        except Exception as again:  # noqa: BLE001 - the scheduler recovers runs it owns but left
            log.warning("could not release the run", extra={"run_id": run_id, "reason": reason(again)})

    def _has_checkpoint(self, run_id: str) -> bool:
        saver = self.checkpointer()
        return saver.get_tuple({"configurable": {"thread_id": run_id, "checkpoint_ns": ""}}) is not None

    def record(self, run_id: str, outcome: Outcome, sink: RunEventSink) -> None:
        """Store how the run ended and, in the same transaction, the event that says so.

        Status first: whoever acts on `run.completed` or `run.paused` finds the run in that
        state. A pause with a pending cancel ends it cancelled.
        """
        now = utcnow()
        with self.engine.connect() as conn:
            row = conn.execute(
                select(_runs.c.cancel_requested, _runs.c.started_at).where(_runs.c.id == run_id)
            ).first()
            paused = outcome.status == "paused"
            deadline = deadline_for(conn, run_id, outcome.reason, now) if paused else None
        status = outcome.status
        announcement = announced(outcome.announcement, deadline)
        if status == "paused" and row is not None and row.cancel_requested:
            announcement = Announcement(type="run.cancelled", data={"while": "paused"}, key="run.cancelled")
            status = "cancelled"
        values: dict[str, Any] = {
            "status": RunStatus(status),
            "owner": None,
            "resume_value": None,
            "updated_at": now,
            **pause_values(deadline if status == "paused" else None),
        }
        if status == "paused":
            values.update(pause_reason=outcome.reason, pause_payload=outcome.payload, heartbeat_at=None)
        else:
            values.update(finished_at=now, pause_reason=None, pause_payload=None)
        if status == "completed":
            values["report_markdown"] = outcome.report_markdown
            values["report"] = outcome.report
        if status == "failed":
            values["error"] = outcome.error
        updated = False

        def set_status(conn: Connection) -> bool:
            nonlocal updated
            updated = conn.execute(
                update(_runs)
                .where(_runs.c.id == run_id, _runs.c.owner == self.owner, _runs.c.status == RunStatus.running)
                .values(**values)
            ).rowcount == 1
            return updated

        if announcement is not None:
            sink.emit(announcement.type, announcement.data, key=announcement.key, together=set_status)
        else:
            with self.engine.begin() as conn:
                set_status(conn)
        self.cancelled.discard(run_id)
        if not updated:
            log.warning("run changed hands before it ended here", extra={"run_id": run_id, "outcome": status})
            return
        if status != "paused" and row is not None and row.started_at is not None:
            metrics.RUN_DURATION.labels(status=status).observe((now - row.started_at).total_seconds())
        log.info("run ended", extra={"run_id": run_id, "status": status, "reason": outcome.reason})
        if self.notify is not None and status in NOTIFIED:
            try:
                self.notify(run_id)
            except Exception:  # a notification problem never fails the run (it was recorded already)
                log.exception("notifying the run's end failed", extra={"run_id": run_id})

    def fail(self, run_id: str, code: str, message: str) -> None:
        """End a run we own as failed without executing it (e.g. it keeps crashing its process)."""
        self.record(run_id, _failed(code, message), self.sink(run_id))


def _failed(code: str, message: str) -> Outcome:
    error = {"code": code, "message": message}
    announcement = Announcement(type="run.failed", data={"error": error}, key="run.failed")
    return Outcome(status="failed", reason=code, error=error, announcement=announcement)
