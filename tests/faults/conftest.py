"""Fault tests: real server and worker processes around a private redis-server the test stops."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.deploy.processes import ServerProcess
from tests.support.redis_server import PrivateRedis
from tests.support.server import (
    REPO_ROOT,
    Account,
    CatalystServer,
    Database,
    base_env,
    example_brief,
    seed_database,
)

WORKER_COMMAND = [sys.executable, "-m", "flask", "--app", "app", "worker", "--poll-seconds", "0.5"]


@dataclass
class QueueStack:
    """One web process (`python app.py`, RUN_EXECUTOR=queue) and its workers on a private Redis."""

    tmp: Path
    redis: PrivateRedis
    database: Database
    account: Account
    env: dict[str, str]
    web: CatalystServer
    workers: list[ServerProcess]

    def start_worker(self) -> ServerProcess:
        log_path = self.tmp / f"worker-{len(self.workers) + 1}.log"
        env = base_env(self.database, **self.env)
        worker = ServerProcess(WORKER_COMMAND, None, log_path, env=env, cwd=REPO_ROOT)
        self.workers.append(worker.start())
        return worker

    def start_run(self, name: str) -> str:
        response = requests.post(
            self.web.base_url + "/api/runs",
            json=example_brief(name=name),
            headers={"Authorization": f"Bearer {self.account.token}"},
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def run_row(self, run_id: str) -> dict[str, Any]:
        """The run as the database has it (SQLite: read straight from the file)."""
        with sqlite3.connect(self.database.url.removeprefix("sqlite:///"), timeout=30) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("select status, owner, last_seq from runs where id = ?", (run_id,)).fetchone()
        return dict(row)

    def assert_workers_alive(self) -> None:
        for worker in self.workers:
            code = worker.process.poll()
            assert code is None, f"a worker exited with {code}:\n{worker.output()}"


@pytest.fixture
def queue_stack(tmp_path: Path) -> Iterator[Callable[..., QueueStack]]:
    """A factory: `queue_stack(OFFLINE_PACE_SECONDS="0.05")` starts Redis, the web process, one worker."""
    started: list[QueueStack] = []

    def build(**env: Any) -> QueueStack:
        private = PrivateRedis(tmp_path).start()
        database, accounts = seed_database(tmp_path, "sqlite", {"exec": ("executive", "Acme")})
        settings = {"REDIS_URL": private.url, "RUN_EXECUTOR": "queue", "LOG_LEVEL": "INFO", **env}
        web = CatalystServer(database, tmp_path, env=settings, name="web")
        stack = QueueStack(tmp_path, private, database, accounts["exec"], settings, web, [])
        started.append(stack)
        web.start(timeout=60)
        stack.start_worker()
        return stack

    yield build
    for stack in started:
        for worker in stack.workers:
            worker.stop()
        stack.web.stop()
        stack.redis.stop()
