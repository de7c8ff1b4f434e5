"""Gunicorn settings for one Catalyst app process: Flask-SocketIO under gevent, behind nginx.

    gunicorn -c gunicorn.conf.py            # serves app:create_app() on $HOST:$PORT

One worker per process, always: Flask-SocketIO keeps a client's Engine.IO session in the process
that accepted it, and gunicorn's balancer is not sticky. Scale by running more processes behind
nginx (`ip_hash`) with Socket.IO's Redis message queue (docs/deployment.md, "Scaling").

The worker is gevent-websocket's: gevent-websocket is installed, so Engine.IO's gevent driver
expects `wsgi.websocket` in the environ, which only that worker provides (plain `-k gevent` would
refuse every WebSocket and leave browsers on long-polling).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
import threading
import weakref
from datetime import datetime, timedelta, timezone
from typing import Any

import gevent
from geventwebsocket.gunicorn.workers import GeventWebSocketWorker
from geventwebsocket.handler import WebSocketHandler
from gunicorn.glogging import Logger
from gunicorn.workers.ggevent import GeventResponse, PyWSGIHandler


def _env_int(name: str, default: int) -> int:
    """An integer setting from the environment; a typo stops the start instead of a silent default."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name} must be an integer, got {raw!r}") from None


def _grace_seconds() -> int:
    """SHUTDOWN_GRACE_SECONDS (the app's time to pause runs at shutdown), rounded up."""
    raw = os.environ.get("SHUTDOWN_GRACE_SECONDS", "").strip() or "20"
    try:
        return math.ceil(float(raw))
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: SHUTDOWN_GRACE_SECONDS must be a number, got {raw!r}") from None


class JsonAccessLogger(Logger):
    """Access log as one JSON object per line, so log shippers need no regex.

    Logs the path without its query string: queries can carry reset tokens and Socket.IO sids.
    """

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        """The record from the few fields it shows: gunicorn's `atoms` formats every request and
        response header and a local time for each line, most of the log's cost (py-spy)."""
        if not self.access_log_enabled:
            return
        status = str(resp.status).split(None, 1)[0]
        record = {
            # `timezone.utc`, not `UTC`: gunicorn reads every public module-level name as a setting.
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),  # noqa: UP017
            "event": "http.access",
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "status": int(status) if status.isdigit() else status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time / timedelta(milliseconds=1), 3),
            "remote_addr": environ.get("REMOTE_ADDR", "-"),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
            "request_id": environ.get("HTTP_X_REQUEST_ID"),
            "websocket": status == "101",
            "user_agent": environ.get("HTTP_USER_AGENT", "-"),
            "pid": os.getpid(),
        }
        self.access_log.info("%s", json.dumps(record, separators=(",", ":"), default=str))


# Connections waiting for their next request (keep-alive between requests); one worker per process.
_IDLE_HANDLERS: weakref.WeakSet[_WebSocketHandler] = weakref.WeakSet()


class _WebSocketHandler(WebSocketHandler, PyWSGIHandler):
    """gevent-websocket's handler, logging through gunicorn's access logger.

    gevent-websocket logs requests with its own plain-text logger and skips upgrades; gunicorn's
    handler hands every request (WebSockets when they close) to the JSON access log above.
    """

    def log_request(self) -> None:
        """As gunicorn's gevent handler logs, without the request's headers (the record shows none)
        and without turning both instants into local datetimes first."""
        status = self.status.decode() if isinstance(self.status, bytes) else self.status
        response = GeventResponse(status, {}, self.response_length)
        took = timedelta(seconds=self.time_finish - self.time_start)
        self.server.log.access(response, [], self.environ, took)

    def read_requestline(self) -> str:
        _IDLE_HANDLERS.add(self)
        try:
            return super().read_requestline()
        finally:
            _IDLE_HANDLERS.discard(self)


