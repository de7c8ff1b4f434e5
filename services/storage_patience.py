"""Waiting out a storage outage instead of failing a run that has done nothing wrong.

A PostgreSQL restart, a failover or a full disk makes every write fail for a while; the run's
checkpoints are intact and it can go on as soon as storage answers again. The run's own writes
(events, AI-ledger settlements, checkpoints) therefore retry with backoff for a bounded time when
`storage_errors.storage_unavailable` says the failure is an outage, and give up with the original
error after that, never on a bug (a constraint violation, a missing table) and never silently.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TypeVar

import tenacity

from services.storage_errors import reason, storage_unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

# Long enough for a database restart or a failover; short enough that a run on a disk that stays
# full is handed to recovery (and the operator's alerts) within minutes, not hours.
DEFAULT_PATIENCE_SECONDS = 120.0


def _log_retry(what: str) -> Callable[[tenacity.RetryCallState], None]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        log.warning(
            "storage unavailable; retrying",
            extra={"operation": what, "reason": reason(error), "attempt": state.attempt_number},
        )

    return before_sleep


def storage_retrying(
    what: str, *, patience: float = DEFAULT_PATIENCE_SECONDS, max_wait: float = 5.0
) -> tenacity.Retrying:
    """A tenacity loop that retries outages of storage for `patience` seconds, then re-raises."""
    return tenacity.Retrying(
        retry=tenacity.retry_if_exception(storage_unavailable),
        wait=tenacity.wait_exponential_jitter(multiplier=0.2, max=max_wait, jitter=0.2),
        stop=tenacity.stop_after_delay(patience),
        before_sleep=_log_retry(what),
        reraise=True,
    )


@functools.lru_cache(maxsize=64)
def _shared_retrying(what: str, patience: float) -> tenacity.Retrying:
    """One loop per operation: building tenacity's objects per call cost a tenth of storing an event.

    Sharing is safe because tenacity keeps a call's state in a `threading.local` (one per greenlet
    under gevent); the same operation is never retried inside itself.
    """
    return storage_retrying(what, patience=patience)


def patiently(what: str, fn: Callable[[], T], *, patience: float = DEFAULT_PATIENCE_SECONDS) -> T:
    """`fn()`, retried through a storage outage of up to `patience` seconds."""
    return _shared_retrying(what, patience)(fn)
