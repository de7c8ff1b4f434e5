"""Graceful shutdown: stop taking runs, let in-flight nodes reach a checkpoint, hand the rest on.

How a run stops: once the process drains, the run's next LLM call raises `ShutdownRequested`
instead of starting. Calls already under way finish, so the nodes making them complete and
LangGraph saves their writes (the workflow checkpoints every step with durability "sync", and
keeps each finished node's writes even when a sibling stops). The stopped node re-runs from its
start wherever the run resumes; nodes are idempotent up to their LLM call and events carry keys.
The run is then released (owner NULL, status still `running`) and resumes in another process.

`ShutdownRequested` derives from BaseException on purpose: every `except Exception` on its way out
(the workflow's failure handler, LLM retries, budget metering) would otherwise record a failure.

A web process (gunicorn, see gunicorn.conf.py) stops like this on SIGTERM: drain, stop the run
scheduler (inline executor) for up to `shutdown_grace_seconds`, release what is left, then close
every Socket.IO transport without a Socket.IO disconnect packet, so browsers treat it as a network
blip and reconnect (through nginx, to another process) instead of showing an error. The TCP
connection under each WebSocket is shut down too: aborting a session does not end the read its
greenlet is blocked in, so a client that stopped reading and answering pings would otherwise keep
the process alive until gunicorn's graceful timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from agents.ports import EventSink, LLMClient, LLMRequest, LLMResponse
from services.holdings import holdings
from services.runs import lease

log = logging.getLogger(__name__)

MakeLLM = Callable[[Any, EventSink], LLMClient]
CLOSE_SOCKETS_EVERY_SECONDS = 0.5
# gunicorn's gevent worker looks at its `alive` flag once a second and then closes its listening
# socket; a client dropped before that could reconnect to this very process.
LISTENER_CLOSED_AFTER_SECONDS = 1.5


class ShutdownRequested(BaseException):
    """The process is stopping: leave the run where its last checkpoint is."""


class Drain:
    """The process-wide "stop at the next boundary" flag."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def start(self) -> None:
        if not self._event.is_set():
            log.info("draining: runs stop at their next LLM call")
        self._event.set()

    @property
    def active(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise `ShutdownRequested` once draining."""
        if self._event.is_set():
            raise ShutdownRequested("the process is shutting down")

    def guard_llm(self, make_llm: MakeLLM) -> MakeLLM:
        """Wrap the run service's `make_llm` hook so each run's calls stop once draining."""

        def make(run: Any, sink: EventSink) -> LLMClient:
            return _DrainingLLM(make_llm(run, sink), self)

        return make


class _DrainingLLM:
    """An LLM client that refuses to start a call while the process drains."""

    def __init__(self, inner: LLMClient, drain: Drain) -> None:
        self.inner = inner
        self.drain = drain

    def generate(self, request: LLMRequest) -> LLMResponse:
        self.drain.check()
        return self.inner.generate(request)


def install(service: Any, drain: Drain | None = None) -> Drain:
    """Make a run service drainable (idempotent): runs stop at their next LLM call once draining.

    Runs the scheduler executes here that stop this way are released for another process.
    """
    existing = getattr(service, "drain", None)
    if isinstance(existing, Drain):
        return existing
    drain = drain or Drain()
    service.drain = drain
    service.make_llm = drain.guard_llm(service.make_llm)
    execute = service.scheduler.execute

    def execute_or_release(run_id: str) -> None:
        try:
            execute(run_id)
        except ShutdownRequested:
            if lease.release(service.engine, run_id, service.owner):
                log.info("run released at shutdown", extra={"run_id": run_id})

    service.scheduler.execute = execute_or_release
    return drain


def release_held(service: Any, run_ids: set[str]) -> list[str]:
    """Release runs this process still holds after the grace period (they resume elsewhere)."""
    released = [run_id for run_id in sorted(run_ids) if lease.release(service.engine, run_id, service.owner)]
    if released:
        log.warning("runs still executing after the grace period were released", extra={"run_ids": released})
    return released


def stop_runs(service: Any, grace_seconds: float) -> list[str]:
    """Drain and stop this process's run scheduler; returns the runs released unfinished."""
    drain = install(service)
    drain.start()
    left = service.stop(grace_seconds)
    return release_held(service, left)


def close_transports(socketio_server: Any) -> int:
    """Drop every Engine.IO connection without a close packet: clients reconnect, as after a blip.

    A Socket.IO disconnect packet would tell browsers the server meant it ("io server disconnect")
    and they would not reconnect.
    """
    if socketio_server is None or getattr(socketio_server, "eio", None) is None:
        return 0
    # An aborted session stays listed until the greenlet serving it ends; count each one once.
    sockets = [s for s in list(socketio_server.eio.sockets.values()) if not getattr(s, "closed", False)]
    for socket in sockets:
        try:
            socket.close(wait=False, abort=True)
        except Exception:  # a socket that is already gone needs nothing more
            log.debug("closing a socket failed", exc_info=True)
    return len(sockets)


def close_connections(websockets: Any) -> int:
    """Shut down the TCP connection of every WebSocket still open (their sessions were aborted).

    `websockets` is the app's registry (web/live.py `WebSocketConnections`), None when absent.
    """
    if websockets is None:
        return 0
    return websockets.close_all()


def release_runs(app: Any) -> None:
    """Stop this process's runs at their next step and release them to resume elsewhere."""
    service = holdings(app).runs
    if service is None:
        return
    try:
        with app.app_context():
            released = stop_runs(service, holdings(app).settings.shutdown_grace_seconds)
        log.info("web process stopped executing runs", extra={"released": released})
    except Exception:  # the process exits anyway; runs recover from their lease
        log.exception("stopping runs at shutdown failed")


def stop_web_process(
    app: Any, *, drained: threading.Event | None = None, sleep: Callable[[float], None] = time.sleep
) -> None:
    """SIGTERM in a web process: drain runs (inline executor), then keep closing transports.

    Runs in a greenlet until the process exits; `drained` is set once no run executes here any
    more (the process must not exit before). Watchers keep their live events while runs drain;
    transports close once the listening socket is gone, so reconnects land on another process
    (a client that still reached this one through a proxy keep-alive connection is closed again),
    and their WebSocket TCP connections with them, so a silent client cannot hold the process.
    """
    started = time.monotonic()
    release_runs(app)
    if drained is not None:
        drained.set()
    socketio = app.extensions.get("socketio")
    server = getattr(socketio, "server", None)
    websockets = holdings(app).websockets
    sleep(max(0.0, LISTENER_CLOSED_AFTER_SECONDS - (time.monotonic() - started)))
    while True:
        closed = close_transports(server)
        if closed:
            log.info("closed socket transports for shutdown", extra={"count": closed})
        # Right after the abort, before any greenlet runs: no new WebSocket can slip in between.
        dropped = close_connections(websockets)
        if dropped:
            log.info("closed websocket connections for shutdown", extra={"count": dropped})
        sleep(CLOSE_SOCKETS_EVERY_SECONDS)
