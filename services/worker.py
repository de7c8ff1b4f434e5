"""The run worker behind `flask --app app worker` (RUN_EXECUTOR=queue).

Each worker process executes one run at a time, as an RQ job in the process itself (RQ's
`SimpleWorker`: no fork, so the gevent hub, the checkpointer pool and the Socket.IO emitter that
publishes through Redis serve every job). Add capacity with more worker processes.

Around the jobs, one greenlet per worker keeps the lease (`runs.heartbeat_at`) of the run it
executes and watches for work nobody will do: runs whose holder died are released and enqueued
again (the next worker resumes them from their checkpoint), and runs that wait without a job in
the queue (Redis flushed, a job lost between dequeue and claim) are enqueued.

Redis can go away at any moment (idle, mid-run, as a job ends): the worker waits for it with
backoff instead of exiting, since a run's state is in the database, not in Redis. RQ's bookkeeping
of a job that ended during the outage is lost (harmless), and the watch's sweep enqueues again what
waits when Redis comes back empty.

On SIGTERM (or SIGINT) the worker stops dequeuing and drains (`services.shutdown`): the run stops
at its next LLM call, is released and enqueued for another worker, and the process exits 0. A run
that has not stopped when `shutdown_grace_seconds` are over is released anyway; a second signal
does that at once.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from typing import Any, TypeVar

import gevent
import redis
from flask import Flask, current_app
from rq import SimpleWorker, get_current_job
from rq.exceptions import StopRequested
from rq.job import Job
from rq.queue import Queue
from rq.timeouts import TimerDeathPenalty
from rq.utils import now as rq_now
from rq.worker import WorkerStatus
from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential_jitter

from services import shutdown
from services.holdings import holdings
from services.runs import lease
from services.runs.queue import RunQueue
from services.shutdown import Drain, ShutdownRequested

log = logging.getLogger(__name__)

HOST_KEY = "catalyst.worker"
# Redis is away (refused, reset, or no answer): wait for it. Other Redis errors are bugs and surface.
REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
REDIS_WAIT_MAX_SECONDS = 5.0
T = TypeVar("T")


def _log_redis_wait(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome is not None else None
    log.warning(
        "Redis unavailable; the worker waits for it",
        extra={
            "during": getattr(state.fn, "__name__", "?"),
            "attempt": state.attempt_number,
            "retry_in_seconds": round(state.upcoming_sleep, 1),
            "error": str(error),
        },
    )


def until_redis_answers(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call `fn`, retrying with capped exponential backoff for as long as Redis is away.

    No attempt limit: a worker without Redis can do nothing else, and a stop signal still ends
    the wait (it is raised into the waiting greenlet, which tenacity does not retry).
    """
    retrying = Retrying(
        retry=retry_if_exception_type(REDIS_DOWN),
        wait=wait_exponential_jitter(multiplier=0.5, max=REDIS_WAIT_MAX_SECONDS),
        before_sleep=_log_redis_wait,
        reraise=True,
    )
    return retrying(fn, *args, **kwargs)


def perform_run(run_id: str) -> str:
    """The RQ job: execute one run in this worker. Returns executed, skipped, released or deferred."""
    host: RunHost | None = current_app.extensions.get(HOST_KEY)
    if host is None:
        raise RuntimeError("perform_run executes inside `flask --app app worker` only")
    job = get_current_job()
    return host.perform(run_id, job.id if job is not None else None)


