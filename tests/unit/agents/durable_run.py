"""A run in its own process for the SIGKILL durability test.

    python durable_run.py start|resume CHECKPOINT_DB RUN_ID WORKDIR

Every finished LLM call appends the agent's name to WORKDIR/calls.log; every event handed to the
sink is appended to WORKDIR/events.jsonl. In `start` mode the content and campaigns specialists
stall inside their LLM call so the test can kill the process while they are running.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from agents.checkpoint import open_checkpointer  # noqa: E402
from agents.memory import MemoryLedger  # noqa: E402
from agents.offline import OfflineLLMClient  # noqa: E402
from agents.ports import LLMRequest, LLMResponse  # noqa: E402
from agents.workflow import Workflow  # noqa: E402
from tests.unit.agents.agents_support import EXAMPLE_BRIEF  # noqa: E402

STALLING = {"content", "campaigns"}


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


class CountingClient:
    def __init__(self, workdir: Path, stall: bool) -> None:
        self.inner = OfflineLLMClient()
        self.log = workdir / "calls.log"
        self.stall = stall

    def generate(self, request: LLMRequest) -> LLMResponse:
        if self.stall and request.agent in STALLING:
            time.sleep(120)  # killed long before this ends
        response = self.inner.generate(request)
        append(self.log, request.agent)
        return response


class FileSink:
    """Stores events in a file and, like the real sink, drops a key it has stored before."""

    def __init__(self, workdir: Path) -> None:
        self.path = workdir / "events.jsonl"
        lines = self.path.read_text().splitlines() if self.path.exists() else []
        self.keys = {json.loads(line)["key"] for line in lines} - {None}

    def emit(self, type: str, data: dict[str, Any], *, phase: str | None = None,
             agent: str | None = None, key: str | None = None) -> None:
        if key in self.keys:
            return
        if key is not None:
            self.keys.add(key)
        append(self.path, json.dumps({"type": type, "agent": agent, "key": key, "data": data}))


def main() -> None:
    mode, db, run_id, workdir = sys.argv[1], sys.argv[2], sys.argv[3], Path(sys.argv[4])
    with open_checkpointer(db) as checkpointer:
        workflow = Workflow(CountingClient(workdir, stall=mode == "start"), FileSink(workdir),
                            MemoryLedger(), checkpointer)
        outcome = workflow.start(run_id, EXAMPLE_BRIEF) if mode == "start" else workflow.resume(run_id)
    append(workdir / "outcome.log", outcome.status)


if __name__ == "__main__":
    main()
