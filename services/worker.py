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

On SIGTERM (or SIGINT) the worker stops dequeuing and drains (`services/runs/drain.py`): the run stops
at its next LLM call, is released and enqueued for another worker, and the process exits 0. A run
that has not stopped when `shutdown_grace_seconds` are over is released anyway; a second signal
does that at once.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from contextlib import suppress
from contextvars import ContextVar
from typing import Any, TypeVar

import gevent
import redis
from flask import Flask
from rq import SimpleWorker, get_current_job
from rq.exceptions import StopRequested
from rq.job import Job
from rq.queue import Queue
from rq.timeouts import TimerDeathPenalty
from rq.utils import now as rq_now
from rq.worker import WorkerStatus
from tenacity import RetryCallState, Retrying, retry_if_exception_type, wait_exponential_jitter

from services.holdings import holdings
from services.runs.drain import ShutdownRequested
from services.runs.host import RunHost
from services.runs.queue import RunQueue

log = logging.getLogger(__name__)

# The host of the worker executing a job in this greenlet (set around each job by RunWorker).
_executing_host: ContextVar[RunHost | None] = ContextVar("executing_host", default=None)
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
    host = _executing_host.get()
    if host is None:
        raise RuntimeError("perform_run executes inside `flask --app app worker` only")
    job = get_current_job()
    return host.perform(run_id, job.id if job is not None else None)


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
        executing = _executing_host.set(self.host)
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
            _executing_host.reset(executing)
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
    queue = RunQueue.from_url(settings.redis_url)
    host = RunHost(
        app,
        service,
        queue,
        heartbeat_seconds=heartbeat_seconds,
        stale_after_seconds=stale_after_seconds,
        poll_seconds=poll_seconds,
    )
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
    # Deliveries have their own queue and greenlet here: a run job never waits behind one.
    notifier = worker.host.service.wiring.notifier
    if notifier is not None and not burst:
        notifier.start()
    try:
        return worker.work(burst=burst, logging_level=log_level)
    except StopRequested:  # a signal while RQ was still registering the worker
        return False
    finally:
        if notifier is not None:
            notifier.stop()
        worker.host.stop()
        worker.host.service.executor.close()
