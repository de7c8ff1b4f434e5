"""GET /metrics: Prometheus text format, for operators only (the METRICS_TOKEN bearer).

The figures are platform-wide (runs of every organisation), so no organisation's session reads
them, an admin's included.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, request
from flask_login import current_user
from prometheus_client import CONTENT_TYPE_LATEST

from services.db import db
from services.holdings import holdings
from services.metrics import exposition
from web.errors import error_response

bp = Blueprint("metrics", __name__)


def _bearer() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@bp.get("/metrics")
def scrape() -> Response:
    settings = holdings().settings
    token = _bearer()
    expected = settings.metrics_token
    if token is not None and expected and hmac.compare_digest(token.encode(), expected.encode()):
        return Response(exposition(db.engine), content_type=CONTENT_TYPE_LATEST)
    if token is None and current_user.is_authenticated:
        return error_response(403, "Metrics cover every organisation: only operators read them.")
    return error_response(401, "Metrics need the metrics bearer token.")
