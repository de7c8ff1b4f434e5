"""The production topology on loopback, for the scale-out tests.

nginx (the shipped template, TLS with a self-signed certificate) in front of two gunicorn
processes (the shipped gunicorn.conf.py, RUN_EXECUTOR=queue), `flask --app app worker` processes,
Redis database 13 and the PostgreSQL database `catalyst_test_e2e`, all in production mode. The
LLM is a fake OpenAI endpoint in this process whose answers take as long as each test says, so a
test can interrupt a run at a chosen moment and count which agents were asked again.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
import requests
import socketio
from rq import Worker

from tests.deploy.nginx_tools import NginxLayout, NginxProcess, free_port, render_config
from tests.deploy.processes import ServerProcess, gunicorn_process
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripted import Answer, Behaviour, SeenRequest
from tests.support.isolation import pg_database, redis_url
from tests.support.polling import wait_for
from tests.support.server import REPO_ROOT, base_env, example_brief, seed_database
from tests.support.watch import RunWatcher

REDIS_URL = redis_url(13)
PG_NAME = pg_database("catalyst_test_e2e")
GRACE_SECONDS = 8
WORKER_COMMAND = [sys.executable, "-m", "flask", "--app", "app", "worker"]
SPECIALISTS = ("branding", "legal", "webdev", "martech", "content", "campaigns")


class PacedOpenAI(FakeOpenAIServer):
    """Answers as the model would, each prompt (planner, branding, ..., reporter) after its delay."""

    def __init__(self) -> None:
        super().__init__()
        self.delays: dict[str, float] = {}

    def answer(self, seen: SeenRequest, behaviour: Behaviour) -> Answer:
        # After the request is recorded: a test counts a call as soon as it was made.
        time.sleep(self.delays.get(self.schema_name(seen) or "", 0.0))
        return super().answer(seen, behaviour)

    def calls(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for seen in list(self.requests):
            name = self.schema_name(seen) or "?"
            counts[name] = counts.get(name, 0) + 1
        return counts


class TlsRunWatcher(RunWatcher):
    """The watch-protocol client over https through nginx (self-signed: verification off)."""

    def __init__(self, base_url: str, *, token: str) -> None:
        super().__init__(base_url, token=token, transports=("websocket",))
        self.disconnect_reasons: list[Any] = []

    def connect(self, timeout: float = 10.0) -> TlsRunWatcher:
        client = socketio.Client(reconnection=False, ssl_verify=False)
        client.on("event", self._on_event)
        client.on("watchers", self._on_watchers)
        client.on("disconnect", self._on_disconnect)
        self.disconnected.clear()
        client.connect(
            self.base_url, auth={"token": self.token}, transports=list(self.transports), wait_timeout=timeout
        )
        self.client = client
        return self

    def _on_disconnect(self, reason: Any = None) -> None:
        self.disconnect_reasons.append(reason)
        self.disconnected.set()


@dataclass
class Stack:
    tmp: Path
    env: dict[str, str]
    database_url: str
    token: str
    llm: PacedOpenAI
    layout: NginxLayout
    proxy: NginxProcess
    web: dict[int, ServerProcess]
    workers: list[ServerProcess] = field(default_factory=list)
    redis: redis.Redis = field(default_factory=lambda: redis.Redis.from_url(REDIS_URL))

    # --- processes -----------------------------------------------------------------------------

    def start_worker(self) -> ServerProcess:
        """A `flask --app app worker`, returned once its RQ worker is registered in Redis."""
        number = len(self.workers) + 1
        command = [*WORKER_COMMAND, "--poll-seconds", "0.5"]
        log_path = self.tmp / f"worker-{number}.log"
        worker = ServerProcess(command, None, log_path, env=self.env, cwd=REPO_ROOT).start()
        self.workers.append(worker)
        wait_for(lambda: worker.process.pid in {w.pid for w in Worker.all(connection=self.redis)}
                 or _exited(worker), 60, f"worker {number} to register")  # fmt: skip
        assert worker.process.poll() is None, worker.output()
        return worker

    def live_workers(self) -> list[ServerProcess]:
        return [w for w in self.workers if w.process.poll() is None]

    def worker_holding(self, run_id: str) -> ServerProcess:
        """The worker process whose pid is in the run's owner id."""
        owner = wait_for(lambda: self.run_row(run_id)["owner"], 20, "the run to have an owner")
        pid = int(owner.split("|")[2])
        return next(w for w in self.workers if w.process.pid == pid)

    # --- HTTP ----------------------------------------------------------------------------------

    def direct(self, port: int, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Straight to one app process, as nginx would send it (https claimed by the proxy header)."""
        headers = {"Authorization": f"Bearer {self.token}", "X-Forwarded-Proto": "https"}
        url = f"http://127.0.0.1:{port}{path}"
        headers.update(kwargs.pop("headers", {}))
        return requests.request(method, url, headers=headers, timeout=15, **kwargs)

    def start_run(self, port: int, name: str, budget: str = "5000") -> str:
        response = self.direct(port, "POST", "/api/runs", json=example_brief(name=name, budget=budget))
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def through_proxy(self, path: str) -> requests.Response:
        return requests.get(self.proxy.https_url(path), headers={"Authorization": f"Bearer {self.token}"},
                            verify=str(self.layout.certificate), timeout=15)  # fmt: skip

    def upstream_for_us(self) -> int:
        """The app port nginx sends this client (127.0.0.1) to now: ask, then read its access log."""
        seen = len(self._access_log())
        assert self.through_proxy("/health").status_code == 200
        # nginx writes the line after the response has gone out.
        lines = wait_for(lambda: [line for line in self._access_log()[seen:] if line["uri"] == "/health"], 10,
                         "nginx to log the request")  # fmt: skip
        return int(lines[-1]["upstream"].rsplit(":", 1)[1])

    def _access_log(self) -> list[dict[str, Any]]:
        if not self.layout.access_log.exists():
            return []
        return [json.loads(line) for line in self.layout.access_log.read_text().splitlines() if line.strip()]

    def watcher(self) -> TlsRunWatcher:
        return TlsRunWatcher(self.proxy.https_url(""), token=self.token).connect()

    # --- the database --------------------------------------------------------------------------

    def run_row(self, run_id: str) -> dict[str, Any]:
        with psycopg.connect(self.database_url, row_factory=psycopg.rows.dict_row) as conn:
            return conn.execute("select * from runs where id = %s", (run_id,)).fetchone()

    def events(self, run_id: str) -> list[dict[str, Any]]:
        with psycopg.connect(self.database_url, row_factory=psycopg.rows.dict_row) as conn:
            return conn.execute(
                "select seq, type, agent, data from run_events where run_id = %s order by seq", (run_id,)
            ).fetchall()

    def wait_status(self, run_id: str, status: str, timeout: float = 60) -> None:
        wait_for(lambda: self.run_row(run_id)["status"] == status, timeout, f"run {run_id} to be {status}")

    def completed_agents(self, run_id: str) -> set[str]:
        return {e["agent"] for e in self.events(run_id) if e["type"] == "agent.completed"}


def _exited(process: ServerProcess) -> bool:
    return process.process is not None and process.process.poll() is not None


def app_env(database_env: dict[str, str], llm: PacedOpenAI) -> dict[str, str]:
    return {
        **database_env,
        "APP_ENV": "production",
        "REDIS_URL": REDIS_URL,
        "RUN_EXECUTOR": "queue",
        "SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        "LLM_PROVIDER": "openai",
        "LLM_MODEL": "gpt-4o-mini",
        "OPENAI_API_KEY": "test-key",
        "OPENAI_BASE_URL": llm.base_url,
        "LLM_MAX_RETRIES": "0",
        "PROXY_FIX_X_FOR": "1",
        "PROXY_FIX_X_PROTO": "1",
        "PROXY_FIX_X_HOST": "1",
        "API_RATE_LIMIT": "10000/minute",
        "SOCKET_EVENT_LIMIT": "1000/10 seconds",
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("e2e")
    redis.Redis.from_url(REDIS_URL).flushdb()
    database, accounts = seed_database(tmp, "postgres", {"exec": ("executive", "Acme")}, pg_name=PG_NAME)
    with PacedOpenAI() as llm:
        env = base_env(database, **app_env(database.env(), llm))
        ports = [free_port(), free_port()]
        web = {port: app_process(port, tmp / f"web-{port}.log", env) for port in ports}
        layout = render_config(tmp / "nginx", upstreams=[f"127.0.0.1:{port}" for port in ports])
        proxy = NginxProcess(layout)
        built = Stack(tmp, env, database.url, accounts["exec"].token, llm, layout, proxy, web)
        try:
            for process in web.values():
                process.start()
            for process in web.values():
                process.wait_until_serving()
            proxy.start()
            built.start_worker()
            built.start_worker()
            yield built
        finally:
            for process in [*built.workers, *web.values()]:
                process.stop()
            proxy.stop()
            built.redis.flushdb()  # a killed worker's record would outlive us (other tests use db 13)


@pytest.fixture(autouse=True)
def fresh_llm(stack: Stack) -> Iterator[None]:
    """Each test sets its own delays and counts its own calls."""
    stack.llm.reset()
    stack.llm.delays.clear()
    yield


def app_process(port: int, log_path: Path, env: dict[str, str]) -> ServerProcess:
    """One Catalyst app process as production runs it (gunicorn, the shipped gunicorn.conf.py)."""
    return gunicorn_process("app:create_app()", port, log_path, env=env)


def other_port(stack: Stack, port: int) -> int:
    return next(p for p in stack.web if p != port)

