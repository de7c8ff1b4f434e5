"""Counting failed attempts (logins, socket events) with the `limits` library.

Uses Redis when configured and falls back to process memory when Redis is unreachable, so a Redis
blip degrades limits instead of failing requests.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import redis
from limits import parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)

REDIS_MAX_CONNECTIONS = 100
REDIS_POOL_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window lets another attempt through


class Throttle:
    """A set of named limits over one storage, with an in-memory fallback."""

    def __init__(self, storage_uri: str | None, namespace: str = "catalyst"):
        self._namespace = namespace
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._primary: MovingWindowRateLimiter | None = None
        if storage_uri:
            options: dict = {}
            if storage_uri.startswith(("redis://", "rediss://")):
                # redis-py's default pool raises at its 100th concurrent connection, which a burst of
                # socket events reaches under gevent; each such hit fell back to memory and the limit
                # leaked. A blocking pool waits for a free connection instead.
                options["connection_pool"] = redis.BlockingConnectionPool.from_url(
                    storage_uri, max_connections=REDIS_MAX_CONNECTIONS, timeout=REDIS_POOL_WAIT_SECONDS
                )
            storage = storage_from_string(storage_uri, **options)
            if not isinstance(storage, Storage):
                raise ValueError("the rate-limit storage URI names an asyncio storage; the limits are synchronous")
            self._primary = MovingWindowRateLimiter(storage)

    def _run(self, op: str, *args: object):  # noqa: ANN202 - returns what the limiter returns
        if self._primary is not None:
            try:
                return getattr(self._primary, op)(*args)
            except Exception as exc:  # noqa: BLE001 - any storage failure means "use memory"
                log.warning("rate limit storage unavailable, using memory", extra={"error": str(exc)})
        return getattr(self._memory, op)(*args)

    def check(self, limit: str, *keys: str) -> Verdict:
        """Would one more hit be allowed? Does not count a hit."""
        item = parse(limit)
        if self._run("test", item, self._namespace, *keys):
            return Verdict(True)
        reset_at, _remaining = self._run("get_window_stats", item, self._namespace, *keys)
        return Verdict(False, max(1, math.ceil(reset_at - time.time())))

    def hit(self, limit: str, *keys: str) -> Verdict:
        """Count one hit; says whether it was within the limit."""
        item = parse(limit)
        if self._run("hit", item, self._namespace, *keys):
            return Verdict(True)
        reset_at, _remaining = self._run("get_window_stats", item, self._namespace, *keys)
        return Verdict(False, max(1, math.ceil(reset_at - time.time())))

    def clear(self, limit: str, *keys: str) -> None:
        self._run("clear", parse(limit), self._namespace, *keys)
