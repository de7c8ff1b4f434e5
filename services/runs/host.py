"""Executing runs in a worker process: claim, keep the lease, execute, release at shutdown.

`RunHost` is what a worker (`services/worker.py`) does around its jobs: one job executes one run
(claimed with `lease.claim`), and one watch greenlet renews the lease of the run in progress and
looks for work nobody will do: runs whose holder died are released and enqueued again (the next
worker resumes them from their checkpoint), and runs that wait without a job in the queue (Redis
flushed, a job lost between dequeue and claim) are enqueued.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING

import redis
from flask import Flask
from sqlalchemy import Engine

from services.loops import StoppableLoop
from services.runs import lease
from services.runs.drain import Drain, ShutdownRequested
from services.runs.queue import RunQueue

if TYPE_CHECKING:
    from services.runs.service import RunService

log = logging.getLogger(__name__)

STOP_WAIT_SECONDS = 5.0


class RunHost:
    """Executes runs in this process: claim, keep the lease, execute, release at shutdown."""

    def __init__(
        self,
        app: Flask,
        service: RunService,
        queue: RunQueue,
        *,
        heartbeat_seconds: float = 5.0,
        stale_after_seconds: float = 30.0,
        poll_seconds: float = 2.0,
        max_recoveries: int = 3,
        maintenance_seconds: float = 60.0,
    ) -> None:
        self.app = app
        self.service = service
        self.queue = queue
        # Several heartbeats per stale period, or a live worker could lose its run to another.
        self.heartbeat_seconds = min(heartbeat_seconds, stale_after_seconds / 3)
        self.stale_after = timedelta(seconds=stale_after_seconds)
        self.poll_seconds = poll_seconds
        self.max_recoveries = max_recoveries
        self.maintenance_seconds = maintenance_seconds
        self.held: set[str] = set()
        self._watch = StoppableLoop(self.tick, every=lambda: min(self.poll_seconds, self.heartbeat_seconds),
                                    on_error=self._watch_failed)  # fmt: skip
        self._last_beat = self._last_look = self._last_maintenance = -1e9

    @property
    def drain(self) -> Drain:
        return self.service.wiring.drain

    @property
    def owner(self) -> str:
        return self.service.owner

    @property
    def engine(self) -> Engine:
        return self.service.engine

    # --- one job -------------------------------------------------------------------------------

    def perform(self, run_id: str, job_id: str | None = None) -> str:
        try:
            self.queue.taken(run_id, job_id)
        except redis.RedisError as exc:  # the marker only dedupes enqueues; the claim below decides
            log.warning("could not clear the run's queue marker", extra={"run_id": run_id, "error": str(exc)})
        if self.drain.active:
            self.queue.notify(run_id, reason="deferred", replace_marker=True)  # leave it to another worker
            return "deferred"
        # Busy before the claim lands: the watch greenlet releases runs held here but not busy.
        self.held.add(run_id)
        if not lease.claim(self.engine, run_id, self.owner):
            self.held.discard(run_id)
            log.info("run not claimable (another worker has it, or it ended)", extra={"run_id": run_id})
            return "skipped"
        try:
            with self.app.app_context():
                self.service.executor.execute(run_id)
            return "executed"
        except ShutdownRequested:
            self.hand_on(run_id)
            return "released"
        finally:
            self.held.discard(run_id)

    def hand_on(self, run_id: str) -> bool:
        """Release a run this worker holds and enqueue it for the next worker."""
        if not lease.release(self.engine, run_id, self.owner):
            return False
        log.info("run released for another worker", extra={"run_id": run_id})
        self.queue.notify(run_id, reason="released", replace_marker=True)
        return True

    def hand_on_all(self) -> list[str]:
        return [run_id for run_id in sorted(self.held) if self.hand_on(run_id)]

    # --- the watch greenlet --------------------------------------------------------------------

    def start(self) -> None:
        self._watch.start()

    def stop(self) -> None:
        """End the watch once its pass in flight is done (services/loops.py: why not a bare kill)."""
        self._watch.stop(STOP_WAIT_SECONDS)

    def _watch_failed(self, exc: Exception) -> None:
        """A database or Redis blip must not end the watch: logged, and the next pass tries again."""
        if isinstance(exc, redis.RedisError | OSError):
            log.warning("worker watch pass failed; retrying", extra={"error": str(exc)})
        else:
            log.error("worker watch pass failed; retrying", exc_info=exc)

    def tick(self) -> None:
        """Renew the lease when due; every poll, recover orphaned runs and runs without a job."""
        now = time.monotonic()
        if self.held and now - self._last_beat >= self.heartbeat_seconds:
            lease.renew(self.engine, self.held, self.owner)
            self._last_beat = now
        if self.drain.active or now - self._last_look < self.poll_seconds:
            return
        self._last_look = now
        orphans = lease.take_back_orphans(
            self.engine, here=self.owner, stale_after=self.stale_after, busy=self.held
        )
        for orphan in orphans:
            log.warning(
                "recovering a run whose worker is gone",
                extra={
                    "run_id": orphan.run_id,
                    "previous_owner": orphan.previous_owner,
                    "recoveries": orphan.recoveries,
                },
            )
            if orphan.recoveries > self.max_recoveries:
                self._fail_crash_loop(orphan.run_id)
            else:
                self.queue.notify(orphan.run_id, reason="recovered", replace_marker=True)
        waiting = lease.waiting_runs(self.engine, settled_for=timedelta(seconds=2 * self.poll_seconds))
        for run_id in self.queue.unqueued(waiting):
            log.info("run waits without a job in the queue; enqueueing it", extra={"run_id": run_id})
            self.queue.notify(run_id, reason="sweep", replace_marker=True)
        if now - self._last_maintenance >= self.maintenance_seconds:
            self._last_maintenance = now
            with self.app.app_context():
                self.service.wiring.maintenance(self.service.publish)

    def _fail_crash_loop(self, run_id: str) -> None:
        if lease.claim(self.engine, run_id, self.owner):
            with self.app.app_context():
                self.service.executor.fail(
                    run_id, "crash_loop", "the run stopped its worker repeatedly and was not restarted"
                )
