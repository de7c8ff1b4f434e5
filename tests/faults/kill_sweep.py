"""The SIGKILL sweep: one run, killed at each agent and phase boundary in turn, must end right.

A baseline run (no kill) gives the run's boundaries, its event types and how often the model is
asked per prompt. The swept run is then killed right after each boundary — alternately right after
the event is stored in the log (`event`) and right after the node's checkpoint writes (`writes`) —
by the kill points of `tests/faults/inject/sitecustomize.py`, and restarted each time, until it
finishes. Provider calls are counted by the fake OpenAI server, on the provider's side.

Used by `tests/faults/test_kill_sweep.py` (a light sweep) and `bench/faults.py` (the full one).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import create_engine, text

from tests.deploy.processes import ServerProcess
from tests.fakes.openai_server import FakeOpenAIServer
from tests.support.postgres_cluster import PrivatePostgres, seed_catalyst
from tests.support.redis_server import PrivateRedis
from tests.support.server import REPO_ROOT, CatalystServer, Database, base_env, example_brief, seed_database

INJECT = Path(__file__).resolve().parent / "inject"
WORKER_COMMAND = [sys.executable, "-m", "flask", "--app", "app", "worker", "--poll-seconds", "0.2"]
BRIEF = example_brief(name="Sweep Co", budget="250000")  # no approval pause: one straight run


@dataclass
class SweepResult:
    backend: str
    executor: str
    trials: int = 0  # kill points crossed (each one SIGKILL and a restart)
    completed: bool = False
    status: str = ""
    seqs_ok: bool = False
    lost: list[str] = field(default_factory=list)  # event types of the baseline missing here
    duplicated: list[str] = field(default_factory=list)  # keys or types seen more than once
    repeated_calls: dict[str, int] = field(default_factory=dict)  # prompt -> extra provider calls
    # prompt -> attempts the ledger closed as interrupted (the process died between reserving and
    # settling: some never reached the provider, so this can exceed the repeats)
    recorded_repeats: dict[str, int] = field(default_factory=dict)
    finished_repeated: list[str] = field(default_factory=list)  # calls settled more than once
    resume_seconds: list[float] = field(default_factory=list)  # kill → next event stored
    start_seconds: float = 0.0  # the first start of the executing process: the cost of any restart
    # Points whose moment had passed in an earlier life (a parallel node finished before a kill).
    unreached: list[str] = field(default_factory=list)

    def ok(self) -> bool:
        """Complete, gap-free, nothing lost or twice, and every repeated call is on the record."""
        return (
            self.completed and self.seqs_ok and not self.lost and not self.duplicated
            and not self.finished_repeated and not self.unrecorded_repeats()
        )  # fmt: skip

    def unrecorded_repeats(self) -> dict[str, int]:
        """Provider calls asked again without an interrupted attempt on the run's record."""
        return {p: n - self.recorded_repeats.get(p, 0) for p, n in self.repeated_calls.items()
                if n > self.recorded_repeats.get(p, 0)}  # fmt: skip


class CountingOpenAI(FakeOpenAIServer):
    def calls(self) -> Counter[str]:
        return Counter(self.schema_name(seen) or "?" for seen in list(self.requests))


@dataclass
class _Setup:
    database: Database
    token: str
    env: dict[str, str]


@contextmanager
def _storage(tmp: Path, backend: str, executor: str) -> Iterator[_Setup]:
    with ExitStack() as stack:
        if backend == "postgres":
            cluster = stack.enter_context(PrivatePostgres(tmp / "pg"))
            database, accounts = seed_catalyst(cluster, tmp, {"exec": ("executive", "Acme")})
        else:
            database, accounts = seed_database(tmp, "sqlite", {"exec": ("executive", "Acme")})
        env = {"API_RATE_LIMIT": "100000/minute", "LOG_LEVEL": "INFO"}
        if executor == "queue":
            redis = PrivateRedis(tmp).start()
            stack.callback(redis.stop)
            env.update(REDIS_URL=redis.url, RUN_EXECUTOR="queue")
        yield _Setup(database, accounts["exec"].token, env)


class _Runner:
    """The processes that execute runs: the web server (inline) or one worker (queue)."""

    def __init__(self, tmp: Path, setup: _Setup, llm: CountingOpenAI, executor: str) -> None:
        self.tmp = tmp
        self.setup = setup
        self.executor = executor
        self.points = tmp / "kill-points.txt"
        self.points.write_text("")
        llm_env = {
            "LLM_PROVIDER": "openai", "LLM_MODEL": "gpt-4o-mini", "OPENAI_API_KEY": "test-key",
            "OPENAI_BASE_URL": llm.base_url, "LLM_MAX_RETRIES": "0",
        }  # fmt: skip
        killable = {"PYTHONPATH": f"{INJECT}:{REPO_ROOT}", "CATALYST_KILL_POINTS": str(self.points)}
        web_env = {**setup.env, **llm_env, **(killable if executor == "inline" else {})}
        self.worker_env = {**setup.env, **llm_env, **killable}
        self.web = CatalystServer(setup.database, tmp, env=web_env, name="web")
        self.worker: ServerProcess | None = None
        self.starts = 0

    def start(self) -> None:
        self.web.start(timeout=60)
        if self.executor == "queue":
            self._start_worker()

    def _start_worker(self) -> None:
        self.starts += 1
        log = self.tmp / f"worker-{self.starts}.log"
        env = base_env(self.setup.database, **self.worker_env)
        self.worker = ServerProcess(WORKER_COMMAND, None, log, env=env, cwd=REPO_ROOT).start()

    def killed(self) -> bool:
        process = self.web.process if self.executor == "inline" else (self.worker and self.worker.process)
        return process is not None and process.poll() == -9

    def restart(self) -> None:
        """Start the killed process again; it may reach the next kill point before it answers."""
        if self.executor == "queue":
            self._start_worker()
            return
        try:
            self.web.start(timeout=60)
        except RuntimeError:
            if not self.killed():
                raise

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        self.web.stop()

    def post_run(self) -> str:
        response = requests.post(
            self.web.base_url + "/api/runs", json=BRIEF, timeout=30,
            headers={"Authorization": f"Bearer {self.setup.token}"},
        )  # fmt: skip
        assert response.status_code == 201, response.text
        return response.json()["id"]