class RunHost:
    """Executes runs in this process: claim, keep the lease, execute, release at shutdown."""

    def __init__(
        self,
        app: Flask,
        service: Any,
        queue: RunQueue,
        drain: Drain,
        *,
        heartbeat_seconds: float = 5.0,
        stale_after_seconds: float = 30.0,
        poll_seconds: float = 2.0,
        max_recoveries: int = 3,
        maintenance_seconds: float = 300.0,
    ) -> None:
        self.app = app
        self.service = service
        self.queue = queue
        self.drain = drain
        # Several heartbeats per stale period, or a live worker could lose its run to another.
        self.heartbeat_seconds = min(heartbeat_seconds, stale_after_seconds / 3)
        self.stale_after = timedelta(seconds=stale_after_seconds)
        self.poll_seconds = poll_seconds
        self.max_recoveries = max_recoveries
        self.maintenance_seconds = maintenance_seconds
        self.held: set[str] = set()
        self._watcher: gevent.Greenlet | None = None
        self._last_beat = self._last_look = self._last_maintenance = -1e9

    @property
    def owner(self) -> str:
        return self.service.owner

    @property
    def engine(self) -> Any:
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
        if self._watcher is None:
            self._watcher = gevent.spawn(self._watch)

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.kill(block=False)
            self._watcher = None

    def _watch(self) -> None:
        while True:
            try:
                self.tick()
            except (redis.RedisError, OSError) as exc:
                log.warning("worker watch pass failed; retrying", extra={"error": str(exc)})
            except Exception:  # a database blip must not end the watch
                log.exception("worker watch pass failed; retrying")
            gevent.sleep(min(self.poll_seconds, self.heartbeat_seconds))

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
        maintenance = getattr(self.service.scheduler, "maintenance", None)
        if maintenance is not None and now - self._last_maintenance >= self.maintenance_seconds:
            self._last_maintenance = now
            with self.app.app_context():
                maintenance()

    def _fail_crash_loop(self, run_id: str) -> None:
        if lease.claim(self.engine, run_id, self.owner):
            with self.app.app_context():
                self.service.executor.fail(
                    run_id, "crash_loop", "the run stopped its worker repeatedly and was not restarted"
                )


