"""The per-process run scheduler: claims queued runs into a fixed number of slots, FIFO.

The queue is the `runs` table itself (status `queued`, ordered by `queued_at`), so every process
sees the same queue and a run is claimed by exactly one of them (compare-and-set UPDATE). The
scheduler also keeps a heartbeat on the runs it executes and recovers `running` runs whose owner
died: a previous incarnation on this host (same PID namespace, process gone) at once, any other
owner once its heartbeat is stale.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, func, select, update

from services import metrics
from services.db import utcnow
from services.models import Run, RunStatus
from services.runs import lease

log = logging.getLogger(__name__)

Spawn = Callable[..., Any]
"""Starts `fn(*args)` in the background: `socketio.start_background_task` in the app."""
ContextFactory = Callable[[], AbstractContextManager[Any]]
"""A fresh application context for a background task: `app.app_context`."""

_runs = Run.__table__


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid").removeprefix("pid:").strip("[]")
    except OSError:
        return "-"


def process_owner() -> str:
    """Who executes runs here: host, PID namespace and pid (to tell a dead owner), plus a nonce."""
    return f"{socket.gethostname()[:50]}|{_pid_namespace()}|{os.getpid()}|{secrets.token_hex(4)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Scheduler:
    """Runs up to `max_concurrent` runs at once in background tasks; the rest wait in the queue."""

    def __init__(
        self,
        engine: Engine,
        execute: Callable[[str], None],
        *,
        spawn: Spawn,
        context: ContextFactory,
        max_concurrent: int,
        owner: str | None = None,
        poll_seconds: float = 1.0,
        heartbeat_seconds: float = 5.0,
        stale_after_seconds: float = 30.0,
        max_recoveries: int = 3,
        on_crash_loop: Callable[[str], None] | None = None,
        maintenance: Callable[[], object] | None = None,
        maintenance_seconds: float = 300.0,
    ) -> None:
        self.engine = engine
        self.execute = execute
        self.spawn = spawn
        self.context = context
        self.max_concurrent = max_concurrent
        self.owner = owner or process_owner()
        self.poll_seconds = poll_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.stale_after_seconds = stale_after_seconds
        self.max_recoveries = max_recoveries
        self.on_crash_loop = on_crash_loop
        # Periodic housekeeping in an app context (e.g. releasing AI-spend holds of dead processes).
        self.maintenance = maintenance
        self.maintenance_seconds = maintenance_seconds
        self._last_maintenance = time.monotonic()
        self._active: set[str] = set()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._stopping = False
        self._started = False
        self._lock = threading.Lock()
        self._last_error_log = -1e9
        self._last_beat = -1e9
        self._host, self._pidns, self._pid = self.owner.split("|")[:3]

    # --- control -------------------------------------------------------------------------------

    def start(self) -> bool:
        """Start the loop once; later calls do nothing. Returns whether this call started it."""
        with self._lock:
            if self._started:
                return False
            self._started = True
        self.spawn(self._loop)
        log.info("run scheduler started", extra={"owner": self.owner, "slots": self.max_concurrent})
        return True

    @property
    def started(self) -> bool:
        return self._started and not self._stopping

    def wake(self) -> None:
        """Look at the queue now (a run was queued or a slot freed)."""
        self._wake.set()

    def active(self) -> set[str]:
        return set(self._active)

    def stop(self, grace_seconds: float = 0.0, sleep: Callable[[float], None] = time.sleep) -> set[str]:
        """Stop claiming runs; wait up to `grace_seconds` for active ones. Returns those still active."""
        self._stopping = True
        self._wake.set()
        deadline = time.monotonic() + grace_seconds
        while self._active and time.monotonic() < deadline:
            sleep(0.05)
        return set(self._active)

    def drain(self) -> list[str]:
        """Execute every queued run now, one after another, in the caller (tests, one-shot jobs)."""
        done: list[str] = []
        while True:
            with self.engine.connect() as conn:
                run_id = conn.execute(
                    select(_runs.c.id)
                    .where(_runs.c.status == RunStatus.queued)
                    .order_by(_runs.c.queued_at, _runs.c.created_at, _runs.c.id)
                    .limit(1)
                ).scalar()
            if run_id is None:
                return done
            if self._claim_queued(run_id):
                self._active.add(run_id)
                try:
                    self.execute(run_id)
                finally:
                    self._active.discard(run_id)
                done.append(run_id)

    # --- the loop ------------------------------------------------------------------------------

    def tick(self) -> None:
        """One scheduling pass: heartbeat when due, recover orphaned runs, fill free slots."""
        if time.monotonic() - self._last_beat >= self.heartbeat_seconds:
            self._beat()
            self._last_beat = time.monotonic()
        self._recover()
        self._fill()
        due = time.monotonic() - self._last_maintenance >= self.maintenance_seconds
        if self.maintenance is not None and due:
            self._last_maintenance = time.monotonic()
            with self.context():
                self.maintenance()

    def _loop(self) -> None:
        try:
            while not self._stopping:
                try:
                    self.tick()
                except Exception as exc:  # noqa: BLE001 - a database blip must not end the scheduler
                    if time.monotonic() - self._last_error_log > 60:
                        self._last_error_log = time.monotonic()
                        log.exception("run scheduler pass failed (repeats are logged once a minute)")
                    else:
                        log.debug("run scheduler pass failed again", extra={"error": str(exc)})
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
        finally:
            self._stopped.set()

    def _free_slots(self) -> int:
        return self.max_concurrent - len(self._active)

    def _fill(self) -> None:
        """Claim the oldest queued runs into the free slots."""
        while self._free_slots() > 0 and not self._stopping:
            with self.engine.connect() as conn:
                candidates = conn.execute(
                    select(_runs.c.id)
                    .where(_runs.c.status == RunStatus.queued)
                    .order_by(_runs.c.queued_at, _runs.c.created_at, _runs.c.id)
                    .limit(self._free_slots())
                ).scalars().all()
            if not candidates:
                return
            for run_id in candidates:
                if self._free_slots() <= 0:
                    return
                if self._claim_queued(run_id):
                    self._launch(run_id)

    def _claim_queued(self, run_id: str) -> bool:
        now = utcnow()
        with self.engine.begin() as conn:
            claimed = conn.execute(
                update(_runs)
                .where(_runs.c.id == run_id, _runs.c.status == RunStatus.queued)
                .values(
                    status=RunStatus.running,
                    owner=self.owner,
                    heartbeat_at=now,
                    started_at=func.coalesce(_runs.c.started_at, now),
                    updated_at=now,
                )
            ).rowcount
        return claimed == 1

    def _recover(self) -> None:
        """Take over running runs whose owner is dead."""
        if self._free_slots() <= 0:
            return
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(_runs.c.id, _runs.c.owner, _runs.c.heartbeat_at, _runs.c.recoveries)
                .where(_runs.c.status == RunStatus.running)
                .order_by(_runs.c.queued_at, _runs.c.created_at)
            ).all()
        for row in rows:
            if self._free_slots() <= 0 or self._stopping:
                return
            # Ours but not executing: its execution ended without recording how (storage was gone).
            left_here = row.owner == self.owner and row.id not in self._active
            if not left_here and (row.owner == self.owner or not self._owner_dead(row.owner, row.heartbeat_at)):
                continue
            # No owner: released at a graceful shutdown (services/shutdown.py) or after an outage;
            # neither is a crash, nor is a run this live process left behind.
            crashed = 0 if row.owner is None or left_here else 1
            with self.engine.begin() as conn:
                owner_match = _runs.c.owner.is_(None) if row.owner is None else _runs.c.owner == row.owner
                count = conn.execute(
                    update(_runs)
                    .where(_runs.c.id == row.id, _runs.c.status == RunStatus.running, owner_match)
                    .values(owner=self.owner, heartbeat_at=utcnow(), **(lease.recovered() if crashed else {}))
                    .returning(_runs.c.recoveries)
                ).scalar()
            if count is None:
                continue
            log.warning(
                "recovering a run whose owner died", extra={"run_id": row.id, "previous_owner": row.owner}
            )
            if count > self.max_recoveries and self.on_crash_loop is not None:
                self.on_crash_loop(row.id)
                continue
            self._launch(row.id)

    def _owner_dead(self, owner: str | None, heartbeat_at: Any) -> bool:
        if heartbeat_at is None or utcnow() - heartbeat_at > timedelta(seconds=self.stale_after_seconds):
            return True
        parts = (owner or "").split("|")
        if len(parts) != 4:
            return False
        host, pidns, pid, _nonce = parts
        if host != self._host or pidns != self._pidns or pidns == "-" or not pid.isdigit():
            return False
        # Same host and PID namespace: the pid tells. Our own pid with another nonce was a
        # previous incarnation (a container restart reuses pids).
        return pid == self._pid or not _pid_alive(int(pid))

    def _beat(self) -> None:
        active = list(self._active)
        if not active:
            return
        with self.engine.begin() as conn:
            conn.execute(
                update(_runs)
                .where(_runs.c.id.in_(active), _runs.c.owner == self.owner)
                .values(heartbeat_at=utcnow())
            )

    def _launch(self, run_id: str) -> None:
        self._active.add(run_id)
        metrics.RUNS_ACTIVE.set(len(self._active))
        self.spawn(self._execute, run_id)

    def _execute(self, run_id: str) -> None:
        try:
            with self.context():
                self.execute(run_id)
        except Exception:  # noqa: BLE001 - the executor records failures; this is the last guard
            log.exception("run execution crashed", extra={"run_id": run_id})
        finally:
            self._active.discard(run_id)
            metrics.RUNS_ACTIVE.set(len(self._active))
            self._wake.set()
