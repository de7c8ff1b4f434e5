"""Emitting protocol events from inside nodes through LangGraph's custom stream.

Every event carries a deterministic `key`, so a node that re-runs after a resume re-emits the
same keys and the sink drops the duplicates. Each node also returns the events it emitted in the
`journal` state channel, saved atomically with its results: if the process dies after a node's
results were checkpointed but before its events reached the sink, the Workflow replays the
journal on resume and the sink keeps only what it had not seen.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from langgraph.config import get_stream_writer

from agents.state import Allocation, cents

_journal: ContextVar[list[dict[str, Any]] | None] = ContextVar("event_journal", default=None)


def emit(
    type: str,
    data: dict[str, Any],
    *,
    key: str,
    phase: str | None = None,
    agent: str | None = None,
) -> None:
    """Write one event to the run's custom stream (the Workflow forwards it to the sink)."""
    event = {"type": type, "phase": phase, "agent": agent, "data": data, "key": key}
    get_stream_writer()(event)
    journal = _journal.get()
    if journal is not None:
        journal.append(event)


def journaled(node: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Wrap a node so its update carries the events it emitted (see module docstring)."""

    @functools.wraps(node)
    def run(*args: Any, **kwargs: Any) -> dict[str, Any]:
        journal: list[dict[str, Any]] = []
        token = _journal.set(journal)
        try:
            update = node(*args, **kwargs)
        finally:
            _journal.reset(token)
        return {**update, "journal": journal}

    return run


def phase_started(phase: str, data: dict[str, Any] | None = None) -> None:
    emit("phase.started", data or {}, key=f"phase.started:{phase}", phase=phase)


def phase_completed(phase: str, data: dict[str, Any] | None = None) -> None:
    emit("phase.completed", data or {}, key=f"phase.completed:{phase}", phase=phase)


def agent_event(
    kind: str, agent: str, phase: str, data: dict[str, Any], *, step: int | None = None
) -> None:
    """agent.started|progress|completed|failed; progress events are numbered per agent."""
    key = f"agent.{kind}:{agent}" + (f":{step}" if step is not None else "")
    emit(f"agent.{kind}", data, key=key, phase=phase, agent=agent)


def budget_snapshot(
    allocation: Allocation,
    committed: dict[str, Decimal],
    ai: tuple[Decimal, Decimal | None],
) -> dict[str, Any]:
    """The data of a budget.updated event: business budget by agent plus AI spend."""
    by_agent: dict[str, dict[str, str]] = {}
    for agent, allocated in allocation.by_agent.items():
        spent = committed.get(agent, Decimal("0"))
        by_agent[agent] = {
            "allocated": str(cents(allocated)),
            "committed": str(cents(spent)),
            "remaining": str(cents(allocated - spent)),
        }
    total_committed = cents(sum(committed.values(), Decimal("0")))
    used, cap = ai
    return {
        "budget": str(allocation.budget),
        "ceiling": str(allocation.ceiling),
        "allocated": str(allocation.total),
        "committed": str(total_committed),
        "remaining": str(cents(allocation.ceiling - total_committed)),
        "by_agent": by_agent,
        "ai": {"used": str(used), "cap": None if cap is None else str(cap)},
    }
