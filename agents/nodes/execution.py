"""Execution: open the phase and fan the funded tasks out to their specialists in parallel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import Send

from agents.context import RunContext
from agents.events import phase_started
from agents.state import SPECIALISTS, Allocation, Plan, WorkflowState

PHASE = "execution"


def start_execution(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Announce which specialists are about to work."""
    runtime.context.check_cancelled()
    allocation = Allocation.model_validate(state["allocation"])
    phase_started(PHASE, {"agents": [a for a in SPECIALISTS if a in allocation.by_agent]})
    return {}


def assignments(state: WorkflowState) -> list[Send]:
    """One Send per funded specialist, carrying everything its node needs as JSON."""
    allocation = Allocation.model_validate(state["allocation"])
    plan = Plan.model_validate(state["plan"])
    dropped = {item.task_id for item in allocation.dropped}
    sends: list[Send] = []
    for agent in SPECIALISTS:
        if agent not in allocation.by_agent:
            continue
        others = sum(
            (amount for name, amount in allocation.by_agent.items() if name != agent), Decimal("0")
        )
        tasks = [t.model_dump(mode="json") for t in plan.tasks_of(agent) if t.id not in dropped]
        sends.append(
            Send(
                agent,
                {
                    "agent": agent,
                    "brief": state["brief"],
                    "tasks": tasks,
                    "allocation_usd": str(allocation.by_agent[agent]),
                    "ceiling_headroom_usd": str(allocation.ceiling - others),
                    "focus": state["policy"].get("review_focus", []),
                    "objectives": state["objectives"],
                    "reference": state["reference"],
                },
            )
        )
    return sends
