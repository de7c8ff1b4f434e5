"""Fixtures for the engine tests: a SQLite checkpointer per test and a workflow factory."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from agents.checkpoint import open_checkpointer
from agents.memory import MemoryEventSink, MemoryLedger
from agents.workflow import Workflow
from tests.support.isolation import PG_ADMIN_URL, pg_database, pg_url
from tests.unit.agents.agents_support import RecordingClient

PG_TEST_DB = pg_database("catalyst_test")
PG_TEST_URL = pg_url("catalyst_test")


@dataclass
class Harness:
    workflow: Workflow
    sink: MemoryEventSink
    ledger: MemoryLedger
    llm: Any
    run_id: str

    def events(self, type: str) -> list[dict[str, Any]]:
        return self.sink.of_type(type)

    def state(self) -> dict[str, Any]:
        return self.workflow.graph.get_state({"configurable": {"thread_id": self.run_id}}).values


@pytest.fixture
def checkpoint_path(tmp_path: Path) -> Path:
    return tmp_path / "checkpoints.sqlite"


@pytest.fixture
def checkpointer(checkpoint_path: Path) -> Iterator[Any]:
    with open_checkpointer(f"sqlite:///{checkpoint_path}") as saver:
        yield saver


@pytest.fixture
def make_run(checkpointer: Any) -> Callable[..., Harness]:
    """Build a workflow around fresh in-memory ports: make_run(llm=..., policy=..., ...)."""

    def make(llm: Any | None = None, **options: Any) -> Harness:
        run_id = f"run-{uuid.uuid4().hex[:12]}"
        sink = MemoryEventSink(run_id)
        ledger = options.pop("ledger", None) or MemoryLedger()
        llm = llm or RecordingClient()
        workflow = Workflow(llm, sink, ledger, checkpointer, **options)
        return Harness(workflow, sink, ledger, llm, run_id)

    return make


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The catalyst_test database (per run and worker) on the local PostgreSQL server, created when missing."""
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_TEST_DB,)).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {PG_TEST_DB}")
    return PG_TEST_URL
