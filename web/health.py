"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from services.db import db
from web.extensions import talisman

bp = Blueprint("health", __name__)


# Probes speak plain HTTP to the process itself (Docker, load balancers): never redirect them.
@bp.get("/health")
@talisman(force_https=False)
def live():  # noqa: ANN201
    """The process answers; checks nothing else, so a slow database never restarts the app."""
    return jsonify(status="ok")


@bp.get("/health/ready")
@talisman(force_https=False)
def ready():  # noqa: ANN201
    checks: dict[str, dict[str, str]] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = {"status": "ok"}
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        checks["database"] = {"status": "down", "error": type(exc).__name__}
    redis_client = current_app.extensions.get("catalyst.redis")
    if redis_client is not None:
        try:
            redis_client.ping()
            checks["redis"] = {"status": "ok"}
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = {"status": "down", "error": type(exc).__name__}
    healthy = all(c["status"] == "ok" for c in checks.values())
    return jsonify(status="ok" if healthy else "unavailable", checks=checks), 200 if healthy else 503
