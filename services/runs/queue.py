"""The queue executor's job queue (RUN_EXECUTOR=queue): runs are handed to worker processes via RQ.

Why RQ rather than Celery: Redis is already required (sessions, rate limits, the Socket.IO message
queue), and RQ needs nothing else: no broker abstraction, no result backend, no prefork pool that
would fight gevent. A job is a plain function path plus a run id, and RQ's `SimpleWorker` runs it
in the worker process itself, next to the gevent hub, the process's checkpointer pool and its
Socket.IO emitter. Celery's own redelivery (acks_late, visibility timeouts) would duplicate what
the run lease already does in PostgreSQL.

The queue is only a wake-up call, never the source of truth: the `runs` table is. A worker claims
a run with a compare-and-set UPDATE (`lease.claim`), so a duplicate job is a no-op, and the
workers' orphan watch re-enqueues any run that needs a worker but has no job waiting (Redis
flushed, a worker died between dequeue and claim). So one pending job per run is kept best-effort
with a marker key, and every job gets its own id (`<run id>-<nonce>`): the run id says what it is
for, and a run that pauses, is approved and queues again never reuses a finished job's record.
"""

from __future__ import annotations

import logging
import secrets

import redis
from rq import Queue

from services.bounded_redis import bounded_redis

log = logging.getLogger(__name__)

QUEUE_NAME = "catalyst-runs"
# The job function, by path: the web processes enqueue without importing the worker.
JOB_FUNCTION = "services.worker.perform_run"
PENDING_PREFIX = "catalyst:runs:pending:"
# A marker outliving its job only delays a re-enqueue by the orphan watch; a job outliving its
# marker only risks one duplicate (a no-op). An hour covers any sane backlog.
PENDING_TTL_SECONDS = 3600
RESULT_TTL_SECONDS = 3600
FAILURE_TTL_SECONDS = 7 * 24 * 3600


def pending_key(run_id: str) -> str:
    return PENDING_PREFIX + run_id


class RunQueue:
    """Enqueue runs for the workers; at most one pending job per run (best effort, see above)."""

    def __init__(self, connection: redis.Redis, name: str = QUEUE_NAME) -> None:
        self.connection = connection
        self.queue = Queue(name, connection=connection)

    @classmethod
    def from_url(cls, url: str, name: str = QUEUE_NAME) -> RunQueue:
        return cls(bounded_redis(url), name)

    @property
    def name(self) -> str:
        return self.queue.name

    def enqueue(self, run_id: str, *, reason: str = "queued", replace_marker: bool = False) -> str | None:
        """Ask a worker to execute the run. Returns the job id, or None when one is already pending.

        `replace_marker`: the caller checked that the marked job is not in the queue any more.
        """
        job_id = f"{run_id}-{secrets.token_hex(4)}"
        if replace_marker:
            self.connection.delete(pending_key(run_id))
        if not self.connection.set(pending_key(run_id), job_id, nx=True, ex=PENDING_TTL_SECONDS):
            return None
        try:
            self.queue.enqueue_call(
                JOB_FUNCTION,
                args=(run_id,),
                job_id=job_id,
                timeout=-1,  # a run is bounded by its own guard rails and cancel, not a job timeout
                result_ttl=RESULT_TTL_SECONDS,
                failure_ttl=FAILURE_TTL_SECONDS,
                description=f"run {run_id} ({reason})",
                meta={"run_id": run_id, "reason": reason},
            )
        except redis.RedisError:
            self.connection.delete(pending_key(run_id))
            raise
        log.info("run enqueued", extra={"run_id": run_id, "job_id": job_id, "reason": reason})
        return job_id

    def notify(self, run_id: str, reason: str = "queued", *, replace_marker: bool = False) -> None:
        """Enqueue, but never fail the caller over Redis: the workers' watch enqueues it later.

        What the run service calls after a run was committed as queued (`RunService._queued`).
        """
        try:
            self.enqueue(run_id, reason=reason, replace_marker=replace_marker)
        except redis.RedisError as exc:
            log.warning(
                "could not enqueue a run; the workers will pick it up later",
                extra={"run_id": run_id, "error": str(exc)},
            )

    def taken(self, run_id: str, job_id: str | None) -> None:
        """The run's marked job started: the next change of the run may enqueue again."""
        key = pending_key(run_id)
        if job_id is None or self.connection.get(key) == job_id.encode():
            self.connection.delete(key)

    def unqueued(self, run_ids: list[str]) -> list[str]:
        """The runs without a job waiting in the queue (no marker, or its job left the queue)."""
        if not run_ids:
            return []
        markers = self.connection.mget([pending_key(run_id) for run_id in run_ids])
        marked = [
            (run_id, marker.decode() if isinstance(marker, bytes) else marker)
            for run_id, marker in zip(run_ids, markers, strict=True)
            if marker is not None
        ]
        pipe = self.connection.pipeline(transaction=False)
        for _run_id, job_id in marked:
            pipe.lpos(self.queue.key, job_id)
        positions = pipe.execute()
        in_queue = {run_id for (run_id, _), position in zip(marked, positions, strict=True) if position is not None}
        return [run_id for run_id in run_ids if run_id not in in_queue]
