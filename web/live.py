"""Wiring live runs into the app: the run service, Socket.IO namespace and metrics.

When runs start executing in a process: when it starts serving — `python app.py` starts at once,
and any server (gunicorn, `flask run`) starts with its first real request or socket at the latest.
A real server sets SERVER_SOFTWARE in the WSGI environ; the test client and CLI commands never
do, so `flask users create`, scripts and tests that build an app do not pick up runs (tests call
`start_live(app)` when they want a scheduler). With RUN_EXECUTOR=queue the web processes never
execute runs: worker processes do (`services.worker`, `flask --app app worker`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import secrets
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

import redis
from flask import Flask, request
from werkzeug.http import parse_cookie

from services import budgets, shutdown
from services.db import db
from services.holdings import holdings
from services.runs import RunService
from services.runs.queue import install_queue
from web.extensions import socketio

log = logging.getLogger(__name__)

DISCONNECT_CHANNEL = "catalyst:sockets:disconnect-user"
WATCHERS_PREFIX = "catalyst:watchers:"
WATCHERS_TTL_SECONDS = 24 * 3600
SOCKET_PATH = "/socket.io"
# Set on every polling handshake: a credential its later requests present even when the client
# sends its headers with the handshake only, or authenticates in the Socket.IO CONNECT packet.
BINDING_COOKIE = "catalyst_sio"
CREDENTIAL_KEY = "catalyst.socket_credentials"  # environ key: digests of the handshake's credentials


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
            with contextlib.suppress(OSError):  # already gone
                sock.shutdown(socket.SHUT_RDWR)
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


def credential_digest(kind: str, value: str) -> str:
    """A digest standing for one credential (kept and compared, never the credential itself)."""
    return hashlib.sha256(f"{kind}\0{value}".encode()).hexdigest()


def request_credentials(environ: dict[str, Any], session_cookie: str) -> dict[str, str]:
    """Digests of what identifies an HTTP request's client, by kind, strongest first: its session
    cookie, its bearer token, the binding cookie of its Engine.IO handshake (those it carries)."""
    cookies = parse_cookie(environ)
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else ""
    found = (
        ("session", cookies.get(session_cookie, "")),
        ("bearer", bearer),
        ("binding", cookies.get(BINDING_COOKIE, "")),
    )
    return {kind: credential_digest(kind, value) for kind, value in found if value}


def request_credential(environ: dict[str, Any], session_cookie: str) -> str | None:
    """The digest of a request's strongest credential, or None when it carries none."""
    return next(iter(request_credentials(environ, session_cookie).values()), None)


class SocketBinding:
    """WSGI middleware: an Engine.IO session answers only the client that opened it.

    Why: long-polling carries the session id (`sid`) in the query string, which ends up in logs,
    proxies and browser history, and Engine.IO accepts any request naming a live sid as that
    socket, whose identity was checked once, at connect. So the handshake records digests of the
    client's credentials in its environ, which python-socketio keeps for the session's life: the
    session cookie or bearer token it sent, and a binding cookie set here on polling handshakes
    (clients such as python-socketio send custom headers with the handshake only, and a token in
    the CONNECT packet is no HTTP credential at all). Every later request naming the sid (polls,
    posts, the WebSocket upgrade) must present one of them, or it is refused before Engine.IO sees
    it. The client address is not part of it: behind proxies it changes legitimately. The record
    lives in this process, as the session does (several processes are sticky: docs/deployment.md).
    """

    def __init__(self, wsgi_app: Callable[..., Any], server: Any, config: dict[str, Any]) -> None:
        self.wsgi_app = wsgi_app
        self.server = server
        self.config = config  # the app's config, read per request: the cookie name is set later

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not environ.get("PATH_INFO", "").startswith(SOCKET_PATH):
            return self.wsgi_app(environ, start_response)
        query = parse_qs(environ.get("QUERY_STRING", ""))  # as Engine.IO parses it
        sid = query.get("sid", [None])[0]
        presented = request_credentials(environ, self.config.get("SESSION_COOKIE_NAME", "session"))
        if sid is None:
            return self._handshake(environ, start_response, presented, query.get("transport", [""])[0])
        opened = self.server.environ.get(sid)
        if opened is not None and not _any_match(opened.get(CREDENTIAL_KEY, ()), presented.values()):
            log.warning("socket request refused: the session belongs to another client")
            start_response("403 FORBIDDEN", [("Content-Type", "text/plain"), ("Cache-Control", "no-store")])
            return [b"This socket session belongs to another client."]
        return self.wsgi_app(environ, start_response)

    def _handshake(
        self, environ: dict[str, Any], start_response: Callable[..., Any], presented: dict[str, str],
        transport: str,
    ) -> Any:
        # Not a binding cookie it brought along: that one belongs to another session.
        accepted = tuple(digest for kind, digest in presented.items() if kind != "binding")
        if transport != "polling":  # a WebSocket from the start: no later HTTP request to bind
            environ[CREDENTIAL_KEY] = accepted
            return self.wsgi_app(environ, start_response)
        value = secrets.token_urlsafe(32)
        environ[CREDENTIAL_KEY] = (*accepted, credential_digest("binding", value))
        cookie = f"{BINDING_COOKIE}={value}; Path={SOCKET_PATH}/; HttpOnly; SameSite=Strict"
        if environ.get("wsgi.url_scheme") == "https":
            cookie += "; Secure"

        def with_cookie(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("Set-Cookie", cookie)], exc_info)

        return self.wsgi_app(environ, with_cookie)


