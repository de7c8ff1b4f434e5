"""Budgeting: fit the plan to the budget and the agents' share caps, or let the executive decide.

The organisation's quote policy says when the run stops before money moves. Under `over_budget`
(the older `approve`) any plan that would otherwise be cut (over budget, or over an agent's share
cap) pauses for the executive, who approves it, rejects it (the plan is trimmed by priority) or
edits it (chooses the tasks to cut). Under `always` a plan that fits pauses too, at its quote
(accept, edit, or reject: nothing runs). Under `never` (the older `trim`) the cuts are made and
said, task by task. Approval rules from the policies demand a sign-off under every policy. Each
pause carries the quote with its AI-spend forecast; the forecast of what was decided stays in the
state for the report. Everything before `interrupt()` is idempotent because the node re-runs on
resume.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from langgraph.runtime import Runtime

from agents import allocation as alloc
from agents.approval import APPROVAL_REQUIRED, QUOTE, Options, ask_approval, options
from agents.context import RunContext
from agents.events import budget_snapshot, emit, phase_completed, phase_started
from agents.quote import funded_forecast, quote
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
    """Decide what is funded, record the allocation, and say what was cut and why."""
    ctx = runtime.context
    ctx.check_cancelled()
    phase_started(PHASE)
    brief = Brief.model_validate(state["brief"])
    plan = Plan.model_validate(state["plan"])
    caps_usd = alloc.caps_in_usd(brief.budget_usd, ctx.caps_percent())
    choice = options(plan, brief.budget_usd, caps_usd)
    forced: list[str] = state["policy"].get("approval_rules", [])
    approval: Approval | None = None
    executed = True
    objectives = state["objectives"]
    if ctx.policy == "never":
        kept, dropped = choice.trimmed, choice.trimmed_out
        if forced:
            offer = quote(ctx, dict(state), plan, brief, objectives, choice, APPROVAL_REQUIRED)
            approval = ask_approval(ctx, plan, brief, objectives, choice, forced, offer)
            if approval.decision == "reject":
                dropped += [alloc.dropped_task(task, "rejected") for task in kept]
                kept, executed = [], False
    elif choice.needs_decision or forced:
        offer = quote(ctx, dict(state), plan, brief, objectives, choice, APPROVAL_REQUIRED)
        approval = ask_approval(ctx, plan, brief, objectives, choice, forced, offer)
        kept, dropped, executed = _apply(approval, plan, choice)
    elif ctx.policy == "always":
        offer = quote(ctx, dict(state), plan, brief, objectives, choice, QUOTE)
        approval = ask_approval(ctx, plan, brief, objectives, choice, forced, offer, QUOTE)
        kept, dropped, executed = _apply(approval, plan, choice)
    else:
        kept, dropped = list(plan.tasks), []
    forecast = funded_forecast(ctx, dict(state), kept, executed)
    funded = alloc.total(kept)
    overrun = max(ZERO, funded - brief.budget_usd)
    allocation = Allocation(
        budget=brief.budget_usd,
        ceiling=cents(brief.budget_usd + overrun),
        caps=caps_usd,
        by_agent=alloc.by_agent(kept),
        plan_total=plan.total,
        overrun=overrun,
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
    titles = {task.id: task.title for task in plan.tasks}
    phase_completed(
        PHASE,
        {
            "allocated": str(allocation.total),
            "ceiling": str(allocation.ceiling),
            "plan_total": str(plan.total),
            "dropped": [d.task_id for d in dropped],
            "cut": [{"id": d.task_id, "title": titles.get(d.task_id, d.task_id), "reason": d.reason,
                     "cost_usd": str(d.estimated_cost)} for d in dropped],
            "ai_forecast": {"low_usd": str(forecast.low_usd), "high_usd": str(forecast.high_usd),
                            "priced": forecast.priced, "offline": forecast.offline},
        },
    )
    findings = _findings(plan, kept, dropped)
    return {"allocation": dump(allocation), "findings": [dump(f) for f in findings],
            "forecast": forecast.to_json()}


def _apply(approval: Approval, plan: Plan, choice: Options) -> tuple[list[Task], list[DroppedTask], bool]:
    """The funded and dropped tasks after the executive's decision."""
    if approval.decision == "approve":
        return list(plan.tasks), [], True
    if approval.decision == "edit":
        cut = set(approval.cut)
        kept = [task for task in plan.tasks if task.id not in cut]
        return kept, [alloc.dropped_task(t, "cut") for t in plan.tasks if t.id in cut], bool(kept)
    if choice.needs_decision:
        return choice.trimmed, choice.trimmed_out, True
    return [], [alloc.dropped_task(task, "rejected") for task in plan.tasks], False


WHY = {
    "agent_cap": "it did not fit under the agent's share cap",
    "over_budget": "the plan cost more than the budget",
    "rejected": "the executive rejected the plan",
    "cut": "the executive cut it from the plan",
    "dependency": "a task it depends on was dropped",
}


def _findings(plan: Plan, kept: list[Task], dropped: list[DroppedTask]) -> list[Finding]:
    """Say what was dropped and which funded tasks lost something they depend on."""
    findings: list[Finding] = []
    titles = {task.id: task.title for task in plan.tasks}
    for item in dropped:
        findings.append(Finding(
            id=f"budget:dropped:{item.task_id}", severity="warning", agent=item.owner,
            message=f"{item.task_id} {titles.get(item.task_id, '?')} (${item.estimated_cost:,.2f}) was "
            f"dropped because {WHY[item.reason]}."))
    gone = {item.task_id for item in dropped}
    for task in kept:
        missing = [dep for dep in task.depends_on if dep in gone]
        if missing:
            names = ", ".join(f"{dep} {titles.get(dep, '')}".strip() for dep in missing)
            findings.append(Finding(
                id=f"budget:dependency:{task.id}", severity="warning", agent=task.owner,
                message=f"{task.id} {task.title} is funded but depends on dropped work ({names}); "
                "plan that work another way."))
    return findings