class RunWorker(SimpleWorker):
    """RQ's in-process worker, with gevent-safe signals, a lease-keeping host and a graceful drain."""

    # Runs have no job timeout (-1); this penalty class never touches SIGALRM.
    death_penalty_class = TimerDeathPenalty
    # RQ's own reconnect backoff while dequeuing (default up to 60 s): be back within seconds.
    max_connection_wait_time = REDIS_WAIT_MAX_SECONDS

    def __init__(self, queues: Any, *, host: RunHost, grace_seconds: float, **kwargs: Any) -> None:
        super().__init__(queues, **kwargs)
        self.host = host
        self.grace_seconds = grace_seconds
        self._main: Any = None
        self._signal_handlers: list[Any] = []

    # --- signals -------------------------------------------------------------------------------

    def _install_signal_handlers(self) -> None:
        # gevent runs these in their own greenlet; RQ's plain handlers would raise inside the hub.
        self._main = gevent.getcurrent()
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(signum)
            handler = gevent.signal_handler(signum, self._on_stop_signal, signum)
            self._signal_handlers.append((signum, previous, handler))

    def teardown(self) -> None:
        # Give the process its previous handlers back (matters when a worker runs in-process).
        for signum, previous, handler in self._signal_handlers:
            handler.cancel()
            if previous is not None:
                signal.signal(signum, previous)
        self._signal_handlers = []
        super().teardown()

    def _on_stop_signal(self, signum: int) -> None:
        if self._shutdown_requested_date is not None:
            log.warning("second stop signal: handing the run on now", extra={"signal": signum})
            self._give_up()
            return
        self._shutdown_requested_date = rq_now()
        self.host.drain.start()
        if self.get_state() == WorkerStatus.BUSY:
            log.info("stop requested: draining the run", extra={"grace_seconds": self.grace_seconds})
            self._stop_requested = True
            gevent.spawn_later(self.grace_seconds, self._give_up)
            try:
                self.set_shutdown_requested_date()  # for `rq info` only
            except REDIS_DOWN as exc:
                log.warning("could not record the stop request in Redis", extra={"error": str(exc)})
        else:
            log.info("stop requested while idle")
            self._interrupt(StopRequested())

    def _give_up(self) -> None:
        """Grace over (or a second signal): release the run and stop the job where it is."""
        if self.get_state() != WorkerStatus.BUSY:
            return
        released = self.host.hand_on_all()
        log.warning("the run did not stop within the grace period; released", extra={"run_ids": released})
        self._interrupt(ShutdownRequested("grace period over"))

    def _interrupt(self, exc: BaseException) -> None:
        """Raise `exc` in the worker's main greenlet wherever it waits (from the hub, not here)."""
        if self._main is not None and not self._main.dead:
            gevent.get_hub().loop.run_callback(self._main.throw, exc)

    # --- Redis outages --------------------------------------------------------------------------
    # RQ's work loop quits on any error outside its dequeue (and on a Redis timeout anywhere), and
    # its teardown raises when Redis is away: rc 1, and queued runs wait for a worker forever.

    def dequeue_job_and_maintain_ttl(self, timeout: int | None, max_idle_time: int | None = None) -> Any:
        return until_redis_answers(super().dequeue_job_and_maintain_ttl, timeout, max_idle_time)

    def check_for_suspension(self, burst: bool) -> None:
        until_redis_answers(super().check_for_suspension, burst)

    def run_maintenance_tasks(self) -> None:
        until_redis_answers(super().run_maintenance_tasks)

    def register_birth(self) -> None:
        until_redis_answers(super().register_birth)

    def heartbeat(self, timeout: int | None = None, pipeline: Any = None) -> None:
        if pipeline is not None:  # queued on the caller's pipeline: nothing is sent yet
            super().heartbeat(timeout, pipeline=pipeline)
            return
        until_redis_answers(self._heartbeat_registered, timeout)

    def _heartbeat_registered(self, timeout: int | None) -> None:
        """Heartbeat, registering again first if Redis came back without this worker's record."""
        if not self.connection.hexists(self.key, "birth"):
            log.info("Redis lost this worker's registration; registering again")
            self.connection.delete(self.key)
            super().register_birth()
            self.set_state(self.get_state())
        super().heartbeat(timeout)

    def register_death(self) -> None:
        try:
            super().register_death()
        except REDIS_DOWN as exc:  # its record expires on its own (worker TTL)
            log.warning("could not unregister the worker from Redis", extra={"error": str(exc)})

    def unsubscribe(self) -> None:
        try:
            super().unsubscribe()
        except REDIS_DOWN as exc:
            log.warning("could not unsubscribe from the worker's command channel", extra={"error": str(exc)})
            if self.pubsub_thread is not None:
                self.pubsub_thread.stop()

    # --- jobs ----------------------------------------------------------------------------------

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Run the job here, renewing RQ's worker and job heartbeats while it lasts (runs are long).

        When Redis goes away around the job (RQ's start or end bookkeeping), the job is not
        retried: whatever the run did is in the database, and a run that still waits is
        enqueued again by the watch's sweep. The worker then waits for Redis and dequeues on.
        """
        keep_alive = gevent.spawn(self._keep_alive, job)
        try:
            super().execute_job(job, queue)
        except REDIS_DOWN as exc:
            log.warning(
                "Redis failed around a job; its run's state is in the database",
                extra={"job_id": job.id, "error": str(exc)},
            )
            with suppress(*REDIS_DOWN):
                self.set_state(WorkerStatus.IDLE)  # sets the local state before it writes to Redis
        finally:
            keep_alive.kill(block=False)

    def _keep_alive(self, job: Job) -> None:
        while True:
            gevent.sleep(self.job_monitoring_interval)
            try:
                self.maintain_heartbeats(job)
            except redis.RedisError as exc:
                log.warning("RQ heartbeat failed", extra={"error": str(exc)})


def build_worker(
    app: Flask,
    *,
    poll_seconds: float = 2.0,
    heartbeat_seconds: float = 5.0,
    stale_after_seconds: float = 30.0,
) -> RunWorker:
    """A worker for the app's run service, draining on SIGTERM (the app must have REDIS_URL)."""
    settings = holdings(app).settings
    if not settings.redis_url:
        raise RuntimeError("a run worker needs REDIS_URL (the job queue and the Socket.IO message queue)")
    service = holdings(app).run_service()
    drain = shutdown.install(service)
    queue = RunQueue.from_url(settings.redis_url)
    host = RunHost(
        app,
        service,
        queue,
        drain,
        heartbeat_seconds=heartbeat_seconds,
        stale_after_seconds=stale_after_seconds,
        poll_seconds=poll_seconds,
    )
    app.extensions[HOST_KEY] = host
    # Its own connection: RQ raises the socket timeout of its pool for the blocking dequeue.
    connection = redis.Redis.from_url(settings.redis_url)
    return RunWorker(
        [queue.name],
        connection=connection,
        host=host,
        grace_seconds=settings.shutdown_grace_seconds,
        name=service.owner.replace("|", "."),
    )


def run_worker(worker: RunWorker, *, burst: bool = False, log_level: str = "INFO") -> bool:
    """Work until stopped (or, in burst mode, until the queue is empty). True if any job ran."""
    worker.host.start()
    try:
        return worker.work(burst=burst, logging_level=log_level)
    except StopRequested:  # a signal while RQ was still registering the worker
        return False
    finally:
        worker.host.stop()
        worker.host.service.executor.close()
