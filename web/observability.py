"""Request ids on every log line and response, and one access-log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid

import structlog
from flask import Flask, Response, g, request

log = logging.getLogger("catalyst.access")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _start() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(request_id=g.request_id)


def _finish(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    if not request.path.startswith("/static/"):
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
            },
        )
    return response


def init_observability(app: Flask) -> None:
    app.before_request(_start)
    app.after_request(_finish)
