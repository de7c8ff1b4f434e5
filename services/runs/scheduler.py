"""The per-process run scheduler: claims queued runs into a fixed number of slots, FIFO.

The queue is the `runs` table itself (status `queued`, ordered by `queued_at`), so every process
sees the same queue and a run is claimed by exactly one of them (compare-and-set UPDATE in
`services/runs/lease.py`, shared with the workers). The scheduler also keeps a heartbeat on the
runs it executes and takes back `running` runs whose holder is gone (`lease.take_back_orphans`: a
previous incarnation on this host at once, any other holder once its heartbeat is stale).
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

from sqlalchemy import Engine

from services import metrics
from services.runs import lease

log = logging.getLogger(__name__)

Spawn = Callable[..., Any]
"""Starts `fn(*args)` in the background: `socketio.start_background_task` in the app."""
ContextFactory = Callable[[], AbstractContextManager[Any]]
"""A fresh application context for a background task: `app.app_context`."""


def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid").removeprefix("pid:").strip("[]")
    except OSError:
        return "-"


def process_owner() -> str:
    """Who executes runs here: host, PID namespace and pid (to tell a dead owner), plus a nonce."""
    return f"{socket.gethostname()[:50]}|{_pid_namespace()}|{os.getpid()}|{secrets.token_hex(4)}"


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
        maintenance_seconds: float = 60.0,
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
        # Periodic housekeeping in an app context (e.g. releasing AI-spend holds of dead processes,
        # applying overdue approval deadlines: every minute, so a deadline is met within one).
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
            oldest = lease.waiting_runs(self.engine, limit=1, queued_only=True)
            if not oldest:
                return done
            run_id = oldest[0]
            self._active.add(run_id)  # busy before the claim lands: `_recover` releases idle ones
            try:
                if lease.claim(self.engine, run_id, self.owner):
                    self.execute(run_id)
                    done.append(run_id)
            finally:
                self._active.discard(run_id)

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
                except Exception as exc:  # a database blip must not end the scheduler
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
        """Claim the oldest waiting runs (queued, or released by a holder that is gone) into free slots."""
        while self._free_slots() > 0 and not self._stopping:
            candidates = lease.waiting_runs(self.engine, limit=self._free_slots())
            if not candidates:
                return
            for run_id in candidates:
                if self._free_slots() <= 0:
                    return
                if lease.claim(self.engine, run_id, self.owner):
                    self._launch(run_id)

    def _recover(self) -> None:
        """Release the runs whose holder is gone, and those this process left; `_fill` takes them."""
        orphans = lease.take_back_orphans(
            self.engine, here=self.owner, stale_after=timedelta(seconds=self.stale_after_seconds),
            busy=self._active,
        )  # fmt: skip
        for orphan in orphans:
            log.warning(
                "recovering a run whose owner died",
                extra={"run_id": orphan.run_id, "previous_owner": orphan.previous_owner},
            )
            looping = orphan.recoveries > self.max_recoveries and self.on_crash_loop is not None
            if looping and lease.claim(self.engine, orphan.run_id, self.owner):
                self.on_crash_loop(orphan.run_id)  # type: ignore[misc]

    def _beat(self) -> None:
        lease.renew(self.engine, self._active, self.owner)

    def _launch(self, run_id: str) -> None:
        self._active.add(run_id)
        metrics.RUNS_ACTIVE.set(len(self._active))
        self.spawn(self._execute, run_id)

    def _execute(self, run_id: str) -> None:
        try:
            with self.context():
                self.execute(run_id)
        except Exception:  # the executor records failures; this is the last guard
            log.exception("run execution crashed", extra={"run_id": run_id})
        finally:
            self._active.discard(run_id)
            metrics.RUNS_ACTIVE.set(len(self._active))
            self._wake.set()
