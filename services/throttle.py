"""Counting attempts (logins, socket events, API requests) with the `limits` library.

Uses Redis when configured and falls back to process memory when Redis is unreachable, so a Redis
blip degrades limits instead of failing requests.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

import redis
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

log = logging.getLogger(__name__)

REDIS_MAX_CONNECTIONS = 100
REDIS_POOL_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window lets another attempt through


class Throttle:
    """A set of named limits over one storage, with an in-memory fallback.

    Attempts that must not burst at a window's edge (logins, socket events) are counted in a moving
    window; `count` counts in fixed windows instead, one counter a window whatever the limit's size,
    for the API's generous per-user limit.
    """

    def __init__(self, storage_uri: str | None, namespace: str = "catalyst"):
        # The two strategies keep different kinds of Redis value (a list, a counter) under a key
        # made of namespace, keys and limit: the same limit and keys in both needs two namespaces.
        self._namespaces = {False: namespace, True: f"{namespace}-fixed"}
        memory = MemoryStorage()
        self._memory: dict[bool, RateLimiter] = {False: MovingWindowRateLimiter(memory),
                                                 True: FixedWindowRateLimiter(memory)}  # fmt: skip
        self._primary: dict[bool, RateLimiter] | None = None
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
            self._primary = {False: MovingWindowRateLimiter(storage), True: FixedWindowRateLimiter(storage)}

    def _run(self, op: str, *args: object, fixed: bool = False):  # noqa: ANN202 - what the limiter returns
        if self._primary is not None:
            try:
                return getattr(self._primary[fixed], op)(*args)
            except Exception as exc:  # noqa: BLE001 - any storage failure means "use memory"
                log.warning("rate limit storage unavailable, using memory", extra={"error": str(exc)})
        return getattr(self._memory[fixed], op)(*args)

    def check(self, limit: str, *keys: str) -> Verdict:
        """Would one more hit be allowed? Does not count a hit."""
        return self._verdict("test", _item(limit), keys, fixed=False)

    def hit(self, limit: str, *keys: str) -> Verdict:
        """Count one hit; says whether it was within the limit."""
        return self._verdict("hit", _item(limit), keys, fixed=False)

    def count(self, limit: str, *keys: str) -> Verdict:
        """Count one hit in the limit's current fixed window; says whether it was within the limit."""
        return self._verdict("hit", _item(limit), keys, fixed=True)

    def clear(self, limit: str, *keys: str) -> None:
        self._run("clear", _item(limit), self._namespaces[False], *keys)

    def _verdict(self, op: str, item: RateLimitItem, keys: tuple[str, ...], *, fixed: bool) -> Verdict:
        namespace = self._namespaces[fixed]
        if self._run(op, item, namespace, *keys, fixed=fixed):
            return Verdict(True)
        reset_at, _remaining = self._run("get_window_stats", item, namespace, *keys, fixed=fixed)
        return Verdict(False, max(1, math.ceil(reset_at - time.time())))


@lru_cache(maxsize=64)
def _item(limit: str) -> RateLimitItem:
    """A limit's text, parsed once (a handful of settings, read on every request)."""
    return parse(limit)
