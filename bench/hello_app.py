"""The baseline of bench/http_api.py: a bare Flask "hello", served exactly as Catalyst is.

    gunicorn -c gunicorn.conf.py bench.hello_app:app

Same gunicorn.conf.py (gevent-websocket worker, one worker, JSON access log) and the same nginx
template in front; only the application differs, so the ratio is the cost of Catalyst's own
request path (sessions, auth, security headers, database, templates).
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
