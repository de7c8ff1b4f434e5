"""One error vocabulary per channel: JSON under /api/, friendly HTML pages elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed, NotFound

from services.db import db
from services.storage_errors import reason as storage_reason

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
# How long a client should wait before retrying while the database is unreachable, full or read-only.
STORAGE_RETRY_AFTER_SECONDS = 5
STORAGE_MESSAGE = "Storage is unavailable right now; nothing was changed. Try again shortly."


class ApiError(Exception):
    """Raise from an API view to answer with the error shape."""

    def __init__(
        self, status: int, message: str, *, code: str | None = None, details: Any = None, headers: dict | None = None
    ):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.details = details
        self.headers = headers


def error_response(
    status: int, message: str, *, code: str | None = None, details: Any = None, headers: dict | None = None
) -> Response:
    body = {"error": {"code": code or CODES.get(status, "error"), "message": message, "details": details}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def validation_details(exc: ValidationError) -> list[dict[str, str]]:
    """Pydantic errors as field/message pairs a client can put next to its inputs."""
    return [
        {"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _http_error(exc: HTTPException) -> Response | tuple[str, int, dict[str, str]]:
    status = exc.code or 500
    # Flask wraps errors raised outside the view (opening or saving an SQL-backed session) in a 500.
    original = getattr(exc, "original_exception", None)
    if status == 500 and original is not None:
        found = storage_reason(original)
        if found is not None:
            return storage_unavailable_response(found, type(original).__name__)
    headers = {}
    retry_after = _retry_after(exc)
    if retry_after:
        headers["Retry-After"] = retry_after
    valid_methods = getattr(exc, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(sorted(valid_methods))
    message = exc.description if status < 500 else "Something went wrong on our side."
    if wants_json():
        return error_response(status, message, headers=headers)
    return render_template("errors/error.html", status=status, message=message), status, headers


def _retry_after(exc: HTTPException) -> str | None:
    """When a refused request may come again: the refusal's own header."""
    if exc.response is not None and exc.response.headers.get("Retry-After"):
        return exc.response.headers["Retry-After"]
    return None


def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.message, code=exc.code, details=exc.details, headers=exc.headers)


def _csrf_error(exc: CSRFError) -> Response | tuple[str, int]:
    message = "The form expired or is missing its security token. Reload the page and try again."
    if wants_json():
        return error_response(400, message, code="csrf_failed")
    return render_template("errors/error.html", status=400, message=message), 400


def storage_unavailable_response(found: str, error: str) -> Response | tuple[str, int, dict]:
    """503 + Retry-After: the database is unreachable, full or read-only, which a retry can cure.

    Never 400 or 500, which tell clients the request itself is wrong or the server is broken. The
    log line carries only the exception type and the reason: driver messages quote SQL parameters.
    """
    _rollback_quietly()
    g.storage_unavailable = True  # after_request hooks must not load the user from the database now
    log.warning("storage unavailable", extra={"reason": found, "error": error, "path": request.path})
    headers = {"Retry-After": str(STORAGE_RETRY_AFTER_SECONDS)}
    if wants_json():
        return error_response(
            503, STORAGE_MESSAGE, code="storage_unavailable", details={"reason": found}, headers=headers
        )
    # A page of its own: base.html asks for current_user and a CSRF token, both of which need storage.
    return render_template("errors/unavailable.html", message=STORAGE_MESSAGE), 503, headers


def _rollback_quietly() -> None:
    """Roll the view's work back; with the connection gone that can fail too, which changes nothing."""
    try:
        db.session.rollback()
    except SQLAlchemyError as exc:
        log.warning("rollback failed", extra={"error": type(exc).__name__})


def _unexpected(exc: Exception) -> Response | tuple[str, int]:
    found = storage_reason(exc)
    if found is not None:
        return storage_unavailable_response(found, type(exc).__name__)
    _rollback_quietly()
    log.exception("unhandled error")
    message = "Something went wrong on our side. The error was logged."
    if wants_json():
        return error_response(500, message)
    return render_template("errors/error.html", status=500, message=message), 500


def _query_must_be_utf8() -> None:
    """Raw non-UTF-8 bytes in a query string are the client's mistake: a 400, not a crash later."""
    try:
        request.query_string.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The query string is not valid UTF-8.") from None


def _session_store_gate() -> Response | tuple[str, int, dict] | None:
    """The SQL session store could not be read (web/sessions.py left a null session and a flag):
    answer 503 before anything mistakes the missing session for a logged-out user or a bad CSRF
    token. The probes still answer: liveness never needs the database, readiness says why."""
    found = g.get("session_storage_unavailable")
    if found is None or request.endpoint in _UNGATED_ENDPOINTS:
        return None
    return storage_unavailable_response(found, "session store")


_UNGATED_ENDPOINTS = frozenset({"health.live", "health.ready", "static"})


def reject_unrouted() -> None:
    """A path no route has, or a method its route lacks: 404, or 405 with Allow, before a CSRF or
    login check can answer something else about a request that cannot succeed."""
    found = request.routing_exception
    if isinstance(found, (NotFound, MethodNotAllowed)):
        raise found


def init_errors(app: Flask) -> None:
    app.before_request(_query_must_be_utf8)
    app.before_request(_session_store_gate)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
