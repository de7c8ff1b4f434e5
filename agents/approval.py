"""What the executive decides on after budgeting (a plan that would be cut, or a quote), and what
each decision does.

The payload names every task with its cost, objective and priority, shows what approving and
rejecting each do to the funded total and to the objectives' coverage, and reconciles the CFO's
plan total with the budget line by line, so nothing differs without a reason on the panel. The
pause reason is `approval_required` when something would be cut (a reject trims the plan) and
`quote` when the quote policy stops a plan that fits (a reject runs nothing); both carry the quote
(agents/quote.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from langgraph.types import interrupt

from agents import allocation as alloc
from agents.context import RunContext
from agents.events import emit, phase_completed, phase_started
from agents.state import Approval, Brief, DroppedTask, Plan, Task, dump

ZERO = Decimal("0")


@dataclass(frozen=True)
class Options:
    """The plan as the CFO proposed it, and the plan trimmed to caps and budget."""

    plan: Plan
    budget: Decimal
    caps_usd: dict[str, Decimal]
    trimmed: list[Task]
    trimmed_out: list[DroppedTask]
    over_caps: dict[str, Decimal]  # agent -> planned cost, for agents over their share cap

    @property
    def needs_decision(self) -> bool:
        """Anything would be cut: over budget or over an agent's share cap."""
        return bool(self.trimmed_out) or self.plan.total > self.budget


def options(plan: Plan, budget: Decimal, caps_usd: dict[str, Decimal]) -> Options:
    kept, dropped = alloc.apply_caps(plan.tasks, caps_usd)
    kept, dropped = alloc.cascade(kept, dropped)
    kept, trimmed = alloc.fit(kept, budget)
    dropped += trimmed
    kept, dropped = alloc.cascade(kept, dropped)
    planned = alloc.by_agent(plan.tasks)
    over = {agent: cost for agent, cost in planned.items() if cost > caps_usd.get(agent, ZERO)}
    return Options(plan, budget, caps_usd, kept, dropped, over)


def _uncovered(plan: Plan, funded: set[str], plannable: set[int]) -> list[int]:
    served = {i for task in plan.tasks if task.id in funded for i in task.objective_indexes}
    return sorted(plannable - served)


QUOTE = "quote"
APPROVAL_REQUIRED = "approval_required"


