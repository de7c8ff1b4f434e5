"""Wiring live runs into the app: the run service, Socket.IO namespace and metrics.

When runs start executing in a process: when it starts serving — `python app.py` starts at once,
and any server (gunicorn, `flask run`) starts with its first real request or socket at the latest.
A real server sets SERVER_SOFTWARE in the WSGI environ; the test client and CLI commands never
do, so `flask users create`, scripts and tests that build an app do not pick up runs (tests call
`start_live(app)` when they want a scheduler). With RUN_EXECUTOR=queue the web processes never
execute runs: worker processes do (`services.worker`, `flask --app app worker`).
"""

from __future__ import annotations

import json
import logging
import secrets
import socket
import time
from collections.abc import Callable
from typing import Any

import redis
from flask import Flask, request

from services import budgets, shutdown
from services.db import db
from services.runs import RunService
from services.runs.queue import install_queue
from web.extensions import socketio

log = logging.getLogger(__name__)

DISCONNECT_CHANNEL = "catalyst:sockets:disconnect-user"
WATCHERS_PREFIX = "catalyst:watchers:"
WATCHERS_TTL_SECONDS = 24 * 3600


class Watchers:
    """How many sockets watch each run: a Redis set per run across processes, else this process."""

    def __init__(self, redis_client: redis.Redis | None) -> None:
        self.redis = redis_client
        self._local: dict[str, set[str]] = {}

    def join(self, run_id: str, sid: str) -> int:
        self._local.setdefault(run_id, set()).add(sid)
        return self._shared("sadd", run_id, sid)

    def leave(self, run_id: str, sid: str) -> int:
        local = self._local.get(run_id, set())
        local.discard(sid)
        if not local:
            self._local.pop(run_id, None)
        return self._shared("srem", run_id, sid)

    def count(self, run_id: str) -> int:
        local = len(self._local.get(run_id, ()))
        if self.redis is None:
            return local
        try:
            return int(self.redis.scard(WATCHERS_PREFIX + run_id))
        except redis.RedisError:
            return local

    def _shared(self, op: str, run_id: str, sid: str) -> int:
        local = len(self._local.get(run_id, ()))
        if self.redis is None:
            return local
        key = WATCHERS_PREFIX + run_id
        try:
            pipe = self.redis.pipeline()
            getattr(pipe, op)(key, sid)
            pipe.expire(key, WATCHERS_TTL_SECONDS)
            pipe.scard(key)
            return int(pipe.execute()[-1])
        except redis.RedisError as exc:
            log.warning("watcher count unavailable, counting this process only", extra={"error": str(exc)})
            return local


