"""Stopping a web process gracefully: its runs drain and move on, its sockets close as after a blip.

On SIGTERM (see gunicorn.conf.py): drain (`services/runs/drain.py`: runs stop at their next LLM
call), stop the run scheduler (inline executor) for up to `shutdown_grace_seconds`, release what
is left, stop the notification consumer, then close every Socket.IO transport without a Socket.IO
disconnect packet, so browsers treat it as a network blip and reconnect (through nginx, to another
process) instead of showing an error. The TCP connection under each WebSocket is shut down too: aborting a session does not end
the read its greenlet is blocked in, so a client that stopped reading and answering pings would
otherwise keep the process alive until gunicorn's graceful timeout.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from services.holdings import holdings

log = logging.getLogger(__name__)

CLOSE_SOCKETS_EVERY_SECONDS = 0.5
# gunicorn's gevent worker looks at its `alive` flag once a second and then closes its listening
# socket; a client dropped before that could reconnect to this very process.
LISTENER_CLOSED_AFTER_SECONDS = 1.5


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

    `websockets` is the app's registry (web/websocket_connections.py `WebSocketConnections`), None when absent.
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
            released = service.stop_draining(holdings(app).settings.shutdown_grace_seconds)
        log.info("web process stopped executing runs", extra={"released": released})
    except Exception:  # the process exits anyway; runs recover from their lease
        log.exception("stopping runs at shutdown failed")


def stop_notifications(app: Any) -> None:
    """Stop this process's webhook and email consumer: an attempt in flight is recorded before the
    process goes (services/notifications/consumer.py), and its queue worker signs off. A web process
    never stopped it: each exit left a worker record in Redis for its TTL, and a delivery cut off
    mid-send stayed "sending" until another process swept it up."""
    service = holdings(app).runs
    notifier = service.wiring.notifier if service is not None else None
    if notifier is None:
        return
    try:
        if not notifier.stop():
            log.warning("the notification consumer did not stop in time")
    except Exception:  # the process exits anyway; the sweep of another process finishes the work
        log.exception("stopping notifications at shutdown failed")


def stop_web_process(
    app: Any, *, drained: threading.Event | None = None, sleep: Callable[[float], None] = time.sleep
) -> None:
    """SIGTERM in a web process: drain runs (inline executor), stop notifications, then keep closing
    transports.

    Runs in a greenlet until the process exits; `drained` is set once no run executes here any
    more (the process must not exit before). Watchers keep their live events while runs drain;
    transports close once the listening socket is gone, so reconnects land on another process
    (a client that still reached this one through a proxy keep-alive connection is closed again),
    and their WebSocket TCP connections with them, so a silent client cannot hold the process.
    """
    started = time.monotonic()
    release_runs(app)
    stop_notifications(app)
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