def payload(
    ctx: RunContext, plan: Plan, brief: Brief, objectives: list[dict[str, Any]], choice: Options,
    forced: list[str], quote: dict[str, Any] | None = None, reason: str = APPROVAL_REQUIRED,
) -> dict[str, Any]:
    """The interrupt payload the approval panel renders (see module docstring)."""
    texts = {o["index"]: o["text"] for o in objectives}
    plannable = {o["index"] for o in objectives if o["status"] == "ok"}
    rejecting_runs_nothing = reason == QUOTE
    kept_on_reject = [] if rejecting_runs_nothing else choice.trimmed
    reject_cut = {t.id for t in plan.tasks} if rejecting_runs_nothing else {d.task_id for d in choice.trimmed_out}
    total = plan.total
    overrun = max(ZERO, total - brief.budget_usd)
    tasks = [{
        "id": t.id, "title": t.title, "agent": t.owner, "agent_title": ctx.catalogue.title(t.owner),
        "priority": t.priority, "cost_usd": str(t.estimated_cost), "objective_indexes": t.objective_indexes,
        "objectives": [texts[i] for i in t.objective_indexes if i in texts], "depends_on": t.depends_on,
        "cut_on_reject": t.id in reject_cut, "over_agent_cap": t.owner in choice.over_caps,
    } for t in plan.tasks]  # fmt: skip
    all_ids = {t.id for t in plan.tasks}
    kept_ids = {t.id for t in kept_on_reject}
    reconciliation = [{"label": f"CFO plan total ({len(plan.tasks)} tasks)", "amount_usd": str(total)}]
    for agent, planned in choice.over_caps.items():
        cap = choice.caps_usd.get(agent, ZERO)
        reconciliation.append({
            "label": f"{ctx.catalogue.title(agent)} plans more than its share cap of ${cap:,.2f}",
            "amount_usd": str(planned - cap)})
    reconciliation += [
        {"label": "Business budget", "amount_usd": str(brief.budget_usd)},
        {"label": "Over budget if approved as planned", "amount_usd": str(overrun)},
        {"label": "Funded if rejected (nothing runs)" if rejecting_runs_nothing
         else f"Funded if rejected ({len(kept_ids)} tasks kept)", "amount_usd": str(alloc.total(kept_on_reject))},
    ]
    if rejecting_runs_nothing:
        reconciliation = [line for line in reconciliation if not line["label"].startswith("Over budget")]
    return {
        "reason": reason,
        "budget": str(brief.budget_usd),
        "plan_total": str(total),
        "amount": str(overrun),
        "rules": forced,
        "tasks": tasks,
        "objectives": [{"index": o["index"], "text": o["text"], "status": o["status"]} for o in objectives],
        "options": {
            "approve": {"funded_usd": str(total), "ceiling_usd": str(max(total, brief.budget_usd)),
                        "overrun_usd": str(overrun), "cut": [],
                        "uncovered_objectives": _uncovered(plan, all_ids, plannable)},
            "reject": {"funded_usd": str(alloc.total(kept_on_reject)), "ceiling_usd": str(brief.budget_usd),
                       "overrun_usd": "0.00", "cut": [t.id for t in plan.tasks if t.id in reject_cut],
                       "uncovered_objectives": _uncovered(plan, kept_ids, plannable)},
        },
        "reconciliation": reconciliation,
        "caps": [{"agent": a, "agent_title": ctx.catalogue.title(a), "cap_usd": str(choice.caps_usd.get(a, ZERO)),
                  "planned_usd": str(p)} for a, p in choice.over_caps.items()],
        # Older clients read these two.
        "tasks_to_trim": [t.id for t in plan.tasks if t.id in reject_cut],
        "dropped_for_caps": [d.task_id for d in choice.trimmed_out if d.reason == "agent_cap"],
        **({"quote": quote} if quote is not None else {}),
    }


def ask_approval(
    ctx: RunContext, plan: Plan, brief: Brief, objectives: list[dict[str, Any]], choice: Options,
    forced: list[str], quote: dict[str, Any] | None = None, reason: str = APPROVAL_REQUIRED,
) -> Approval:
    """Pause for the executive; resume value {"decision": approve|reject|edit, "note", "cut"}."""
    phase_started("approval")
    data = payload(ctx, plan, brief, objectives, choice, forced, quote, reason)
    emit("approval.required", data, key="approval.required", phase="approval")
    answer = interrupt(data)
    answer = answer if isinstance(answer, dict) else {}
    decision = answer.get("decision")
    known = {task.id for task in plan.tasks}
    cut = [i for i in dict.fromkeys(answer.get("cut") or []) if i in known]
    if decision == "edit" and (not cut or len(cut) == len(known)):
        decision = "reject" if cut else "approve"  # the service refuses these; stay safe regardless
    approval = Approval(
        decision=decision if decision in ("approve", "reject", "edit") else "reject",
        note=str(answer.get("note", ""))[:500],
        amount=ZERO,
        forced_by=forced,
        cut=cut if decision == "edit" else [],
        reason=QUOTE if reason == QUOTE else APPROVAL_REQUIRED,
        by="deadline" if answer.get("by") == "deadline" else "executive",
    )
    titles = {task.id: task.title for task in plan.tasks}
    if approval.decision == "approve":
        funded = plan.tasks
    elif approval.decision == "edit":
        funded = [t for t in plan.tasks if t.id not in set(cut)]
    else:
        funded = choice.trimmed if choice.needs_decision and reason != QUOTE else []
    total = alloc.total(funded)
    overrun = max(ZERO, total - brief.budget_usd)
    approval.amount = overrun
    emit("approval.decided", {
        **dump(approval), "reason": reason, "cut_titles": [titles[i] for i in approval.cut],
        "funded_usd": str(total), "ceiling_usd": str(brief.budget_usd + overrun), "overrun_usd": str(overrun),
    }, key="approval.decided", phase="approval")  # fmt: skip
    phase_completed("approval", {"decision": approval.decision, "cut": approval.cut})
    return approval
