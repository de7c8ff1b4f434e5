"""SIGTERM to an app process that executes runs itself (RUN_EXECUTOR=inline): the run drains to a
checkpoint, is released, and the other app process finishes it; gunicorn exits 0."""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
import requests

from tests.deploy.nginx_tools import free_port
from tests.deploy.processes import ServerProcess
from tests.e2e.conftest import (
    GRACE_SECONDS,
    PG_NAME,
    REDIS_URL,
    SPECIALISTS,
    PacedOpenAI,
    app_env,
    app_process,
    wait_for,
)
from tests.support.server import base_env, example_brief, seed_database

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(180)]


def parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:")))


@pytest.fixture
def inline_pair(tmp_path: Path) -> Iterator[tuple[dict[int, ServerProcess], str, str, PacedOpenAI]]:
    redis.Redis.from_url(REDIS_URL).flushdb()
    database, accounts = seed_database(tmp_path, "postgres", {"exec": ("executive", "Acme")}, pg_name=PG_NAME)
    with PacedOpenAI() as llm:
        env = base_env(database, **{**app_env(database.env(), llm), "RUN_EXECUTOR": "inline"})
        ports = [free_port(), free_port()]
        apps = {port: app_process(port, tmp_path / f"app-{port}.log", env) for port in ports}
        try:
            for process in apps.values():
                process.start()
                process.wait_until_serving()
            yield apps, database.url, accounts["exec"].token, llm
        finally:
            for process in apps.values():
                process.stop()
            redis.Redis.from_url(REDIS_URL).flushdb()


def test_sigterm_drains_an_inline_run_and_the_other_process_finishes_it(inline_pair):
    apps, database_url, token, llm = inline_pair
    # Undrained, reviewer and reporter would keep the process past the grace period.
    llm.delays.update({**{name: 2.0 for name in SPECIALISTS}, "reviewer": 1.0, "reporter": GRACE_SECONDS})
    first = next(iter(apps))
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}
    url = f"http://127.0.0.1:{first}/api/runs"
    response = requests.post(url, json=example_brief(name="Inline"), headers=headers, timeout=15)
    assert response.status_code == 201, response.text
    run_id = response.json()["id"]

    def query(sql: str) -> list[dict]:
        with psycopg.connect(database_url, row_factory=psycopg.rows.dict_row) as conn:
            return conn.execute(sql, (run_id,)).fetchall()

    def started_specialists() -> set[str]:
        rows = query("select agent from run_events where run_id = %s and type = 'agent.started'")
        return {row["agent"] for row in rows}

    wait_for(lambda: started_specialists() >= set(SPECIALISTS), 30, "every specialist to be working")
    owner = query("select owner from runs where id = %s")[0]["owner"]
    master = parent_of(int(owner.split("|")[2]))
    holder = next(process for process in apps.values() if process.process.pid == master)
    holder.signal(signal.SIGTERM)
    assert holder.wait(timeout=GRACE_SECONDS + 60) == 0, holder.output()[-3000:]
    # Drained at its next LLM call, not released at the deadline (whatever the machine's load).
    assert "run released at shutdown" in holder.output()
    assert "still executing after the grace period" not in holder.output()

    wait_for(lambda: query("select status from runs where id = %s")[0]["status"] == "completed", 60,
             "the other process to complete the run")  # fmt: skip
    events = query("select seq, type, agent from run_events where run_id = %s order by seq")
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    completed = Counter(e["agent"] for e in events if e["type"] == "agent.completed")
    assert all(count == 1 for count in completed.values()) and set(completed) >= set(SPECIALISTS), completed
    calls = llm.calls()
    for agent in (*SPECIALISTS, "reviewer"):
        assert calls[agent] == 1, f"{agent} ran twice: {calls}"
    assert "run released at shutdown" in holder.output()
    assert query("select recoveries from runs where id = %s")[0]["recoveries"] == 0, "a hand-over is no crash"
