"""Real Catalyst servers for the live-runs integration tests.

Two deployments: one `python app.py` on SQLite (the embedded default), and two processes on
PostgreSQL sharing Redis (message queue, sessions, rate limits) — watchers on the first, runs
started through the second.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.support.isolation import redis_url
from tests.support.server import Account, CatalystServer, Client, Database, seed_database

REDIS_URL = redis_url(14)
ACCOUNTS = {
    "exec": ("executive", "Acme"),
    "exec2": ("executive", "Acme"),
    "member": ("member", "Acme"),
    "admin": ("admin", "Acme"),
    "flood": ("executive", "Acme"),
    "outsider": ("admin", "Globex"),
}
SERVER_ENV = {
    "OFFLINE_PACE_SECONDS": "0.05",
    "MAX_CONCURRENT_RUNS": "20",
    "SOCKET_EVENT_LIMIT": "100/10 seconds",
    "LOG_LEVEL": "WARNING",
}


@dataclass
class Deployment:
    name: str
    database: Database
    servers: list[CatalystServer]
    accounts: dict[str, Account]

    @property
    def watch_server(self) -> CatalystServer:
        """Where watchers connect."""
        return self.servers[0]

    @property
    def api_server(self) -> CatalystServer:
        """Where runs are started (another process when there are two)."""
        return self.servers[-1]

    def login(self, name: str, server: CatalystServer | None = None) -> Client:
        return (server or self.api_server).login(self.accounts[name].email)


def _start(name: str, backend: str, processes: int, tmp: Path, env: dict[str, str]) -> Deployment:
    database, accounts = seed_database(tmp, backend, ACCOUNTS)
    servers = [CatalystServer(database, tmp, env=env, name=f"{name}-{n}") for n in range(processes)]
    for server in servers:
        server.start()
    return Deployment(name, database, servers, accounts)


@pytest.fixture(scope="module", params=["sqlite", "postgres-redis-2"])
def deployment(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """A running deployment for the whole module, on each of the two set-ups."""
    tmp = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        deployed = _start("sqlite", "sqlite", 1, tmp, SERVER_ENV)
    else:
        redis.Redis.from_url(REDIS_URL).flushdb()
        deployed = _start("pg", "postgres", 2, tmp, {**SERVER_ENV, "REDIS_URL": REDIS_URL})
    try:
        yield deployed
    finally:
        for server in deployed.servers:
            server.stop()


@pytest.fixture
def sqlite_deployment_factory(tmp_path: Path):
    """Start a one-process SQLite deployment with extra environment (stopped after the test)."""
    started: list[Deployment] = []

    def start(**env: str) -> Deployment:
        deployed = _start("single", "sqlite", 1, tmp_path, {**SERVER_ENV, **env})
        started.append(deployed)
        return deployed

    yield start
    for deployed in started:
        for server in deployed.servers:
            server.stop()