class WebSocketConnections:
    """WSGI middleware remembering the TCP socket of every WebSocket in flight, so that shutdown
    can close them: aborting an Engine.IO session leaves the greenlet serving it blocked in a
    read, and a client that went silent would hold the process until gunicorn's graceful timeout."""

    def __init__(self, wsgi_app: Callable[..., Any]) -> None:
        self.wsgi_app = wsgi_app
        self._open: dict[int, socket.socket] = {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        sock = _tcp_socket(environ) if environ.get("HTTP_UPGRADE", "").lower() == "websocket" else None
        if sock is None:
            return self.wsgi_app(environ, start_response)
        key = id(environ)
        self._open[key] = sock
        try:
            # Engine.IO serves the whole WebSocket session inside this call.
            return self.wsgi_app(environ, start_response)
        finally:
            self._open.pop(key, None)

    def __len__(self) -> int:
        return len(self._open)

    def close_all(self) -> int:
        """Shut down every WebSocket's TCP connection: blocked reads and writes end at once, the
        client sees end-of-file as after a network blip. Returns how many were open."""
        sockets = list(self._open.values())
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already gone
        return len(sockets)


def _tcp_socket(environ: dict[str, Any]) -> socket.socket | None:
    """The client connection under a WebSocket request (gevent-websocket, gunicorn, werkzeug)."""
    handler = getattr(environ.get("wsgi.websocket"), "handler", None)
    for candidate in (
        getattr(handler, "socket", None),
        environ.get("gunicorn.sock"),
        environ.get("gunicorn.socket"),
        environ.get("werkzeug.socket"),
    ):
        if candidate is not None and hasattr(candidate, "shutdown"):
            return candidate
    return None


class UserDisconnects:
    """Close every socket of a user: here at once, in other processes through Redis pub/sub."""

    def __init__(self, redis_url: str | None, disconnect_local: Callable[[int], None]) -> None:
        self.redis_url = redis_url
        self.disconnect_local = disconnect_local
        self.origin = secrets.token_hex(8)
        self._started = False

    def disconnect_user(self, user_id: int) -> None:
        self.disconnect_local(user_id)
        if not self.redis_url:
            return
        try:
            client = redis.Redis.from_url(self.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
            client.publish(DISCONNECT_CHANNEL, json.dumps({"user_id": user_id, "origin": self.origin}))
        except redis.RedisError as exc:
            log.warning("could not ask other processes to disconnect a user", extra={"error": str(exc)})

    def start(self, spawn: Callable[..., Any]) -> None:
        if self.redis_url and not self._started:
            self._started = True
            spawn(self._listen_forever)

    def _listen_forever(self) -> None:
        backoff = 0.5
        while True:
            try:
                client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2.0)
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(DISCONNECT_CHANNEL)
                backoff = 0.5
                while True:
                    message = pubsub.get_message(timeout=5.0)
                    if message:
                        self._handle(message.get("data"))
            except redis.RedisError as exc:
                log.warning("disconnect listener lost Redis; retrying", extra={"error": str(exc)})
                time.sleep(backoff)
                backoff = min(backoff * 2, 10.0)

    def _handle(self, raw: Any) -> None:
        try:
            message = json.loads(raw)
            user_id = int(message["user_id"])
        except (TypeError, ValueError, KeyError):
            return
        if message.get("origin") != self.origin:
            self.disconnect_local(user_id)


def start_live(app: Flask) -> None:
    """Start this process's background work: executing runs (inline mode) and disconnect relays."""
    state = app.extensions["catalyst.live"]
    if state["started"]:
        return
    state["started"] = True
    settings = app.extensions["catalyst.settings"]
    state["disconnects"].start(socketio.start_background_task)
    if settings.run_executor == "inline":
        app.extensions["catalyst.runs"].start()


def stop_live(app: Flask, grace_seconds: float = 0.0) -> set[str]:
    """Stop executing runs here; returns the runs still active after the grace period."""
    return app.extensions["catalyst.runs"].stop(grace_seconds)


def init_live(app: Flask) -> None:
    """Build the run service (budgets plugged in) and register the namespace and metrics."""
    from web.metrics import bp as metrics_bp
    from web.sockets import publish_event, register_namespace

    settings = app.extensions["catalyst.settings"]
    with app.app_context():
        engine = db.engine
    service = RunService(
        engine,
        settings,
        publish=publish_event,
        spawn=socketio.start_background_task,
        context=app.app_context,
    )
    # Budgets: metered LLM calls, the SQL business ledger, organisation caps and policy.
    budgets.install(service)
    service.scheduler.maintenance = budgets.sweep_reservations
    # Runs stop at their next LLM call when the process drains; RUN_EXECUTOR=queue sends them to workers.
    shutdown.install(service)
    install_queue(service, settings)
    app.extensions["catalyst.runs"] = service
    disconnects = register_namespace(app)
    app.extensions["catalyst.live"] = {"started": False, "disconnects": disconnects}
    # Outside Socket.IO's middleware, so it sees every WebSocket Engine.IO serves (shutdown closes them).
    websockets = WebSocketConnections(app.wsgi_app)
    app.wsgi_app = websockets
    app.extensions["catalyst.websockets"] = websockets
    app.register_blueprint(metrics_bp)
    app.extensions["catalyst.start_live"] = lambda: start_live(app)
    app.before_request(lambda: start_when_serving(app, request.environ))


def start_when_serving(app: Flask, environ: dict[str, Any]) -> None:
    """Start background work on the first request a real server hands us (not a test client's)."""
    if not app.extensions["catalyst.live"]["started"] and environ.get("SERVER_SOFTWARE"):
        start_live(app)
