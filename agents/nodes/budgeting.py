"""Budgeting: allocate the business budget to agents within their share caps.

A plan that costs more than the budget is trimmed by priority (policy `trim`) or paused for the
executive's decision (policy `approve`); approval rules from the policies can also demand a
sign-off. Everything before `interrupt()` is idempotent because the node re-runs on resume.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents import allocation as alloc
from agents.context import RunContext
from agents.events import budget_snapshot, emit, phase_completed, phase_started
from agents.state import (
    Allocation,
    Approval,
    Brief,
    DroppedTask,
    Finding,
    Plan,
    Task,
    WorkflowState,
    cents,
    dump,
)

PHASE = "budgeting"
ZERO = Decimal("0")


def budget(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Fit the plan to caps and budget, ask for approval when needed, record the allocation."""
    ctx = runtime.context
    ctx.check_cancelled()
    phase_started(PHASE)
    brief = Brief.model_validate(state["brief"])
    plan = Plan.model_validate(state["plan"])
    caps_usd = alloc.caps_in_usd(brief.budget_usd, ctx.caps_percent())
    kept, dropped = alloc.apply_caps(plan.tasks, caps_usd)
    plan_total = alloc.total(kept)
    overrun = max(ZERO, plan_total - brief.budget_usd)
    if overrun > ZERO and ctx.policy == "trim":
        kept, trimmed = alloc.trim_to(kept, brief.budget_usd)
        dropped += trimmed
        overrun = ZERO
    forced: list[str] = state["policy"].get("approval_rules", [])
    approval: Approval | None = None
    ceiling = brief.budget_usd
    executed = True
    if overrun > ZERO or forced:
        approval = _ask_approval(brief, kept, alloc.total(kept), overrun, forced, dropped)
        if approval.decision == "approve":
            ceiling = cents(brief.budget_usd + overrun)
        elif overrun > ZERO:
            kept, trimmed = alloc.trim_to(kept, brief.budget_usd)
            dropped += trimmed
        else:
            dropped += [alloc.dropped_task(task, "rejected") for task in kept]
            kept, executed = [], False
    allocation = Allocation(
        budget=brief.budget_usd,
        ceiling=ceiling,
        caps=caps_usd,
        by_agent=alloc.by_agent(kept),
        plan_total=plan.total,
        overrun=overrun if approval and approval.decision == "approve" else ZERO,
        dropped=dropped,
        approval=approval,
        executed=executed,
    )
    ctx.ledger.record_allocation(dict(allocation.by_agent), allocation.total)
    emit(
        "budget.updated",
        budget_snapshot(allocation, {}, ctx.ledger.ai_spend()),
        key="budget.updated:allocation",
        phase=PHASE,
    )
    phase_completed(
        PHASE,
        {
            "allocated": str(allocation.total),
            "ceiling": str(allocation.ceiling),
            "dropped": [d.task_id for d in dropped],
        },
    )
    findings = _findings(plan, kept, dropped)
    return {"allocation": dump(allocation), "findings": [dump(f) for f in findings]}


def _ask_approval(
    brief: Brief,
    kept: list[Task],
    plan_total: Decimal,
    overrun: Decimal,
    forced: list[str],
    dropped: list[DroppedTask],
) -> Approval:
    """Pause for the executive; the resume value is {"decision": "approve"|"reject", "note"}."""
    phase_started("approval")
    payload = {
        "reason": "approval_required",
        "amount": str(overrun),
        "plan_total": str(plan_total),
        "budget": str(brief.budget_usd),
        "rules": forced,
        "tasks_to_trim": [d.task_id for d in alloc.trim_to(kept, brief.budget_usd)[1]],
        "dropped_for_caps": [d.task_id for d in dropped],
    }
    emit("approval.required", payload, key="approval.required", phase="approval")
    answer = interrupt(payload)
    decision = answer.get("decision") if isinstance(answer, dict) else None
    note = str(answer.get("note", ""))[:500] if isinstance(answer, dict) else ""
    approval = Approval(
        decision="approve" if decision == "approve" else "reject",
        note=note,
        amount=overrun,
        forced_by=forced,
    )
    emit("approval.decided", dump(approval), key="approval.decided", phase="approval")
    phase_completed("approval", {"decision": approval.decision})
    return approval


def _findings(plan: Plan, kept: list[Task], dropped: list[DroppedTask]) -> list[Finding]:
    """Say what was dropped and which funded tasks lost something they depend on."""
    findings: list[Finding] = []
    why = {
        "agent_cap": "it did not fit under the agent's share cap",
        "over_budget": "the plan cost more than the budget",
        "rejected": "the executive rejected the plan",
    }
    titles = {task.id: task.title for task in plan.tasks}
    for item in dropped:
        findings.append(Finding(
            id=f"budget:dropped:{item.task_id}", severity="warning", agent=item.owner,
            message=f"Task {item.task_id} ({titles.get(item.task_id, '?')}, "
            f"{item.estimated_cost} USD) was dropped because {why[item.reason]}."))
    gone = {item.task_id for item in dropped}
    for task in kept:
        missing = [dep for dep in task.depends_on if dep in gone]
        if missing:
            findings.append(Finding(
                id=f"budget:dependency:{task.id}", severity="warning", agent=task.owner,
                message=f"Task {task.id} ({task.title}) depends on dropped task(s) "
                f"{', '.join(missing)}; plan that work another way."))
    return findings
