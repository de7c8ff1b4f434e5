"""What keeps a flaky provider from hurting a run: retries, a circuit breaker and a rate limit.

- Retries: transient provider errors only, exponential backoff with jitter, `Retry-After` honoured
  up to a cap (tenacity does the looping).
- Circuit breaker: per provider; opens after N consecutive transient failures so calls fail fast,
  lets one trial call through after a cool-down, closes again when it succeeds.
- Rate limit: per provider with the `limits` library, shared through Redis when configured; when
  Redis is unreachable it falls back to an in-process limit and says so in the log, never crashing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import limits
import redis
import tenacity
from limits.errors import ConfigurationError, StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from services.llm.providers.base import ProviderError

logger = logging.getLogger(__name__)

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], None]


def default_sleep(seconds: float) -> None:
    # Looked up at call time so gevent's monkey-patched sleep is the one used.
    time.sleep(seconds)


class CircuitOpen(Exception):
    """The provider's breaker is open: the call was not attempted."""

    def __init__(self, name: str, retry_in: float):
        super().__init__(f"circuit for {name} is open; next trial in {retry_in:.1f}s")
        self.retry_in = retry_in


class RateLimited(Exception):
    """No slot under the provider's rate limit within the allowed wait."""

    def __init__(self, name: str, retry_in: float):
        super().__init__(f"rate limit for {name} reached; next slot in {retry_in:.1f}s")
        self.retry_in = retry_in


# --- retries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    backoff_initial_seconds: float = 1.0
    backoff_max_seconds: float = 20.0
    retry_after_cap: float = 30.0


class _BackoffOrRetryAfter(tenacity.wait.wait_base):
    """Wait what the provider asked for (capped), else exponential backoff with jitter."""

    def __init__(self, policy: RetryPolicy):
        self._cap = policy.retry_after_cap
        self._backoff = tenacity.wait_exponential_jitter(
            multiplier=policy.backoff_initial_seconds,
            max=policy.backoff_max_seconds,
            jitter=policy.backoff_initial_seconds,
        )

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        if isinstance(error, ProviderError) and error.retry_after is not None:
            return min(error.retry_after, self._cap)
        return self._backoff(retry_state)


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, ProviderError) and error.transient


def _log_retry(retry_state: tenacity.RetryCallState) -> None:
    outcome = retry_state.outcome
    error = outcome.exception() if outcome is not None else None
    wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
    logger.warning(
        "llm attempt %d failed (%s); retrying in %.2fs",
        retry_state.attempt_number,
        error,
        wait,
        extra={"llm_attempt": retry_state.attempt_number, "llm_wait_seconds": wait},
    )


def call_with_retries(attempt: Callable[[], T], policy: RetryPolicy, *, sleep: Sleep = default_sleep) -> T:
    """Run `attempt`, retrying transient `ProviderError`s; the last error is re-raised as is."""
    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.max_retries + 1),
        wait=_BackoffOrRetryAfter(policy),
        retry=tenacity.retry_if_exception(_is_transient),
        sleep=sleep,
        before_sleep=_log_retry,
        reraise=True,
    )
    return retrying(attempt)


# --- circuit breaker -------------------------------------------------------------------------


