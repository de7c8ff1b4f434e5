"""Run one brief end to end in memory with the offline provider: tests, benchmarks, the CLI.

An approval pause is answered by `decide` (approve by default), so a corpus of briefs can run
unattended while still going through the same budgeting and approval code a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from agents.checkpoint import open_checkpointer
from agents.memory import MemoryEventSink, MemoryLedger, MemoryPricing
from agents.offline import OFFLINE_PRICE, OfflineLLMClient
from agents.ports import LLMClient
from agents.workflow import Outcome, Workflow

Decide = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class DryRun:
    outcome: Outcome
    sink: MemoryEventSink
    pauses: list[dict[str, Any]]


def approve_all(payload: dict[str, Any]) -> dict[str, Any]:
    return {"decision": "approve", "note": "approved unattended"}


def run_brief(
    brief: dict[str, Any], *, policy: str = "approve", decide: Decide = approve_all,
    llm: LLMClient | None = None, run_id: str = "dry-run",
) -> DryRun:
    """Start the run and answer each approval pause with `decide(payload)` until it ends."""
    sink = MemoryEventSink(run_id)
    pauses: list[dict[str, Any]] = []
    pricing = None
    if llm is None:  # the offline provider: its calls cost nothing, and the report says so
        pricing = MemoryPricing(OFFLINE_PRICE)
        llm = pricing.client(OfflineLLMClient())
    with open_checkpointer("sqlite://") as saver:
        workflow = Workflow(llm, sink, MemoryLedger(), saver, policy=policy, pricing=pricing)
        outcome = workflow.start(run_id, brief)
        while outcome.status == "paused" and outcome.reason == "approval_required" and len(pauses) < 5:
            pauses.append(outcome.payload or {})
            outcome = workflow.resume(run_id, decide(outcome.payload or {}))
    return DryRun(outcome, sink, pauses)
