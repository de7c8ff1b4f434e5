"""Wiring live runs into the app: the run service, Socket.IO namespace and metrics.

When runs start executing in a process: when it starts serving — `python app.py` starts at once,
and any server (gunicorn, `flask run`) starts with its first real request or socket at the latest.
A real server sets SERVER_SOFTWARE in the WSGI environ; the test client and CLI commands never
do, so `flask users create`, scripts and tests that build an app do not pick up runs (tests call
`start_live(app)` when they want a scheduler). With RUN_EXECUTOR=queue the web processes never
execute runs: worker processes do (`services.worker`, `flask --app app worker`).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, request

from services.db import db
from services.holdings import holdings
from services.runs import RunService
from services.runs.wiring import build_run_wiring
from web.extensions import socketio
from web.socket_binding import SocketBinding
from web.websocket_connections import WebSocketConnections

log = logging.getLogger(__name__)


def start_live(app: Flask) -> None:
    """Start this process's background work: executing runs (inline mode) and disconnect relays."""
    state = holdings(app).live
    if state["started"]:
        return
    state["started"] = True
    settings = holdings(app).settings
    state["disconnects"].start(socketio.start_background_task)
    notifier = holdings(app).run_service().wiring.notifier
    if notifier is not None:  # webhooks and email go out from every serving process
        notifier.start()
    if settings.run_executor == "inline":
        holdings(app).runs.start()


def init_live(app: Flask) -> None:
    """Build the run service on the run wiring, and register the namespace and metrics."""
    from web.metrics import bp as metrics_bp
    from web.sockets import publish_event, publish_run_summary, register_namespace

    settings = holdings(app).settings
    with app.app_context():
        engine = db.engine
    # Dashboards learn of every run queued (or queued again), whatever executes it.
    wiring = build_run_wiring(settings, engine, announce=publish_run_summary)
    holdings(app).runs = RunService(
        wiring, publish=publish_event, spawn=socketio.start_background_task, context=app.app_context
    )
    disconnects = register_namespace(app)
    holdings(app).live = {"started": False, "disconnects": disconnects}
    # Outside Socket.IO's middleware: the session id is checked before Engine.IO sees the request.
    app.wsgi_app = SocketBinding(app.wsgi_app, socketio.server, app.config)
    # Outside Socket.IO's middleware, so it sees every WebSocket Engine.IO serves (shutdown closes them).
    websockets = WebSocketConnections(app.wsgi_app)
    app.wsgi_app = websockets
    holdings(app).websockets = websockets
    app.register_blueprint(metrics_bp)
    # Requests start it here; Socket.IO handshakes, which never reach `before_request`, through holdings.
    holdings(app).start_when_serving = lambda environ: start_when_serving(app, environ)
    app.before_request(lambda: start_when_serving(app, request.environ))


def start_when_serving(app: Flask, environ: dict[str, Any]) -> None:
    """Start background work on the first request a real server hands us (not a test client's)."""
    if not holdings(app).live["started"] and environ.get("SERVER_SOFTWARE"):
        start_live(app)
