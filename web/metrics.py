"""GET /metrics: Prometheus text format, for admins (session) or with the METRICS_TOKEN bearer."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, request
from flask_login import current_user
from prometheus_client import CONTENT_TYPE_LATEST

from services.db import db
from services.metrics import exposition
from web.errors import error_response

bp = Blueprint("metrics", __name__)


def _bearer() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@bp.get("/metrics")
def scrape() -> Response:
    settings = current_app.extensions["catalyst.settings"]
    token = _bearer()
    expected = settings.metrics_token
    if token is not None and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return Response(exposition(db.engine), content_type=CONTENT_TYPE_LATEST)
    if not current_user.is_authenticated:
        return error_response(401, "Metrics need an admin session or the metrics bearer token.")
    if not current_user.is_admin:
        return error_response(403, "Only admins can read metrics.")
    return Response(exposition(db.engine), content_type=CONTENT_TYPE_LATEST)
