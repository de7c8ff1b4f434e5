"""Run events the Socket.IO message queue did not carry, published again, in order, once it can.

Why: with a Redis message queue, an event stored by a worker reaches watchers only through Redis
pub/sub. Flask-SocketIO's Redis manager logs and drops a message it cannot publish, and pub/sub
keeps nothing for a web process that is not subscribed at that moment (python-socketio
resubscribes with a backoff of up to a minute after an outage). Watchers then sit on a stream that
stopped, `run.completed` never arriving, though every event is in the database.

So this process keeps the run events it could not deliver (a bounded, in-memory FIFO): while any
wait, later ones queue behind them, so each watcher still sees one run's events in seq order. A
greenlet waits with backoff for Redis, then for the web processes to listen again (as many as
received the last event, or until `listener_grace_seconds` pass), and publishes them. What the
outbox cannot cover (this process dies, the outbox overflows) the clients catch up from the stored
log: the browser does when the stream is quiet while the run is active, and on every reconnect.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import gevent
import redis
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    retry_if_result,
    wait_exponential_jitter,
)

log = logging.getLogger(__name__)

RUN_EVENT = "event"  # the Socket.IO event name of run events (web.sockets.publish_event)
OUTBOX_LIMIT = 5000
LISTENER_GRACE_SECONDS = 60.0
WAIT_MAX_SECONDS = 2.0
PLAIN_REDIS_SCHEMES = ("redis", "rediss", "unix")  # what redis.Redis.from_url reads as one server
HEAD_ATTEMPTS = 20  # resend rounds for one event while Redis answers (~40 s at the backoff cap)


def _is_run_event(message: dict[str, Any]) -> bool:
    return message.get("method") == "emit" and message.get("event") == RUN_EVENT


def _log_wait(state: RetryCallState) -> None:
    if state.attempt_number % 10 != 1:  # the first wait, then every tenth (about every 20 s)
        return
    error = state.outcome.exception() if state.outcome is not None and state.outcome.failed else None
    log.info(
        "run events wait for the message queue",
        extra={"attempt": state.attempt_number, "error": str(error) if error else None},
    )


class EventOutbox:
    """Wraps a Socket.IO Redis manager's publish: run events it fails to deliver are kept and resent."""

    def __init__(
        self,
        manager: Any,
        *,
        limit: int = OUTBOX_LIMIT,
        listener_grace_seconds: float = LISTENER_GRACE_SECONDS,
        spawn: Callable[..., Any] = gevent.spawn,
    ) -> None:
        self.manager = manager
        self.send = manager._publish  # returns the receiver count, or None once it gave up
        self.pending: deque[dict[str, Any]] = deque()
        self.limit = limit
        self.listener_grace_seconds = listener_grace_seconds
        self.spawn = spawn
        # Subscribers that received the last delivered run event: the web processes to wait for.
        self.listeners = 0
        self.dropped = 0
        self._flusher: Any = None
        self._back_at: float | None = None  # when Redis answered again, during a flush
        self._head_failures = 0
        self._probe = redis.Redis.from_url(manager.redis_url, socket_connect_timeout=1.0, socket_timeout=2.0)

    def install(self) -> EventOutbox:
        self.manager._publish = self.publish
        self.manager.catalyst_outbox = self
        return self

    # --- the publish path ----------------------------------------------------------------------

    def publish(self, message: dict[str, Any]) -> int | None:
        if not _is_run_event(message):
            return self.send(message)
        if self.pending:  # behind the events that wait, or a watcher would get them out of order
            self._keep(message)
            return None
        receivers = self.send(message)
        if self._missed(receivers):
            self._keep(message)
        else:
            self.listeners = receivers
        return receivers

    def _missed(self, receivers: int | None) -> bool:
        # 0 receivers where there were some: the web processes have not resubscribed yet.
        return receivers is None or (receivers == 0 and self.listeners > 0)

    def _keep(self, message: dict[str, Any]) -> None:
        if len(self.pending) >= self.limit:
            self.pending.popleft()
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning(
                    "event outbox full; dropping the oldest (watchers catch up from the log)",
                    extra={"dropped": self.dropped, "limit": self.limit},
                )
        if not self.pending:
            log.warning("the message queue did not take a run event; keeping events to resend")
        self.pending.append(message)
        if self._flusher is None:
            self._flusher = self.spawn(self._flush)

    # --- resending -----------------------------------------------------------------------------

    def _flush(self) -> None:
        """Resend what waits, retrying with backoff until nothing does (Redis away, nobody listening)."""
        self._back_at = None
        self._head_failures = 0
        try:
            Retrying(
                retry=retry_if_exception_type(redis.RedisError) | retry_if_result(lambda done: not done),
                wait=wait_exponential_jitter(multiplier=0.2, max=WAIT_MAX_SECONDS, jitter=0.5),
                before_sleep=_log_wait,
            )(self._attempt)
            log.info("run events resent after a message queue outage", extra={"dropped": self.dropped})
            self.dropped = 0
        finally:
            self._flusher = None

    def _attempt(self) -> bool:
        """One resend round; True once nothing waits."""
        try:
            self._probe.ping()
        except redis.RedisError:
            self._back_at = None
            raise
        if self._back_at is None:
            self._back_at = time.monotonic()
        grace_over = time.monotonic() - self._back_at >= self.listener_grace_seconds
        listening = self._subscribers()
        if listening < self.listeners and not grace_over:
            return False  # a web process has not resubscribed yet: what we sent now would be lost to it
        if grace_over:
            self.listeners = min(self.listeners, listening)  # some went away for good
        self._resend()
        return not self.pending

    def _subscribers(self) -> int:
        counts = self._probe.pubsub_numsub(self.manager.channel)
        return int(counts[0][1]) if counts else 0

    def _resend(self) -> None:
        """Publish the oldest first; stop at the first that does not go through."""
        while self.pending:
            receivers = self.send(self.pending[0])
            if self._missed(receivers):
                self._head_failures += 1
                if self._head_failures >= HEAD_ATTEMPTS:  # Redis answers, yet this one never goes
                    self.pending.popleft()
                    self.dropped += 1
                    self._head_failures = 0
                    log.warning("a run event could not be resent; dropped (watchers catch up from the log)")
                return
            self.pending.popleft()
            self._head_failures = 0
            self.listeners = receivers


def install_outbox(server: Any) -> EventOutbox | None:
    """Give a Socket.IO server's Redis message queue an outbox (once; other managers are left alone)."""
    manager = getattr(server, "manager", None)
    existing = getattr(manager, "catalyst_outbox", None)
    if existing is not None:
        return existing
    url = getattr(manager, "redis_url", None)
    if not isinstance(url, str) or not callable(getattr(manager, "_publish", None)):
        return None  # no server yet, or not a Redis message queue
    if urlparse(url).scheme not in PLAIN_REDIS_SCHEMES:
        return None  # Sentinel, Valkey: published as before, watchers catch up from the log
    return EventOutbox(manager).install()
