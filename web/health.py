"""Liveness and readiness probes."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Blueprint, jsonify
from sqlalchemy import false, update
from sqlalchemy.exc import SQLAlchemyError

from services.db import db
from services.holdings import holdings
from services.models import Run
from services.storage_errors import reason as storage_reason
from web.security_headers import plain_http_allowed

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

# Below this much free space next to an SQLite file, writes are about to fail with "disk is full".
MIN_FREE_BYTES = 1024 * 1024


# Probes speak plain HTTP to the process itself (Docker, load balancers): never redirect them.
@bp.get("/health")
@plain_http_allowed
def live():  # noqa: ANN201
    """The process answers; checks nothing else, so a slow database never restarts the app."""
    return jsonify(status="ok")


@bp.get("/health/ready")
@plain_http_allowed
def ready():  # noqa: ANN201
    """Ready means requests can succeed, writes included: a read-only or full database is not ready."""
    checks: dict[str, dict[str, str]] = {"database": _database_check()}
    redis_client = holdings().redis
    if redis_client is not None:
        try:
            redis_client.ping()
            checks["redis"] = {"status": "ok"}
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            checks["redis"] = {"status": "down", "error": type(exc).__name__}
    healthy = all(c["status"] == "ok" for c in checks.values())
    body: dict = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not healthy:
        body["reason"] = ", ".join(
            f"{name}: {c.get('reason', 'down')}" for name, c in checks.items() if c["status"] != "ok"
        )
    return jsonify(body), 200 if healthy else 503


def _database_check() -> dict[str, str]:
    """A write that matches no row, rolled back: cheap, leaves nothing behind, and still refused by
    a read-only PostgreSQL (default_transaction_read_only, hot standby: 25006) or a read-only SQLite
    file, because both check writability when the statement starts. It cannot see a full disk (a
    rolled-back write needs no space), so for SQLite the free space next to its files is checked;
    a full PostgreSQL disk shows as failing writes or a server that stopped.
    """
    try:
        with db.engine.connect() as conn:
            transaction = conn.begin()
            try:
                runs = Run.__table__
                conn.execute(update(runs).where(false()).values(id=runs.c.id))
            finally:
                transaction.rollback()
    except SQLAlchemyError as exc:
        found = storage_reason(exc) or "error"
        log.warning("readiness: database not writable", extra={"reason": found, "error": type(exc).__name__})
        return {"status": "down", "reason": found, "error": type(exc).__name__}
    for directory in _sqlite_directories():
        free = _free_bytes(directory)
        if free is not None and free < MIN_FREE_BYTES:
            log.warning("readiness: disk full", extra={"free_bytes": free})
            return {"status": "down", "reason": "disk_full", "error": f"less than {MIN_FREE_BYTES} bytes free"}
    return {"status": "ok"}


def _sqlite_directories() -> list[Path]:
    """Where SQLite writes: the database's directory and the instance path (run checkpoints)."""
    if db.engine.dialect.name != "sqlite":
        return []
    directories = []
    database = db.engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        directories.append(Path(database).resolve().parent)
    settings = holdings().settings
    instance = getattr(settings, "instance_path", None)
    if instance is not None:
        directories.append(Path(instance))
    return directories


def _free_bytes(directory: Path) -> int | None:
    try:
        stats = os.statvfs(directory)
    except OSError:
        return None
    return stats.f_bavail * stats.f_frsize
