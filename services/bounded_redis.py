"""A Redis client for enqueuing jobs (the run queue, the notification queue).

Whoever enqueues (a web request, a run that just paused) must not hang on a Redis outage: one
quick retry, short timeouts, and the queue's watch catches up with what could not be enqueued.
"""

from __future__ import annotations

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry


def bounded_redis(url: str) -> redis.Redis:
    retry = Retry(ExponentialBackoff(cap=0.5, base=0.05), 1)
    return redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=5.0, retry=retry)
