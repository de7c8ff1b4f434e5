"""Intake: check the brief and apply the routing policies (who must take part, what to review)."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.events import phase_completed, phase_started
from agents.policies import decide
from agents.state import SPECIALISTS, Brief, Finding, WorkflowState, dump

PHASE = "intake"


def intake(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Decide the run's team: the brief's choice of agents plus any the policies require."""
    ctx = runtime.context
    ctx.check_cancelled()
    phase_started(PHASE)
    brief = Brief.model_validate(state["brief"])
    decision = decide(ctx.policies, brief)
    allowed = list(brief.agents or SPECIALISTS)
    findings: list[Finding] = []
    for agent in decision.require_agents:
        if agent not in allowed:
            allowed.append(agent)
            findings.append(
                Finding(
                    id=f"policy:added:{agent}",
                    severity="info",
                    agent=agent,
                    message=f"{agent} was added to the team by policy: "
                    + "; ".join(decision.notes or decision.matched),
                )
            )
    allowed = [agent for agent in SPECIALISTS if agent in allowed]
    policy = {**dump(decision), "allowed_agents": allowed}
    phase_completed(
        PHASE,
        {"company": brief.company.name, "agents": allowed, "policies": decision.matched},
    )
    return {"policy": policy, "findings": [dump(f) for f in findings]}
