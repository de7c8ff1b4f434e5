"""One error vocabulary per channel: JSON under /api/, friendly HTML pages elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from pydantic import ValidationError
from werkzeug.exceptions import BadRequest, HTTPException

from services.db import db

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


class ApiError(Exception):
    """Raise from an API view to answer with the error shape."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.details = details


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


def _http_error(exc: HTTPException) -> Response | tuple[str, int]:
    status = exc.code or 500
    headers = {}
    retry_after = exc.response.headers.get("Retry-After") if exc.response is not None else None
    if retry_after:
        headers["Retry-After"] = retry_after
    valid_methods = getattr(exc, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    message = exc.description if status < 500 else "Something went wrong on our side."
    if wants_json():
        return error_response(status, message, headers=headers)
    page = render_template("errors/error.html", status=status, message=message), status
    return page


def _api_error(exc: ApiError) -> Response:
    return error_response(exc.status, exc.message, code=exc.code, details=exc.details)


def _csrf_error(exc: CSRFError) -> Response | tuple[str, int]:
    message = "The form expired or is missing its security token. Reload the page and try again."
    if wants_json():
        return error_response(400, message, code="csrf_failed")
    return render_template("errors/error.html", status=400, message=message), 400


def _unexpected(exc: Exception) -> Response | tuple[str, int]:
    db.session.rollback()
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


def init_errors(app: Flask) -> None:
    app.before_request(_query_must_be_utf8)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
