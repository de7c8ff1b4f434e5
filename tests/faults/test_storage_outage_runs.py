"""Runs in flight when storage goes away: a 20 s PostgreSQL outage, a full disk under SQLite.

Before, the first failed write (an event, an AI settlement, a checkpoint) failed the run, or its
own `run.failed` could not be stored and the run stayed `running` forever. Now the run's writes
wait the outage out and the run completes, every event once, no AI reservation left open.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.deploy.processes import ServerProcess
from tests.support.postgres_cluster import PrivatePostgres, seed_catalyst
from tests.support.redis_server import PrivateRedis
from tests.support.server import REPO_ROOT, CatalystServer, Database, base_env, example_brief, seed_database
from tests.support.tmpfs import SmallDisk
from tests.support.watch import RunWatcher

pytestmark = pytest.mark.slow

FINISHED = ("completed", "failed", "cancelled", "paused")
WORKER = [sys.executable, "-m", "flask", "--app", "app", "worker", "--poll-seconds", "0.5"]


def _rows(database: Database, sql: str, **params: Any) -> list[dict[str, Any]]:
    engine = create_engine(database.url)
    try:
        with engine.connect() as conn:
            return [dict(row) for row in conn.execute(text(sql), params).mappings()]
    finally:
        engine.dispose()


def _start_runs(server: CatalystServer, token: str, count: int) -> list[str]:
    ids = []
    for n in range(count):
        response = requests.post(
            server.base_url + "/api/runs", json=example_brief(name=f"Outage {n}", budget="250000"),
            headers={"Authorization": f"Bearer {token}"}, timeout=30,
        )  # fmt: skip
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def _wait(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001, S110 - storage may still be coming back
            pass
        time.sleep(0.2)
    raise TimeoutError(what)


def _assert_each_ended_complete(database: Database, run_ids: list[str]) -> None:
    for run_id in run_ids:
        status = _rows(database, "select status, error from runs where id = :id", id=run_id)[0]
        assert status["status"] == "completed", status
        events = _rows(database, "select seq, type, key from run_events where run_id = :id order by seq", id=run_id)
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        keys = [e["key"] for e in events if e["key"]]
        assert len(keys) == len(set(keys))
        assert [e["type"] for e in events].count("run.completed") == 1
        agents = [e["key"] for e in events if e["type"] == "agent.completed"]
        assert len(agents) == len(set(agents)) >= 7
    held = _rows(database, "select run_id, call_key from ai_calls where status = 'reserved'")
    assert held == [], held


@pytest.mark.parametrize("executor", ["inline", "queue"])
def test_a_20_second_postgres_outage_is_waited_out_by_every_run_in_flight(tmp_path: Path, executor: str) -> None:
    with PrivatePostgres(tmp_path / "pg") as cluster, ExitStack() as stack:
        database, accounts = seed_catalyst(cluster, tmp_path, {"exec": ("executive", "Acme")})
        token = accounts["exec"].token
        env = {"OFFLINE_PACE_SECONDS": "0.4", "API_RATE_LIMIT": "10000/minute", "LOG_LEVEL": "INFO"}
        if executor == "queue":
            redis = PrivateRedis(tmp_path).start()
            stack.callback(redis.stop)
            env.update(REDIS_URL=redis.url, RUN_EXECUTOR="queue")
        server = stack.enter_context(CatalystServer(database, tmp_path, env=env))
        worker = None
        if executor == "queue":
            worker = ServerProcess(WORKER, None, tmp_path / "worker.log", env=base_env(database, **env),
                                   cwd=REPO_ROOT).start()  # fmt: skip
            stack.callback(worker.stop)
        watcher = RunWatcher(server.base_url, token=token).connect()
        stack.callback(watcher.disconnect)
        run_ids = _start_runs(server, token, 4)
        for run_id in run_ids:
            watcher.watch(run_id)
        _wait(lambda: all(
            len(_rows(database, "select id from run_events where run_id = :id", id=run_id)) >= 6
            for run_id in run_ids
        ), 60, "every run to be under way")  # fmt: skip
        cluster.stop()
        time.sleep(20)
        assert server.process is not None and server.process.poll() is None
        cluster.start()
        _wait(lambda: all(
            _rows(database, "select status from runs where id = :id", id=run_id)[0]["status"] in FINISHED
            for run_id in run_ids
        ), 180, "every run to finish")  # fmt: skip
        _assert_each_ended_complete(database, run_ids)
        assert server.process.poll() is None, server.output()[-3000:]
        if worker is not None:
            assert worker.process.poll() is None, worker.output()[-3000:]
        # The socket delivered every stored event, in order, without a reload.
        for run_id in run_ids:
            watcher.wait_finished(run_id, timeout=60)
            stored = _rows(database, "select seq from run_events where run_id = :id order by seq", id=run_id)
            assert watcher.seqs(run_id) == [row["seq"] for row in stored]


def test_a_run_on_a_full_disk_waits_and_completes_when_space_returns(tmp_path: Path) -> None:
    with SmallDisk(tmp_path / "disk", size_mb=48) as disk:
        database, accounts = seed_database(disk.path, "sqlite", {"exec": ("executive", "Acme")})
        env = {"OFFLINE_PACE_SECONDS": "0.4", "LOG_LEVEL": "INFO"}
        with CatalystServer(database, tmp_path, env=env) as server:
            (run_id,) = _start_runs(server, accounts["exec"].token, 1)
            _wait(lambda: len(_rows(database, "select id from run_events where run_id = :id", id=run_id)) >= 6,
                  60, "the run to be under way")  # fmt: skip
            disk.fill()
            before = len(_rows(database, "select id from run_events where run_id = :id", id=run_id))
            time.sleep(8)
            status = _rows(database, "select status from runs where id = :id", id=run_id)[0]["status"]
            assert status == "running"  # not failed: nothing it did was wrong
            disk.drain()
            _wait(lambda: _rows(database, "select status from runs where id = :id", id=run_id)[0]["status"]
                  in FINISHED, 180, "the run to finish")  # fmt: skip
            after = len(_rows(database, "select id from run_events where run_id = :id", id=run_id))
            assert after > before
            _assert_each_ended_complete(database, [run_id])
