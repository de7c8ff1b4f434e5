"""Liveness never touches the database (issue 11 item 10): with PostgreSQL unreachable `/health` is
200 while `/health/ready` says 503 with the database named."""

from __future__ import annotations

import socket
from pathlib import Path

from app import create_app
from config.settings import load_settings


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on exit: nothing listens there


def test_liveness_answers_while_the_database_is_gone(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_dead_port()}/catalyst"
    app = create_app(load_settings(app_env="test", instance_path=tmp_path / "instance", database_url=url,
                                   log_level="ERROR"))
    client = app.test_client()
    live = client.get("/health")
    assert live.status_code == 200 and live.get_json() == {"status": "ok"}
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.get_json()["checks"]["database"]["status"] == "down"


def test_liveness_answers_on_a_request_that_sweeps_expired_sessions(tmp_path: Path, monkeypatch) -> None:
    """Flask-Session sweeps expired sessions before about one request in 500, at random; with the
    database gone that sweep failed the probe with a 503 (seen once in CI). Here every request sweeps."""
    import flask_session.base

    monkeypatch.setattr(flask_session.base.random, "randint", lambda _low, _high: 0)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_dead_port()}/catalyst"
    app = create_app(load_settings(app_env="test", instance_path=tmp_path / "instance", database_url=url,
                                   log_level="ERROR"))
    live = app.test_client().get("/health")
    assert live.status_code == 200 and live.get_json() == {"status": "ok"}
