"""A minimal Flask-SocketIO app served by the shipped gunicorn.conf.py in deploy tests.

It stands in for app.py so the server settings (worker class, WebSocket support, access log,
graceful shutdown) are tested without the whole application.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from flask import Flask, jsonify, request
from flask_socketio import SocketIO
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
socketio = SocketIO(app, async_mode="gevent")
if os.environ.get("PROBE_BEHIND_PROXY"):
    # As the real app in docker-compose.yml: one proxy hop for address, scheme and host.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]


@app.get("/health")
def health() -> Any:
    """Liveness, as the real app answers it; names the process so tests can see stickiness."""
    return jsonify(status="ok", process=os.environ.get("PROBE_NAME", "probe"))


@app.get("/whoami")
def whoami() -> Any:
    """What the app sees of the request after gunicorn: scheme and forwarding headers."""
    return jsonify(
        scheme=request.scheme,
        host=request.host,
        remote_addr=request.remote_addr,
        forwarded_for=request.headers.get("X-Forwarded-For"),
        process=os.environ.get("PROBE_NAME", "probe"),
    )


@app.get("/slow")
def slow() -> Any:
    """A request still in flight when shutdown starts (gevent makes the sleep cooperative)."""
    marker = request.args.get("marker")
    if marker:
        Path(marker).touch()
    time.sleep(float(request.args.get("seconds", "1")))
    return jsonify(status="done")


@socketio.on("echo")
def echo(data: Any) -> Any:
    """Acknowledge with the same payload and the serving process."""
    return {"data": data, "process": os.environ.get("PROBE_NAME", "probe")}
