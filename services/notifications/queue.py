"""The notifications' job queue on Redis (RQ), apart from the run queue so no delivery waits behind a run.

As with runs (services/runs/queue.py), the queue is a wake-up call and the outbox table is the
truth: a job carries a delivery id, the consumer claims the delivery with a compare-and-set, so a
duplicate job is a no-op, and the sweep enqueues again whatever is due without a job (a retry whose
time has come, Redis flushed, a process that died). A marker key keeps one waiting job per
delivery, best effort; the job removes it as it starts, so the next retry can be enqueued.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

import redis
from rq import Queue

from services.bounded_redis import bounded_redis

log = logging.getLogger(__name__)

QUEUE_NAME = "catalyst-notifications"
JOB_FUNCTION = "services.notifications.consumer.deliver_job"
PENDING_PREFIX = "catalyst:notifications:pending:"
PENDING_TTL_SECONDS = 600
RESULT_TTL_SECONDS = 600
FAILURE_TTL_SECONDS = 24 * 3600
JOB_TIMEOUT_SECONDS = 300


def pending_key(delivery_id: int) -> str:
    return f"{PENDING_PREFIX}{delivery_id}"


class NotificationQueue:
    """Enqueue deliveries for a notification consumer; at most one waiting job per delivery."""

    def __init__(self, connection: redis.Redis, name: str = QUEUE_NAME) -> None:
        self.connection = connection
        self.queue = Queue(name, connection=connection)

    @classmethod
    def from_url(cls, url: str, name: str = QUEUE_NAME) -> NotificationQueue:
        return cls(bounded_redis(url), name)

    @property
    def name(self) -> str:
        return self.queue.name

    def enqueue(self, delivery_id: int) -> str | None:
        """Ask a consumer to attempt the delivery; None when a job for it is already waiting."""
        job_id = f"notification-{delivery_id}-{secrets.token_hex(4)}"
        if not self.connection.set(pending_key(delivery_id), job_id, nx=True, ex=PENDING_TTL_SECONDS):
            return None
        try:
            self.queue.enqueue_call(
                JOB_FUNCTION,
                args=(delivery_id,),
                job_id=job_id,
                timeout=JOB_TIMEOUT_SECONDS,
                result_ttl=RESULT_TTL_SECONDS,
                failure_ttl=FAILURE_TTL_SECONDS,
                description=f"notification delivery {delivery_id}",
            )
        except redis.RedisError:
            self.connection.delete(pending_key(delivery_id))
            raise
        return job_id

    def notify(self, delivery_ids: Iterable[int]) -> None:
        """Enqueue, never failing the caller over Redis: the sweep enqueues what is due later."""
        for delivery_id in delivery_ids:
            try:
                self.enqueue(delivery_id)
            except redis.RedisError as exc:
                log.warning("could not enqueue a notification; the sweep will", extra={"delivery_id": delivery_id,
                                                                                      "error": type(exc).__name__})  # fmt: skip
                return

    def taken(self, delivery_id: int) -> None:
        """The delivery's job started: a later retry may be enqueued again."""
        self.connection.delete(pending_key(delivery_id))
