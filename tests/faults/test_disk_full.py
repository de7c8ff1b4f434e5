"""A full disk under a running server (SQLite on a small tmpfs the test fills to the last byte).

Before the fix `POST /api/runs` answered 500 with no message. It must answer 503 "storage
unavailable" in the stable error shape with Retry-After, leave nothing half-written (no run row
without its audit entry, no events, nothing queued), and work again once space is freed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.server import CatalystServer, example_brief, seed_database
from tests.support.tmpfs import SmallDisk

pytestmark = pytest.mark.timeout(240)


def counts(db_path: Path) -> dict[str, int]:
    """Rows per table, read through a read-only connection (reads work on a full disk)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in ("runs", "run_events", "audit_log")
        }
    finally:
        conn.close()


def truncate_wal(db_path: Path) -> None:
    """Empty the WAL, so the next commit must allocate disk blocks (an old WAL would be reused)."""
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        deadline = time.monotonic() + 30
        while conn.execute("pragma wal_checkpoint(TRUNCATE)").fetchone()[0] != 0:  # 1: busy
            assert time.monotonic() < deadline, "the WAL never checkpointed"
            time.sleep(0.1)
    finally:
        conn.close()


@pytest.fixture
def full_disk_server(tmp_path: Path) -> Iterator[tuple[SmallDisk, CatalystServer, str, Path]]:
    with SmallDisk(tmp_path / "disk", size_mb=32) as disk:
        database, accounts = seed_database(disk.path, "sqlite", {"exec": ("executive", "Acme")})
        server = CatalystServer(database, tmp_path, env={"OFFLINE_PACE_SECONDS": "0.01"})  # log off the tmpfs
        server.start(timeout=60)
        try:
            yield disk, server, accounts["exec"].token, disk.path / "live.db"
        finally:
            server.stop()
            disk.drain()


def test_create_run_on_a_full_disk_is_503_and_writes_nothing(full_disk_server) -> None:
    disk, server, token, db_path = full_disk_server
    bearer = {"Authorization": f"Bearer {token}"}
    api = server.base_url + "/api"
    assert requests.get(api + "/runs", headers=bearer, timeout=30).status_code == 200  # token's last use recorded
    truncate_wal(db_path)
    before = counts(db_path)
    disk.fill()

    for _ in range(5):
        response = requests.post(api + "/runs", json=example_brief(), headers=bearer, timeout=60)
        assert response.status_code == 503, (response.status_code, response.text[:500])
        assert int(response.headers["Retry-After"]) > 0
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
        assert body["error"]["code"] == "storage_unavailable"
        assert "storage" in body["error"]["message"].lower()
        assert body["error"]["details"] == {"reason": "disk_full"}
    assert counts(db_path) == before, "a refused run left rows behind"
    assert requests.get(server.base_url + "/health", timeout=30).status_code == 200
    ready = requests.get(server.base_url + "/health/ready", timeout=30)
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"]["reason"] == "disk_full"
    assert server.process is not None and server.process.poll() is None

    disk.drain()
    assert requests.get(server.base_url + "/health/ready", timeout=30).status_code == 200
    created = requests.post(api + "/runs", json=example_brief(), headers=bearer, timeout=60)
    assert created.status_code == 201, created.text[:500]
    run_id = created.json()["id"]
    deadline = time.monotonic() + 90
    while True:
        status = requests.get(f"{api}/runs/{run_id}", headers=bearer, timeout=30).json()["status"]
        if status in ("completed", "failed", "cancelled") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == "completed"
    after = counts(db_path)
    assert after["runs"] == before["runs"] + 1
    assert after["audit_log"] >= before["audit_log"] + 1
