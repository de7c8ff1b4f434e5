"""Who sends the outbox's deliveries, in every process that serves or works, never in a run's way.

- With Redis (`REDIS_URL`): an RQ `SimpleWorker` on the notifications queue, in a greenlet of its
  own (the run worker executes one run at a time, so deliveries never share its queue), plus a
  sweep greenlet that enqueues whatever is due: retries whose time has come, and deliveries whose
  job was lost (Redis flushed, a process died mid-attempt).
- Without Redis (the embedded default): the same sweep attempts due deliveries itself, in a
  small greenlet pool, woken at once when a delivery is written. That is the honest equivalent of
  the queue: the same outbox, the same claims, retries and backoff, only no Redis in between.

Either way the outbox table is the truth, so retries survive a restart: the next process's sweep
finds them due.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import gevent
import gevent.event
import gevent.pool
import redis
from rq import SimpleWorker
from rq.exceptions import StopRequested
from rq.job import Job
from rq.queue import Queue
from rq.timeouts import TimerDeathPenalty
from sqlalchemy import Engine

from config.settings import Settings
from services.loops import StoppableLoop
from services.notifications import outbox
from services.notifications.delivery import Deliverer
from services.notifications.queue import NotificationQueue

log = logging.getLogger(__name__)

# The deliverer of the worker running a job in this greenlet (set around each job).
_executing: ContextVar[tuple[Deliverer, NotificationQueue] | None] = ContextVar("notification_deliverer",
                                                                                default=None)  # fmt: skip
EMBEDDED_POOL_SIZE = 4
RESTART_WAIT_SECONDS = 2.0
STOP_WAIT_SECONDS = 5.0


def deliver_job(delivery_id: int) -> str:
    """The RQ job: one attempt at one delivery, in a notification worker."""
    executing = _executing.get()
    if executing is None:
        raise RuntimeError("deliver_job runs inside a notification worker only")
    deliverer, queue = executing
    queue.taken(delivery_id)
    return deliverer.attempt(delivery_id)


class NotificationWorker(SimpleWorker):
    """RQ's in-process worker for deliveries; the host process owns the signals and the stopping."""

    death_penalty_class = TimerDeathPenalty

    def __init__(self, queues: Any, *, deliverer: Deliverer, notification_queue: NotificationQueue,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(queues, **kwargs)
        self.deliverer = deliverer
        self.notification_queue = notification_queue
        self.idle = gevent.event.Event()  # no job in flight: what a stop waits for before it kills
        self.idle.set()

    def _install_signal_handlers(self) -> None:
        """None: a greenlet beside the web server or the run worker, stopped by its host."""

    def execute_job(self, job: Job, queue: Queue) -> None:
        token = _executing.set((self.deliverer, self.notification_queue))
        self.idle.clear()
        try:
            super().execute_job(job, queue)
        finally:
            self.idle.set()
            _executing.reset(token)


def build_notification_worker(deliverer: Deliverer, queue: NotificationQueue, redis_url: str) -> NotificationWorker:
    """A worker on the notifications queue with its own connection (RQ blocks on it to dequeue)."""
    name = f"notifications.{socket.gethostname()}.{os.getpid()}.{secrets.token_hex(3)}"
    return NotificationWorker([queue.name], connection=redis.Redis.from_url(redis_url), deliverer=deliverer,
                              notification_queue=queue, name=name)  # fmt: skip


def _sweep_failed(exc: Exception) -> None:
    """Storage or Redis away: the next sweep tries again."""
    log.warning("notification sweep failed", extra={"error": type(exc).__name__})


class NotificationConsumer:
    """This process's sender of deliveries: started once, woken when deliveries are written."""

    def __init__(self, engine: Engine, settings: Settings, queue: NotificationQueue | None) -> None:
        self.engine = engine
        self.settings = settings
        self.queue = queue
        self.deliverer = Deliverer(engine, settings)
        self._sweeps = StoppableLoop(self.sweep, every=lambda: self.settings.notification_poll_seconds,
                                     on_error=_sweep_failed)  # fmt: skip
        self._working: gevent.Greenlet | None = None
        self._pool = gevent.pool.Pool(EMBEDDED_POOL_SIZE)
        self.worker: NotificationWorker | None = None

    @property
    def started(self) -> bool:
        return self._sweeps.started

    def start(self) -> bool:
        """Start the sweep (and, with Redis, the RQ worker); False when already started."""
        if not self._sweeps.start():
            return False
        if self.queue is not None and self.settings.redis_url:
            self._working = gevent.spawn(self._work_loop, self.settings.redis_url)
        log.info("notification consumer started", extra={"queue": self.queue.name if self.queue else None})
        return True

    def stop(self) -> bool:
        """Stop sending: attempts in flight get `STOP_WAIT_SECONDS` to finish and be recorded, then
        are cut short (such an attempt is due again once its claim's lease is over, so its receiver
        may get it twice: it deduplicates on Catalyst-Event-Id).

        True once every greenlet of it is gone. A consumer that outlived its stop would go on
        claiming deliveries with settings nobody sees any more, so that is logged as an error.
        """
        self._sweeps.ask_to_stop()  # it spawns no more attempts, and the RQ worker is not restarted
        if self._working is not None:
            if self.worker is not None:  # RQ fails a job it is stopped in and goes on, unless asked to stop
                self.worker._stop_requested = True
                self.worker.idle.wait(timeout=STOP_WAIT_SECONDS)
            self._working.kill(StopRequested(), block=True, timeout=STOP_WAIT_SECONDS)  # RQ's own way out
            self._sign_off()
        self._pool.join(timeout=STOP_WAIT_SECONDS)
        self._pool.kill(block=True, timeout=STOP_WAIT_SECONDS)  # so a sweep waiting on them ends now
        self._sweeps.stop(STOP_WAIT_SECONDS)
        if self.running:
            log.error("notification consumer still running after its stop")
        return not self.running

    def _sign_off(self) -> None:
        """Take the RQ worker out of Redis's list of workers. RQ does that in its loop's `finally`,
        which a stop landing while it starts up (registered, not yet looping) never reaches: the
        record then outlived the process for its TTL, and the compose worker healthcheck, which asks
        for any worker of its host, counted it as alive."""
        worker = self.worker
        if worker is None:
            return
        try:
            worker.register_death()  # idempotent: out of the set, marked dead, expiring
            if worker.pubsub_thread is not None and worker.pubsub_thread.is_alive():
                worker.unsubscribe()
        except redis.RedisError as exc:
            log.warning("notification worker not signed off", extra={"error": type(exc).__name__})

    @property
    def running(self) -> bool:
        """Whether any greenlet it started is still alive (after a stop: one that would not die)."""
        working = self._working is not None and not self._working.dead
        return working or self._sweeps.running or len(self._pool) > 0

    def wake(self, delivery_ids: Iterable[int]) -> None:
        """Deliveries were written: enqueue them (Redis), or wake the in-process sweep."""
        ids = list(delivery_ids)
        if not ids:
            return
        if self.queue is not None:
            self.queue.notify(ids)
        else:
            self._sweeps.wake()

    def sweep(self) -> int:
        """Hand on every delivery that is due now; returns how many."""
        with self.engine.begin() as conn:
            due = outbox.due_ids(conn)
        if self.queue is not None:
            self.queue.notify(due)
        else:
            for delivery_id in due:
                if self._sweeps.stopping:
                    break
                self._pool.spawn(self._attempt, delivery_id)
            self._pool.join()
        return len(due)

    def _attempt(self, delivery_id: int) -> None:
        try:
            self.deliverer.attempt(delivery_id)
        except Exception:  # one delivery's bug must not stop the others; it is due again after its lease
            log.exception("notification attempt failed unexpectedly", extra={"delivery_id": delivery_id})

    def _work_loop(self, redis_url: str) -> None:
        assert self.queue is not None  # noqa: S101 - started only with a queue
        while not self._sweeps.stopping:
            self.worker = build_notification_worker(self.deliverer, self.queue, redis_url)
            try:
                self.worker.work(burst=False, logging_level=self.settings.log_level)
                return  # it stopped on request
            except StopRequested:
                return
            except Exception as exc:  # noqa: BLE001 - Redis away: wait, then work again (the outbox kept all)
                if self._sweeps.stopping:  # the stop's exit came out as another exception (services/loops.py)
                    return
                log.warning("notification worker stopped; restarting", extra={"error": type(exc).__name__})
                gevent.sleep(RESTART_WAIT_SECONDS)
