"""What every specialist does: ask for a costed deliverable, enforce guard rails, commit items."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from agents.context import RunContext
from agents.events import agent_event
from agents.guardrails import enforce_commit, report_violations
from agents.llm_call import ask
from agents.outputs import DeliverableProposal
from agents.state import Brief, Deliverable, LineItem, dump

PHASE = "execution"


def run_specialist(
    agent: str, assignment: dict[str, Any], ctx: RunContext, context: dict[str, Any]
) -> dict[str, Any]:
    """Produce and commit one agent's deliverable; `context` adds agent-specific facts."""
    ctx.check_cancelled()
    allocation = Decimal(assignment["allocation_usd"])
    headroom = Decimal(assignment["ceiling_headroom_usd"])
    agent_event("started", agent, PHASE, {
        "title": ctx.catalogue.title(agent), "tasks": len(assignment["tasks"]),
        "allocation": str(allocation),
    })  # fmt: skip
    agent_event("progress", agent, PHASE, {
        "message": f"Working on {len(assignment['tasks'])} {'task' if len(assignment['tasks']) == 1 else 'tasks'}",
        "percent": 10, "tokens": 0,
    }, step=1)  # fmt: skip
    data = {
        "brief": assignment["brief"],
        "agent": agent,
        "tasks": assignment["tasks"],
        "allocation_usd": assignment["allocation_usd"],
        "focus": assignment.get("focus", []),
        "objectives": assignment.get("objectives", []),
        "context": {**context, "reference": assignment.get("reference", {})},
    }
    response = ask(ctx, agent=agent, prompt=agent, phase=PHASE, data=data)
    proposal = cast(DeliverableProposal, response.output)
    tokens = response.input_tokens + response.output_tokens
    agent_event("progress", agent, PHASE, {
        "message": "Checking line items against the allocation", "percent": 70, "tokens": tokens,
    }, step=2)  # fmt: skip
    task_ids = {task["id"] for task in assignment["tasks"]}
    facts = set((assignment.get("reference") or {}).get("facts", {}))
    proposed = [
        LineItem(id=f"{agent}-{index:02d}", agent=agent, description=item.description[:300],
                 amount=item.amount, category=item.category,
                 task_id=item.task_id if item.task_id in task_ids else "",
                 quantity=item.quantity or 1, unit=item.unit[:40],
                 unit_usd=item.unit_usd if item.quantity else None,
                 fact_ids=[f for f in item.fact_ids if f in facts])
        for index, item in enumerate(proposal.line_items, start=1)
    ]
    accepted, violations = enforce_commit(agent, proposed, allocation, headroom)
    findings = report_violations(violations, PHASE)
    # A cancel that arrived while the model was answering: drop the answer, commit nothing.
    ctx.check_cancelled()
    for item in accepted:
        ctx.ledger.record_commit(agent, item.id, item.description, item.amount)
    deliverable = Deliverable(
        agent=agent,
        title=proposal.title[:200],
        summary_markdown=proposal.summary_markdown,
        items=proposal.items,
        line_items=accepted,
    )
    agent_event("completed", agent, PHASE, {
        "title": deliverable.title, "committed": str(deliverable.committed),
        "allocation": str(allocation), "line_items": len(accepted), "tokens": tokens,
        "violations": len(violations),
    })  # fmt: skip
    return {"deliverables": {agent: dump(deliverable)}, "findings": [dump(f) for f in findings]}


def brief_of(assignment: dict[str, Any]) -> Brief:
    return Brief.model_validate(assignment["brief"])
