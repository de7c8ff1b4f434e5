"""Readiness tells the truth about writes: a read-only or full database is not ready.

Before the fix `/health/ready` ran `SELECT 1` and said 200 while every POST failed with 500. Now
it runs a write that matches no row in a rolled-back transaction (refused by a read-only
PostgreSQL or SQLite) and, for SQLite, checks the free space next to its files. `/health`
(liveness) never touches the database, with or without a session cookie.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.support.postgres_cluster import PrivatePostgres, seed_catalyst
from tests.support.server import CatalystServer, example_brief, seed_database
from tests.support.tmpfs import SmallDisk

pytestmark = pytest.mark.timeout(240)


def wait_ready(server: CatalystServer, status: int, timeout: float = 60.0) -> requests.Response:
    """Poll readiness until it answers `status` (a config reload reaches sessions asynchronously)."""
    deadline = time.monotonic() + timeout
    while True:
        response = requests.get(server.base_url + "/health/ready", timeout=30)
        if response.status_code == status or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


@pytest.fixture
def pg_server(tmp_path: Path) -> Iterator[tuple[PrivatePostgres, CatalystServer, str]]:
    with PrivatePostgres(tmp_path) as pg:
        database, accounts = seed_catalyst(pg, tmp_path, {"exec": ("executive", "Acme")})
        server = CatalystServer(database, tmp_path)
        server.start(timeout=60)
        try:
            yield pg, server, accounts["exec"].token
        finally:
            server.stop()


def test_read_only_postgres_is_not_ready(pg_server) -> None:
    pg, server, token = pg_server
    bearer = {"Authorization": f"Bearer {token}"}
    assert wait_ready(server, 200).status_code == 200

    pg.set_read_only(True)  # what clients of a hot standby see, too
    ready = wait_ready(server, 503)
    assert ready.status_code == 503, ready.text
    body = ready.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["database"]["reason"] == "read_only"
    assert "read_only" in body["reason"]
    refused = requests.post(server.base_url + "/api/runs", json=example_brief(), headers=bearer, timeout=30)
    assert refused.status_code == 503, refused.text[:500]
    assert refused.headers["Retry-After"]
    assert refused.json()["error"]["details"] == {"reason": "read_only"}
    assert requests.get(server.base_url + "/health", timeout=30).status_code == 200

    pg.set_read_only(False)
    assert wait_ready(server, 200).status_code == 200
    created = requests.post(server.base_url + "/api/runs", json=example_brief(), headers=bearer, timeout=30)
    assert created.status_code == 201, created.text[:500]


def test_liveness_never_needs_the_database(pg_server) -> None:
    pg, server, _token = pg_server
    browser = server.login("exec@acme.example.com")  # a session cookie: SQL-backed sessions read the database
    pg.stop()
    for client in (requests, browser):
        assert client.get(server.base_url + "/health", timeout=30).status_code == 200
        ready = client.get(server.base_url + "/health/ready", timeout=30)
        assert ready.status_code == 503
        assert ready.json()["checks"]["database"]["reason"] == "connection"


def test_full_sqlite_disk_is_not_ready(tmp_path: Path) -> None:
    with SmallDisk(tmp_path / "disk", size_mb=32) as disk:
        database, _accounts = seed_database(disk.path, "sqlite", {"exec": ("executive", "Acme")})
        with CatalystServer(database, tmp_path) as server:
            try:
                assert wait_ready(server, 200).status_code == 200
                disk.fill()
                ready = requests.get(server.base_url + "/health/ready", timeout=30)
                assert ready.status_code == 503
                assert ready.json()["checks"]["database"]["reason"] == "disk_full"
                assert requests.get(server.base_url + "/health", timeout=30).status_code == 200
                disk.drain()
                assert wait_ready(server, 200).status_code == 200
            finally:
                disk.drain()