class CircuitBreaker:
    """closed → open after N consecutive failures → half-open after a cool-down → closed on success."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"

    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int,
        reset_seconds: float,
        clock: Clock = time.monotonic,
    ):
        self.name = name
        self._threshold = failure_threshold
        self._reset_seconds = reset_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._state = self.CLOSED
        self._failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._state == self.OPEN and self._cooled_down():
                return self.HALF_OPEN
            return self._state

    def _cooled_down(self) -> bool:
        return self._clock() - self._opened_at >= self._reset_seconds

    def before_call(self) -> None:
        """Let the call through, or raise `CircuitOpen` to fail fast."""
        with self._lock:
            if self._state == self.CLOSED:
                return
            if self._state == self.OPEN:
                if not self._cooled_down():
                    raise CircuitOpen(self.name, self._reset_seconds - (self._clock() - self._opened_at))
                self._state = self.HALF_OPEN
                self._trial_in_flight = False
                logger.info("circuit for %s half-open: letting one trial call through", self.name)
            if self._trial_in_flight:
                raise CircuitOpen(self.name, 0.0)
            self._trial_in_flight = True

    def record_success(self) -> None:
        """The provider answered (even with a client error): it is healthy."""
        with self._lock:
            if self._state != self.CLOSED:
                logger.info("circuit for %s closed again", self.name)
            self._state = self.CLOSED
            self._failures = 0
            self._trial_in_flight = False

    def record_failure(self) -> None:
        """A transient failure: count it, and open at the threshold or when a trial fails."""
        with self._lock:
            self._failures += 1
            self._trial_in_flight = False
            if self._state == self.HALF_OPEN or self._failures >= self._threshold:
                if self._state != self.OPEN:
                    logger.warning(
                        "circuit for %s opened after %d consecutive failures",
                        self.name,
                        self._failures,
                        extra={"llm_circuit": self.name, "llm_failures": self._failures},
                    )
                self._state = self.OPEN
                self._opened_at = self._clock()


# --- rate limit ------------------------------------------------------------------------------


class ProviderRateLimiter:
    """A moving-window limit per provider; Redis-backed when a URL is given, memory otherwise."""

    REDIS_RETRY_SECONDS = 30.0

    def __init__(
        self,
        name: str,
        *,
        limit: str,
        redis_url: str | None = None,
        key_prefix: str = "catalyst:llm",
        max_wait_seconds: float = 30.0,
        sleep: Sleep = default_sleep,
        clock: Clock = time.time,
    ):
        self.name = name
        self._item = limits.parse(limit)
        self._max_wait = max_wait_seconds
        self._sleep = sleep
        self._clock = clock
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._shared: MovingWindowRateLimiter | None = None
        self._shared_down_until = 0.0
        if redis_url:
            try:
                storage = RedisStorage(
                    redis_url,
                    key_prefix=f"{key_prefix}:ratelimit",
                    wrap_exceptions=True,
                    socket_connect_timeout=1.0,
                    socket_timeout=1.0,
                )
                self._shared = MovingWindowRateLimiter(storage)
            except (StorageError, redis.RedisError, ValueError, ConfigurationError) as exc:
                logger.warning("rate limit for %s falls back to memory: %s", name, exc)

    @property
    def using_redis(self) -> bool:
        return self._shared is not None and self._clock() >= self._shared_down_until

    def _limiter(self) -> MovingWindowRateLimiter:
        return self._shared if self.using_redis and self._shared is not None else self._memory

    def _try_hit(self) -> tuple[bool, float]:
        """(got a slot, seconds until the window frees one)."""
        limiter = self._limiter()
        try:
            if limiter.hit(self._item, self.name):
                return True, 0.0
            stats = limiter.get_window_stats(self._item, self.name)
        except (StorageError, redis.RedisError, OSError) as exc:
            if limiter is self._memory:
                raise
            logger.warning(
                "rate limit storage for %s unavailable (%s); using the in-process limit for %.0fs",
                self.name,
                exc,
                self.REDIS_RETRY_SECONDS,
            )
            self._shared_down_until = self._clock() + self.REDIS_RETRY_SECONDS
            return self._try_hit()
        return False, max(0.0, stats.reset_time - self._clock())

    def acquire(self) -> None:
        """Take a slot, waiting up to `max_wait_seconds`; raise `RateLimited` past that."""
        waited = 0.0
        while True:
            ok, retry_in = self._try_hit()
            if ok:
                return
            # Moving windows free a slot at `reset_time`; a tiny pad avoids a busy loop at the edge.
            pause = retry_in + 0.01
            if waited + pause > self._max_wait:
                raise RateLimited(self.name, retry_in)
            logger.info("rate limit for %s reached; waiting %.2fs", self.name, pause)
            self._sleep(pause)
            waited += pause
