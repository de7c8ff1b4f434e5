"""Counting attempts (logins, socket events, API requests) with the `limits` library.

Uses Redis when configured and falls back to process memory when Redis is unreachable, so a Redis
blip degrades limits instead of failing requests.

The API's count takes its hits from the shared counter a few at a time (a lease) and spends them
in this process: one Redis round trip every few requests instead of one for each. That round trip
was about a tenth of what an API call cost its worker (issue 15, bench/http_api.py: 1.5-1.7 ms of
worker CPU a request with it, 1.3-1.5 ms without).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import redis
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

log = logging.getLogger(__name__)
T = TypeVar("T")

REDIS_MAX_CONNECTIONS = 100
REDIS_POOL_WAIT_SECONDS = 2.0

# A lease is at most LEASE_MAX hits and at most a LEASE_SHARE-th of the limit (a limit under
# LEASE_SHARE hits a window is counted hit by hit, exactly as before), and it lapses after
# LEASE_SECONDS, so hits a process took but did not spend are not lent across a window's end for long.
LEASE_MAX = 10
LEASE_SHARE = 30
LEASE_SECONDS = 1.0
LEASES_KEPT = 4096  # past this many callers' leases, lapsed ones are dropped


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window lets another attempt through


@dataclass
class _Lease:
    """Hits this process took from a caller's shared count and has not spent yet."""

    left: int
    lapses_at: float  # time.monotonic()


class Throttle:
    """A set of named limits over one storage, with an in-memory fallback.

    Attempts that must not burst at a window's edge (logins, socket events) are counted in a moving
    window; `count` counts in fixed windows instead, one counter a window whatever the limit's size,
    for the API's generous per-user limit, and leases its hits (module docstring).

    What a lease costs in precision: the shared counter counts a lease's hits when it is taken, so
    processes together never allow more than the limit within a window, but a caller spread over
    several processes may be refused up to (LEASE_MAX - 1) hits early for each other process holding
    unspent hits; and a lease taken just before its window ends may be spent in the first
    LEASE_SECONDS of the next one. Fixed windows already let a burst of twice the limit straddle
    their edge, so neither changes what the limit promises.
    """

    def __init__(self, storage_uri: str | None, namespace: str = "catalyst"):
        # The two strategies keep different kinds of Redis value (a list, a counter) under a key
        # made of namespace, keys and limit: the same limit and keys in both needs two namespaces.
        self._namespaces = {False: namespace, True: f"{namespace}-fixed"}
        memory = MemoryStorage()
        self._memory: dict[bool, RateLimiter] = {False: MovingWindowRateLimiter(memory),
                                                 True: FixedWindowRateLimiter(memory)}  # fmt: skip
        self._primary: dict[bool, RateLimiter] | None = None
        self._leases: dict[tuple[str, tuple[str, ...]], _Lease] = {}
        self._taking: dict[tuple[str, tuple[str, ...]], threading.Lock] = {}
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
        return self._on_limiter(lambda limiter: getattr(limiter, op)(*args), fixed=fixed)

    def _on_limiter(self, call: Callable[[RateLimiter], T], *, fixed: bool) -> T:
        if self._primary is not None:
            try:
                return call(self._primary[fixed])
            except Exception as exc:  # noqa: BLE001 - any storage failure means "use memory"
                log.warning("rate limit storage unavailable, using memory", extra={"error": str(exc)})
        return call(self._memory[fixed])

    def check(self, limit: str, *keys: str) -> Verdict:
        """Would one more hit be allowed? Does not count a hit."""
        return self._verdict("test", _item(limit), keys, fixed=False)

    def hit(self, limit: str, *keys: str) -> Verdict:
        """Count one hit; says whether it was within the limit."""
        return self._verdict("hit", _item(limit), keys, fixed=False)

    def count(self, limit: str, *keys: str) -> Verdict:
        """Count one hit in the limit's current fixed window; says whether it was within the limit.

        Spends a hit of this process's lease on the caller's count when it holds one, else takes a
        new lease (class docstring)."""
        item = _item(limit)
        size = _lease_size(item)
        if size == 1:
            return self._verdict("hit", item, keys, fixed=True)
        key = (limit, keys)
        # One taker at a time per caller: taking waits on the store (a yield under gevent), and
        # callers that all found the lease empty each took one, spending ten hits of the shared
        # count per request (a burst of 60 requests used up a 300 limit).
        with self._taking.get(key) or self._taking.setdefault(key, threading.Lock()):  # no new lock a call
            now = time.monotonic()
            lease = self._leases.get(key)
            if lease is not None and lease.left > 0 and lease.lapses_at > now:
                lease.left -= 1
                return Verdict(True)
            granted = self._take(item, keys, size)
            if not granted:
                return self._refusal(item, keys, fixed=True)
            if len(self._leases) >= LEASES_KEPT:
                self._forget_lapsed(now)
            self._leases[key] = _Lease(granted - 1, now + LEASE_SECONDS)
            return Verdict(True)

    def _forget_lapsed(self, now: float) -> None:
        self._leases = {key: kept for key, kept in self._leases.items() if kept.lapses_at > now}
        self._taking = {key: lock for key, lock in self._taking.items() if key in self._leases or lock.locked()}

    def _take(self, item: RateLimitItem, keys: tuple[str, ...], size: int) -> int:
        """Add `size` hits to the caller's count in one step; how many of them the limit still had room for."""
        key = item.key_for(self._namespaces[True], *keys)
        total = self._on_limiter(lambda limiter: limiter.storage.incr(key, item.get_expiry(), amount=size), fixed=True)
        return max(0, min(size, item.amount - (total - size)))

    def clear(self, limit: str, *keys: str) -> None:
        self._run("clear", _item(limit), self._namespaces[False], *keys)

    def _verdict(self, op: str, item: RateLimitItem, keys: tuple[str, ...], *, fixed: bool) -> Verdict:
        if self._run(op, item, self._namespaces[fixed], *keys, fixed=fixed):
            return Verdict(True)
        return self._refusal(item, keys, fixed=fixed)

    def _refusal(self, item: RateLimitItem, keys: tuple[str, ...], *, fixed: bool) -> Verdict:
        reset_at, _remaining = self._run("get_window_stats", item, self._namespaces[fixed], *keys, fixed=fixed)
        return Verdict(False, max(1, math.ceil(reset_at - time.time())))


def _lease_size(item: RateLimitItem) -> int:
    return max(1, min(LEASE_MAX, item.amount // LEASE_SHARE))


@lru_cache(maxsize=64)
def _item(limit: str) -> RateLimitItem:
    """A limit's text, parsed once (a handful of settings, read on every request)."""
    return parse(limit)