def _any_match(expected: Iterable[str], presented: Iterable[str]) -> bool:
    return any(hmac.compare_digest(want, have) for want in expected for have in presented)

class UserDisconnects:
    """Close every socket of a user, or those of one of their sessions (a logout): here at once, in
    other processes through Redis pub/sub."""

    def __init__(
        self,
        redis_url: str | None,
        disconnect_local: Callable[[int], None],
        end_session_local: Callable[[int, str], None] | None = None,
    ) -> None:
        self.redis_url = redis_url
        self.disconnect_local = disconnect_local
        self.end_session_local = end_session_local
        self.origin = secrets.token_hex(8)
        self._started = False

    def disconnect_user(self, user_id: int) -> None:
        self.disconnect_local(user_id)
        self._tell_others({"user_id": user_id})

    def end_session(self, user_id: int, session_digest: str) -> None:
        """The sockets opened with one session (by its credential digest) close; the user's others stay."""
        if self.end_session_local is not None:
            self.end_session_local(user_id, session_digest)
        self._tell_others({"user_id": user_id, "session": session_digest})

    def _tell_others(self, message: dict[str, Any]) -> None:
        if not self.redis_url:
            return
        try:
            client = redis.Redis.from_url(self.redis_url, socket_timeout=1.0, socket_connect_timeout=1.0)
            client.publish(DISCONNECT_CHANNEL, json.dumps({**message, "origin": self.origin}))
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
        if message.get("origin") == self.origin:
            return
        session_digest = message.get("session")
        if session_digest is None:
            self.disconnect_local(user_id)
        elif isinstance(session_digest, str) and self.end_session_local is not None:
            self.end_session_local(user_id, session_digest)


def start_live(app: Flask) -> None:
    """Start this process's background work: executing runs (inline mode) and disconnect relays."""
    state = holdings(app).live
    if state["started"]:
        return
    state["started"] = True
    settings = holdings(app).settings
    state["disconnects"].start(socketio.start_background_task)
    if settings.run_executor == "inline":
        holdings(app).runs.start()


def init_live(app: Flask) -> None:
    """Build the run service (budgets plugged in) and register the namespace and metrics."""
    from web.metrics import bp as metrics_bp
    from web.sockets import publish_event, register_namespace

    settings = holdings(app).settings
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
    _announce_queued_runs(service)
    holdings(app).runs = service
    disconnects = register_namespace(app)
    holdings(app).live = {"started": False, "disconnects": disconnects}
    # Outside Socket.IO's middleware: the session id is checked before Engine.IO sees the request.
    app.wsgi_app = SocketBinding(app.wsgi_app, socketio.server, app.config)
    # Outside Socket.IO's middleware, so it sees every WebSocket Engine.IO serves (shutdown closes them).
    websockets = WebSocketConnections(app.wsgi_app)
    app.wsgi_app = websockets
    holdings(app).websockets = websockets
    app.register_blueprint(metrics_bp)
    holdings(app).start_live = lambda: start_live(app)
    app.before_request(lambda: start_when_serving(app, request.environ))


def _announce_queued_runs(service: RunService) -> None:
    """Dashboards learn of a new (or re-queued) run: wraps the service's `on_queued` hook, which
    runs after the run was committed, whatever executes it (this process or the job queue)."""
    from web.sockets import publish_run_summary

    queued = service.on_queued

    def on_queued(run_id: str, reason: str) -> None:
        queued(run_id, reason)
        publish_run_summary(run_id)

    service.on_queued = on_queued


def start_when_serving(app: Flask, environ: dict[str, Any]) -> None:
    """Start background work on the first request a real server hands us (not a test client's)."""
    if not holdings(app).live["started"] and environ.get("SERVER_SOFTWARE"):
        start_live(app)
