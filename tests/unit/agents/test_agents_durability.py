"""Checkpoints: strict JSON round trip, PostgreSQL, and resuming after the process is killed."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from agents.checkpoint import open_checkpointer
from agents.memory import MemoryEventSink, MemoryLedger
from agents.state import SPECIALISTS, Brief, Plan
from agents.workflow import Workflow
from tests.unit.agents.agents_support import RecordingClient, brief

HERE = Path(__file__).resolve().parent


def test_paused_run_round_trips_through_a_fresh_sqlite_connection(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cp.sqlite'}"
    with open_checkpointer(url) as saver:
        first = Workflow(RecordingClient(), MemoryEventSink(), MemoryLedger(), saver)
        assert first.start("run-rt", brief(budget_usd="2500")).status == "paused"

    with open_checkpointer(url) as saver:  # new connection, strict deserialiser
        sink, llm = MemoryEventSink(), RecordingClient()
        second = Workflow(llm, sink, MemoryLedger(), saver)
        values = second.graph.get_state({"configurable": {"thread_id": "run-rt"}}).values
        Brief.model_validate(values["brief"])
        plan = Plan.model_validate(values["plan"])
        assert plan.tasks and isinstance(json.dumps(values), str)  # plain JSON all the way down
        outcome = second.resume("run-rt", {"decision": "approve", "note": ""})

    assert outcome.status == "completed"
    assert "cfo" not in llm.calls  # planning was not repeated in the new process


def test_open_checkpointer_rejects_unknown_schemes() -> None:
    with pytest.raises(ValueError, match="unsupported"), open_checkpointer("mysql://x/y"):
        pass


@pytest.mark.postgres
def test_postgres_checkpointer_pauses_and_resumes_across_connections(pg_url: str) -> None:
    run_id = f"pg-{uuid.uuid4().hex}"
    with open_checkpointer(pg_url.replace("postgresql://", "postgresql+psycopg://")) as saver:
        workflow = Workflow(RecordingClient(), MemoryEventSink(), MemoryLedger(), saver)
        assert workflow.start(run_id, brief(budget_usd="2500")).status == "paused"

    with open_checkpointer(pg_url) as saver:
        llm, ledger = RecordingClient(), MemoryLedger()
        workflow = Workflow(llm, MemoryEventSink(), ledger, saver)
        outcome = workflow.resume(run_id, {"decision": "reject", "note": ""})
        state = workflow.graph.get_state({"configurable": {"thread_id": run_id}}).values

    assert outcome.status == "completed"
    assert "cfo" not in llm.calls and set(state["deliverables"]) <= set(SPECIALISTS)
    assert ledger.committed_total <= 2500


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _saved_deliverables(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("SELECT count(*) FROM writes WHERE channel = 'deliverables'"
                                ).fetchone()[0]
        except sqlite3.OperationalError:
            return 0


@pytest.mark.slow
def test_sigkill_mid_execution_resumes_without_repeating_finished_agents(tmp_path: Path) -> None:
    db = tmp_path / "cp.sqlite"
    run_id = f"kill-{uuid.uuid4().hex[:8]}"
    script = str(HERE / "durable_run.py")
    process = subprocess.Popen([sys.executable, script, "start", str(db), run_id, str(tmp_path)])
    try:
        finished = len(SPECIALISTS) - 2  # content and campaigns stall inside their LLM call
        _wait_for(lambda: _saved_deliverables(db) >= finished, 90, "finished specialists")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert not (tmp_path / "outcome.log").exists()
    before = Counter((tmp_path / "calls.log").read_text().split())
    assert before["content"] == 0 and before["campaigns"] == 0

    subprocess.run([sys.executable, script, "resume", str(db), run_id, str(tmp_path)],
                   check=True, timeout=120)

    assert (tmp_path / "outcome.log").read_text().split() == ["completed"]
    calls = Counter((tmp_path / "calls.log").read_text().split())
    assert calls == Counter({name: 1 for name in ["cfo", *SPECIALISTS, "reviewer", "reporter"]})
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    completed = Counter(e["agent"] for e in events if e["type"] == "agent.completed")
    for agent in SPECIALISTS:
        assert completed[agent] == 1, agent
    assert [e["type"] for e in events].count("run.completed") == 1


def test_resume_replays_the_journal_of_finished_nodes(tmp_path: Path) -> None:
    """Events a dead process never delivered reach the next process's sink, once."""
    url = f"sqlite:///{tmp_path / 'cp.sqlite'}"
    with open_checkpointer(url) as saver:
        first = MemoryEventSink()
        workflow = Workflow(RecordingClient(), first, MemoryLedger(), saver)
        assert workflow.start("run-j", brief(budget_usd="2500")).status == "paused"
    with open_checkpointer(url) as saver:
        second = MemoryEventSink()  # as if none of the first process's events had been stored
        workflow = Workflow(RecordingClient(), second, MemoryLedger(), saver)
        assert workflow.resume("run-j", {"decision": "approve"}).status == "completed"

    delivered_before = {e["key"] for e in first.events if e["key"]} - {"run.started"}
    journal_keys = {e["key"] for e in second.events if e["key"]}
    finished = {k for k in delivered_before if "approval" not in k and "budgeting" not in k
                and not k.startswith("run.")}
    assert finished and finished <= journal_keys
    assert "agent.completed:cfo" in journal_keys
    keys = [e["key"] for e in second.events if e["key"]]
    assert len(keys) == len(set(keys))
