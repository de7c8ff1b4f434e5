"""Benchmark: an offline run of the full workflow against a bare LangGraph graph of the same shape.

Both graphs have the same nodes, the same six-way `Send` fan-out, the same checkpointer kind,
stream modes and durability; the bare one's nodes do nothing. The difference is what the engine
itself costs (validation, knowledge base, guard rails, events, report). Measured in one process,
several repetitions, median. The last line printed is one JSON object.

    .venv/bin/python bench/workflow.py [--repetitions N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from agents.checkpoint import open_checkpointer
from agents.graph import MAX_FAN_OUT
from agents.memory import MemoryEventSink, MemoryLedger
from agents.offline import OfflineLLMClient
from agents.state import SPECIALISTS, WorkflowState
from agents.workflow import Workflow
from bench.headline import headline_line

BRIEF = {
    "company": {"name": "Acme", "industry": "Technology", "location": "Austin, TX"},
    "objectives": ["Launch product"],
    "budget_usd": "5000",
    "timeline_days": 90,
}


def bare_graph() -> StateGraph:
    """Same nodes and fan-out as agents.graph, every node a no-op."""

    def noop(state: Any) -> dict[str, Any]:
        return {}

    def fan_out(state: Any) -> list[Send]:
        return [Send(agent, {"agent": agent}) for agent in SPECIALISTS]

    graph = StateGraph(WorkflowState)
    for name in ("intake", "planning", "budgeting", "execution", *SPECIALISTS, "review", "report"):
        graph.add_node(name, noop)
    graph.add_edge(START, "intake")
    graph.add_edge("intake", "planning")
    graph.add_edge("planning", "budgeting")
    graph.add_edge("budgeting", "execution")
    graph.add_conditional_edges("execution", fan_out, list(SPECIALISTS))
    for name in SPECIALISTS:
        graph.add_edge(name, "review")
    graph.add_edge("review", "report")
    graph.add_edge("report", END)
    return graph


def time_bare(checkpointer: Any) -> float:
    compiled = bare_graph().compile(checkpointer=checkpointer)
    config = {"configurable": {"thread_id": uuid.uuid4().hex}, "max_concurrency": MAX_FAN_OUT + 1}
    start = time.perf_counter()
    for _ in compiled.stream({"run_id": "bare"}, config, stream_mode=["updates", "custom"],
                             durability="sync"):
        pass
    return time.perf_counter() - start


def time_full(checkpointer: Any) -> float:
    workflow = Workflow(OfflineLLMClient(), MemoryEventSink(), MemoryLedger(), checkpointer)
    start = time.perf_counter()
    outcome = workflow.start(uuid.uuid4().hex, BRIEF)
    elapsed = time.perf_counter() - start
    if outcome.status != "completed":
        raise RuntimeError(f"benchmark run ended {outcome.status}: {outcome.error}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=15)
    args = parser.parse_args()
    full: list[float] = []
    bare: list[float] = []
    with open_checkpointer(":memory:") as checkpointer:
        time_full(checkpointer)  # warm-up: imports, prompt files, catalogue
        time_bare(checkpointer)
        for _ in range(args.repetitions):  # interleaved so drift hits both alike
            full.append(time_full(checkpointer))
            bare.append(time_bare(checkpointer))
    value = statistics.median(full)
    baseline = statistics.median(bare)
    result = {
        "metric": "workflow_offline_run_seconds",
        "value": round(value, 6),
        "baseline": round(baseline, 6),
        "ratio": round(value / baseline, 3),
        "unit": "s",
        "repetitions": args.repetitions,
        "fan_out": len(SPECIALISTS),
        "baseline_kind": "bare LangGraph graph, same nodes and fan-out, no-op nodes",
    }
    sys.stdout.write(f"full workflow  p50 {value * 1000:.1f} ms  (min {min(full) * 1000:.1f})\n")
    sys.stdout.write(f"bare graph     p50 {baseline * 1000:.1f} ms  (min {min(bare) * 1000:.1f})\n")
    sys.stdout.write(headline_line(result) + "\n")


if __name__ == "__main__":
    main()