def _query(database: Database, sql: str, run_id: str) -> list[dict[str, Any]]:
    engine = create_engine(database.url)
    try:
        with engine.connect() as conn:
            return [dict(row) for row in conn.execute(text(sql), {"id": run_id}).mappings()]
    finally:
        engine.dispose()


def _events(database: Database, run_id: str) -> list[dict[str, Any]]:
    return _query(database, "select seq, type, key from run_events where run_id = :id order by seq", run_id)


def _status(database: Database, run_id: str) -> str:
    return str(_query(database, "select status from runs where id = :id", run_id)[0]["status"])


def _wait_finished(runner: _Runner, run_id: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = _status(runner.setup.database, run_id)
        if status in ("completed", "failed", "cancelled", "paused"):
            return status
        if runner.killed():
            return "killed"
        time.sleep(0.1)
    raise TimeoutError(f"run {run_id} did not finish in {timeout}s:\n{runner.web.output()[-3000:]}")


BOUNDARY_PREFIXES = ("agent.completed:", "phase.completed:")


def boundaries(events: list[dict[str, Any]]) -> list[str]:
    return [e["key"] for e in events if (e.get("key") or "").startswith(BOUNDARY_PREFIXES)]


def sweep(tmp: Path, backend: str, executor: str, *, every: int = 1, kinds: tuple[str, ...] = ("event", "writes"),
          timeout: float = 120.0) -> SweepResult:
    """Run the baseline, then the swept run killed at every `every`-th boundary; compare."""
    result = SweepResult(backend, executor)
    with CountingOpenAI() as llm, _storage(tmp, backend, executor) as setup:
        runner = _Runner(tmp, setup, llm, executor)
        started = time.monotonic()
        runner.start()
        result.start_seconds = round(time.monotonic() - started, 2)
        try:
            baseline_id = runner.post_run()
            assert _wait_finished(runner, baseline_id, timeout) == "completed", runner.web.output()[-3000:]
            baseline = _events(setup.database, baseline_id)
            baseline_calls = llm.calls()
            llm.requests.clear()

            keys = boundaries(baseline)[::every]
            points = [f"{kinds[n % len(kinds)]} {key}" for n, key in enumerate(keys)]
            runner.points.write_text("\n".join(points) + "\n")
            run_id = runner.post_run()
            while True:
                status = _wait_finished(runner, run_id, timeout)
                if status != "killed":
                    break
                result.trials += 1
                killed_at = time.monotonic()
                seen = len(_events(setup.database, run_id))
                runner.restart()
                deadline = time.monotonic() + timeout
                while len(_events(setup.database, run_id)) <= seen and time.monotonic() < deadline:
                    if _status(setup.database, run_id) != "running":
                        break
                    time.sleep(0.05)
                result.resume_seconds.append(round(time.monotonic() - killed_at, 2))
            swept = _events(setup.database, run_id)
            result.status = status
            result.completed = status == "completed"
            result.seqs_ok = [e["seq"] for e in swept] == list(range(1, len(swept) + 1))
            ignore = {"run.resumed"}
            want = Counter(e["type"] for e in baseline if e["type"] not in ignore)
            got = Counter(e["type"] for e in swept if e["type"] not in ignore)
            result.lost = sorted((want - got).elements())
            result.duplicated = sorted((got - want).elements())
            keyed = Counter(e["key"] for e in swept if e["key"])
            result.duplicated += sorted(k for k, n in keyed.items() if n > 1)
            result.repeated_calls = dict(llm.calls() - baseline_calls)
            ledger = _query(setup.database, "select call_key, prompt, status, error from ai_calls"
                            " where run_id = :id order by id", run_id)  # fmt: skip
            result.recorded_repeats = dict(Counter(c["prompt"] for c in ledger if c["error"] == "interrupted"))
            settled = Counter(c["call_key"].split("#")[0] for c in ledger if c["status"] == "settled")
            result.finished_repeated = sorted(key for key, n in settled.items() if n > 1)
            result.unreached = [line for line in runner.points.read_text().splitlines() if line.strip()]
        finally:
            runner.stop()
    return result
