"""Review: check each deliverable against its tasks and allocation; gaps and risks → findings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from langgraph.runtime import Runtime

from agents.catalogue import Catalogue, default_catalogue
from agents.context import RunContext
from agents.events import agent_event, phase_completed, phase_started
from agents.llm_call import ask
from agents.outputs import ReviewProposal
from agents.state import (
    SPECIALISTS,
    Allocation,
    Deliverable,
    Finding,
    Plan,
    Review,
    WorkflowState,
    cents,
    dump,
)

PHASE = "review"
AGENT = "reviewer"


def review(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Deterministic checks first (they cannot be talked out of), then the reviewer's judgement."""
    ctx = runtime.context
    ctx.check_cancelled()
    allocation = Allocation.model_validate(state["allocation"])
    deliverables = {
        agent: Deliverable.model_validate(raw)
        for agent, raw in (state.get("deliverables") or {}).items()
    }
    if allocation.executed and allocation.by_agent:
        committed = cents(sum((d.committed for d in deliverables.values()), Decimal("0")))
        phase_completed("execution", {"agents": list(deliverables), "committed": str(committed)})
    phase_started(PHASE)
    agent_event("started", AGENT, PHASE, {"title": ctx.catalogue.title(AGENT)})
    findings = checks(Plan.model_validate(state["plan"]), allocation, deliverables, ctx.catalogue)
    data = {
        "brief": state["brief"],
        "plan": state["plan"],
        "allocation": state["allocation"],
        "deliverables": {agent: dump(d) for agent, d in deliverables.items()},
        "focus": state["policy"].get("review_focus", []),
        "findings_so_far": state.get("findings", []),
        "reference": state.get("reference", {}),
    }
    response = ask(ctx, agent=AGENT, prompt="reviewer", phase=PHASE, data=data)
    proposal = cast(ReviewProposal, response.output)
    for index, item in enumerate(proposal.findings, start=1):
        agent = item.agent if item.agent in SPECIALISTS else None
        findings.append(Finding(id=f"review:{index}", severity=item.severity, agent=agent,
                                message=item.message[:600]))
    result = Review(summary=proposal.summary, findings=findings)
    counts = {level: sum(1 for f in findings if f.severity == level)
              for level in ("info", "warning", "critical")}
    agent_event("completed", AGENT, PHASE, {
        "findings": len(findings), "tokens": response.input_tokens + response.output_tokens,
    })  # fmt: skip
    phase_completed(PHASE, {"findings": counts})
    return {"review": dump(result), "findings": [dump(f) for f in findings]}


def checks(
    plan: Plan, allocation: Allocation, deliverables: dict[str, Deliverable], catalogue: Catalogue | None = None
) -> list[Finding]:
    """Facts code can establish: missing deliverables and commitments beyond an allocation. The
    messages name agents as the report's reader knows them (their titles), never by key."""
    title = (catalogue or default_catalogue()).title
    findings: list[Finding] = []
    if not allocation.executed:
        findings.append(Finding(id="check:not-executed", severity="critical", agent=None,
                                message="The plan was rejected, so no work was commissioned."))
    for agent, allocated in allocation.by_agent.items():
        deliverable = deliverables.get(agent)
        if deliverable is None:
            findings.append(Finding(id=f"check:missing:{agent}", severity="critical", agent=agent,
                                    message=f"{title(agent)} was funded but produced no deliverable."))
        elif deliverable.committed > allocated:
            findings.append(Finding(
                id=f"check:over:{agent}", severity="critical", agent=agent,
                message=f"{title(agent)} committed ${deliverable.committed:,.2f} of its ${allocated:,.2f}."))
    funded = set(allocation.by_agent)
    for agent in sorted({t.owner for t in plan.tasks} - funded):
        if allocation.executed:
            findings.append(Finding(id=f"check:unfunded:{agent}", severity="warning", agent=agent,
                                    message=f"{title(agent)} had planned tasks but none were funded."))
    return findings
