"""`python app.py` (what `make run` serves) drains on SIGTERM (issue 11 item 8): a run in flight stops
at its next step and is released, the process exits 0, and a restarted server finishes the run."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
import requests

from tests.support.server import CatalystServer, example_brief, seed_database

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]


def _run(server: CatalystServer, token: str, run_id: str) -> dict:
    return requests.get(f"{server.base_url}/api/runs/{run_id}", headers={"Authorization": f"Bearer {token}"},
                        timeout=10).json()


def test_sigterm_releases_the_run_exits_zero_and_the_next_server_finishes_it(tmp_path: Path) -> None:
    database, accounts = seed_database(tmp_path, "sqlite", {"exec": ("executive", "Acme")})
    token = accounts["exec"].token
    paced = CatalystServer(database, tmp_path, env={"OFFLINE_PACE_SECONDS": "0.5"}, name="paced").start()
    try:
        created = requests.post(f"{paced.base_url}/api/runs", json=example_brief(),
                                headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        deadline = time.monotonic() + 60
        while _run(paced, token, created["id"])["status"] != "running" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _run(paced, token, created["id"])["status"] == "running"
        paced.process.send_signal(signal.SIGTERM)
        returncode = paced.process.wait(timeout=60)
    finally:
        paced.kill()
    assert returncode == 0, paced.output()[-2000:]

    with CatalystServer(database, tmp_path, env={"OFFLINE_PACE_SECONDS": "0"}, name="next") as after:
        deadline = time.monotonic() + 90
        while _run(after, token, created["id"])["status"] != "completed" and time.monotonic() < deadline:
            time.sleep(0.2)
        run = _run(after, token, created["id"])
    assert run["status"] == "completed", run