class CatalystWebSocketWorker(GeventWebSocketWorker):
    """gevent worker with WebSocket support, JSON access logs and a prompt graceful stop.

    gunicorn's gevent worker waits at shutdown until every connection is gone, and an idle
    keep-alive connection (nginx keeps a pool of them) never goes by itself: each stop would last
    the whole graceful timeout. Idle connections are closed instead; requests in flight and
    WebSockets keep the full timeout.
    """

    wsgi_handler = _WebSocketHandler
    _stopping = False

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        if self._stopping:
            return
        self._stopping = True
        gevent.spawn(self._close_idle_connections)
        self.runs_drained = threading.Event()
        gevent.spawn(_stop_catalyst, self.wsgi, self.runs_drained)

    @staticmethod
    def _close_idle_connections() -> None:
        while True:
            for handler in list(_IDLE_HANDLERS):
                # The blocked read sees end-of-file, so the handler ends the connection itself.
                with contextlib.suppress(OSError):
                    handler.socket.shutdown(socket.SHUT_RD)
            gevent.sleep(0.2)


def _stop_catalyst(app: Any, drained: threading.Event) -> None:
    """SIGTERM: drain the app's runs, then drop its Socket.IO transports so browsers reconnect to
    another process (web/shutdown.py). Other WSGI apps (benchmarks, probes) are left alone."""
    try:
        from services.holdings import holdings_of
        from web.shutdown import stop_web_process
    except ImportError:  # not Catalyst's process (a probe or a benchmark app): nothing to drain
        drained.set()
        return
    try:
        if holdings_of(app) is not None:
            stop_web_process(app, drained=drained)  # sets `drained` itself, then closes transports
    finally:
        # A drain that failed (or an app that is not Catalyst) must not hold the worker for the
        # whole grace period: the import failing here once made every probe's stop last 31 s.
        drained.set()


def worker_exit(server: Any, worker: Any) -> None:
    """The worker stopped serving (possibly at once, when no connection was open): it must not
    exit before its runs have reached a checkpoint and been released."""
    drained = getattr(worker, "runs_drained", None)
    if drained is not None:
        drained.wait(timeout=_grace_seconds() + 1)


wsgi_app = os.environ.get("GUNICORN_APP", "app:create_app()")
# Same HOST/PORT (and defaults) as `python app.py`; the image sets HOST=0.0.0.0 PORT=8000.
bind = [os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{_env_int('PORT', 5000)}"]
workers = 1
worker_class = CatalystWebSocketWorker
# Greenlets per process: each open Socket.IO connection holds one.
worker_connections = _env_int("GUNICORN_WORKER_CONNECTIONS", 1000)
# The app must be imported after the worker monkey-patches the standard library.
preload_app = False
# Recycling a worker would drop every WebSocket it holds.
max_requests = 0

# A gevent worker reports to the arbiter between greenlet switches; only a greenlet hogging the
# CPU this long gets the process killed. Open WebSockets do not count against it.
timeout = _env_int("GUNICORN_TIMEOUT", 60)
# On SIGTERM: stop accepting, let requests finish and runs pause (the app's SHUTDOWN_GRACE_SECONDS),
# then force-close what is left 5 s later. Keep the container's stop grace period above this
# (docker-compose.yml: stop_grace_period).
graceful_timeout = _grace_seconds() + 5
# Note: this worker parses HTTP with gevent's pywsgi, not gunicorn's parser, so keepalive,
# forwarded_allow_ips and secure_scheme_headers only matter if the worker class ever changes.
# pywsgi keeps idle connections until nginx closes them (its upstream keepalive: 60 s), and the
# app's ProxyFix (PROXY_FIX_X_FOR/PROTO/HOST=1) reads the headers nginx overwrites.
keepalive = _env_int("GUNICORN_KEEPALIVE", 75)
# Only nginx may claim https.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Heartbeat files on tmpfs: a disk-backed /tmp can stall the heartbeat under I/O load.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - Gunicorn's own files
# Gunicorn's control socket lives in $HOME by default and would collide between processes.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logger_class = JsonAccessLogger
proc_name = os.environ.get("GUNICORN_PROC_NAME", "catalyst-app")
