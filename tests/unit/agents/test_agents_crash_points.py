"""A process that dies between a step's saved writes and the checkpoint after it: the run ends right.

With `durability="sync"` LangGraph saves each finished task's writes at once and the superstep's
checkpoint after all of them. A death in between leaves tasks that have writes but no checkpoint;
`StateSnapshot.next` leaves such tasks out, so a run whose last tasks all finished looks done while
their results (the report, say) were never applied. The crash is simulated by a checkpointer whose
`put` dies (a BaseException, as SIGKILL would end the process) once chosen writes are saved.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from agents.checkpoint import open_checkpointer, strict_serde
from agents.memory import MemoryEventSink, MemoryLedger
from agents.state import SPECIALISTS
from agents.workflow import Workflow
from tests.unit.agents.agents_support import RecordingClient, brief

BRIEF = brief(budget_usd="250000")  # enough budget: no approval pause, one uninterrupted run


class Died(BaseException):
    """The process ended here (nothing after this line ran)."""


class DyingSaver(SqliteSaver):
    """Dies at the first checkpoint after writes whose journal holds the event key `after`."""

    def __init__(self, conn: sqlite3.Connection, after: str) -> None:
        super().__init__(conn, serde=strict_serde())
        self.after = after
        self.armed = False

    def put_writes(self, config: Any, writes: Any, task_id: str, task_path: str = "") -> None:
        super().put_writes(config, writes, task_id, task_path)
        for channel, value in writes:
            if channel == "journal" and any(e.get("key") == self.after for e in value or []):
                self.armed = True

    def put(self, config: Any, checkpoint: Any, metadata: Any, new_versions: Any) -> Any:
        if self.armed:
            raise Died(self.after)
        return super().put(config, checkpoint, metadata, new_versions)


CRASH_POINTS = [
    "phase.completed:intake",
    "agent.completed:cfo",
    "phase.completed:budgeting",
    *(f"agent.completed:{agent}" for agent in SPECIALISTS),
    "phase.completed:review",
    "phase.completed:report",
]


@pytest.mark.parametrize("after", CRASH_POINTS)
def test_a_death_after_saved_writes_resumes_to_one_complete_run(tmp_path: Path, after: str) -> None:
    path = tmp_path / "cp.sqlite"
    first_sink, first_llm = MemoryEventSink(), RecordingClient()
    conn = sqlite3.connect(path, check_same_thread=False)
    try:
        saver = DyingSaver(conn, after)
        saver.setup()
        with pytest.raises(Died):
            Workflow(first_llm, first_sink, MemoryLedger(), saver).start("run-x", BRIEF)
    finally:
        conn.close()
    assert after in {e["key"] for e in first_sink.events}  # the writes were saved: it finished

    # The next process: a fresh connection; the sink kept only what the first one stored.
    sink = MemoryEventSink()
    for event in first_sink.events:
        sink.emit(event["type"], event["data"], phase=event["phase"], agent=event["agent"], key=event["key"])
    second_llm = RecordingClient()
    with open_checkpointer(f"sqlite:///{path}") as saver:
        outcome = Workflow(second_llm, sink, MemoryLedger(), saver).resume("run-x")

    assert outcome.status == "completed", outcome
    assert outcome.report_markdown
    keys = Counter(e["key"] for e in sink.events)
    for agent in ("cfo", *SPECIALISTS):
        assert keys[f"agent.completed:{agent}"] == 1, agent
    for phase in ("intake", "planning", "budgeting", "execution", "review", "report"):
        assert keys[f"phase.completed:{phase}"] == 1, phase
    assert keys["run.completed"] == 1
    # Saved writes are applied, not recomputed: no agent whose results were saved asks again.
    repeated = set(first_llm.calls) & set(second_llm.calls)
    assert not repeated, repeated
