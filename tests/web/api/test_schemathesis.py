"""Schemathesis against the live app: every operation of the generated document, all checks.

The app runs on SQLite behind a real HTTP server in a thread; schemathesis (its CLI, the interface
its docs keep stable) loads /api/openapi.json from it and calls every operation with an admin's
bearer token: examples, coverage, fuzzing and stateful phases, with every check it has (server
errors, status codes, content types, response schemas and headers, positive and negative data,
use after free, resource availability, ignored auth, ...). It must find nothing.

Deterministic and bounded: a fixed seed with deterministic generation, few examples per
operation, one worker, no example database. The API's rate limit is raised for this app only, so
the fuzzer's burst is not answered 429 (the limit itself is tested elsewhere).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import update
from werkzeug.serving import make_server

from services import accounts, users
from services.db import db
from services.holdings import holdings
from services.models import ApiToken, User
from tests.conftest import PASSWORD, build_app, release_app

MAX_EXAMPLES = 12
SEED = 14
RUN_TIMEOUT_SECONDS = 240
HOOKS = "tests.web.api.schemathesis_hooks"
ROOT = Path(__file__).resolve().parents[3]
# The id of the token the fuzz authenticates with: the hooks keep DELETE /api/tokens/{token_id}
# (which the stateful phase links to GET /api/tokens) off it, or the rest of the run would be 401s.
FUZZ_TOKEN_ID = 987_654_321
# GET /metrics takes the operators' token, not an API token: without it the fuzz only ever sees 401.
METRICS_TOKEN = "schemathesis-metrics-token-0123456789"


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[Flask]:
    app = build_app(tmp_path, "sqlite", api_rate_limit="100000/minute", metrics_token=METRICS_TOKEN)
    yield app
    holdings(app).runs.stop()  # the real server's first request started the live work: runs and notifications
    holdings(app).run_service().wiring.notifier.stop()
    release_app(app)


@pytest.fixture
def base_url(live_app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="schemathesis-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def admin_token(app: Flask, email: str = "fuzz-admin@example.com", token_id: int | None = None) -> str:
    with app.app_context():
        created = accounts.create_user(email=email, role="admin", org_name="Acme", password=PASSWORD)
        token, plain = users.create_token(db.session.get(User, created.user.id), "schemathesis")
        if token_id is not None:
            db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(id=token_id))
        db.session.commit()
        return plain


def test_schemathesis_finds_nothing(live_app: Flask, base_url: str, tmp_path: Path) -> None:
    token = admin_token(live_app, token_id=FUZZ_TOKEN_ID)
    # The hooks read state (budget settings, a paused run) as another admin of the same organisation.
    observer = admin_token(live_app, email="fuzz-observer@example.com")
    # Credentials as schemathesis' own auth (not a bare header), so `ignored_auth` knows them and
    # probes each operation without them and with invalid ones.
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        '[auth.openapi.bearer]\nbearer = "${CATALYST_FUZZ_TOKEN}"\n'
        '[auth.openapi.metrics]\nbearer = "${CATALYST_METRICS_TOKEN}"\n'
    )
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run", f"{base_url}/api/openapi.json",
        "--checks", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", str(SEED),
        "--generation-deterministic",
        "--workers", "1",
        "--request-timeout", "30",
        "--no-color",
        "--output-truncate", "false",
    ]  # fmt: skip
    finished = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=RUN_TIMEOUT_SECONDS, check=False,
        env={
            **os.environ, "CATALYST_FUZZ_TOKEN": token, "CATALYST_METRICS_TOKEN": METRICS_TOKEN,
            "CATALYST_FUZZ_TOKEN_ID": str(FUZZ_TOKEN_ID), "CATALYST_OBSERVER_TOKEN": observer,
            "CATALYST_FUZZ_BASE_URL": base_url,
            "SCHEMATHESIS_HOOKS": HOOKS, "PYTHONPATH": str(ROOT),
        },
    )
    report = finished.stdout + finished.stderr
    for secret, shown in ((token, "<token>"), (observer, "<observer token>"), (METRICS_TOKEN, "<metrics token>")):
        report = report.replace(secret, shown)
    assert finished.returncode == 0, report
