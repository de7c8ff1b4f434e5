"""The quote a run shows before money moves: the plan, its business budget, its AI-spend forecast.

Both pauses after budgeting carry it (`quote` when the policy is `always` and nothing needs a
decision, `approval_required` when something would be cut), so the executive sees what each
option funds and what it will cost in AI spend before accepting, editing or rejecting.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents import allocation as alloc
from agents.approval import Options
from agents.context import RunContext
from agents.forecast import Forecast, forecast
from agents.state import Brief, Plan, Task

ZERO = Decimal("0")


def budget_by_agent(ctx: RunContext, plan: Plan, choice: Options) -> list[dict[str, Any]]:
    """Planned cost per agent, what the trimmed plan keeps of it, and the agent's share cap."""
    planned = alloc.by_agent(plan.tasks)
    trimmed = alloc.by_agent(choice.trimmed)
    return [{
        "agent": agent, "agent_title": ctx.catalogue.title(agent), "planned_usd": str(amount),
        "trimmed_usd": str(trimmed.get(agent, ZERO)), "cap_usd": str(choice.caps_usd.get(agent, ZERO)),
        "tasks": sum(1 for t in plan.tasks if t.owner == agent),
    } for agent, amount in planned.items()]  # fmt: skip


def budget_by_objective(plan: Plan, objectives: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Planned cost per objective, each task counted once under the objective it mainly serves."""
    texts = {o["index"]: o["text"] for o in objectives}
    rows: dict[int, dict[str, Any]] = {}
    for task in plan.tasks:
        index = task.objective_indexes[0] if task.objective_indexes else 0
        row = rows.setdefault(index, {"index": index, "text": texts.get(index, "Work shared by the plan"),
                                      "planned": ZERO, "tasks": []})
        row["planned"] += task.estimated_cost
        row["tasks"].append(task.id)
    return [{"index": r["index"], "text": r["text"], "planned_usd": str(r["planned"]), "tasks": r["tasks"]}
            for _, r in sorted(rows.items(), key=lambda item: (item[0] == 0, item[0]))]


def forecasts(
    ctx: RunContext, state: dict[str, Any], plan: Plan, choice: Options, reason: str
) -> dict[str, Any]:
    """The forecast of each option: as planned, and what a reject leaves (trimmed, or nothing run)."""
    options: dict[str, Any] = {"approve": forecast(ctx, state, plan.tasks).to_json()}
    if reason == "quote":
        options["reject"] = forecast(ctx, state, [], executed=False).to_json()
    else:
        options["reject"] = forecast(ctx, state, choice.trimmed).to_json()
    return options


def quote(
    ctx: RunContext, state: dict[str, Any], plan: Plan, brief: Brief, objectives: list[dict[str, Any]],
    choice: Options, reason: str,
) -> dict[str, Any]:
    """The quote every decision panel and every watcher sees (JSON: money as strings)."""
    options = forecasts(ctx, state, plan, choice, reason)
    return {
        "policy": ctx.policy,
        "budget_usd": str(brief.budget_usd),
        "plan_total_usd": str(plan.total),
        "by_agent": budget_by_agent(ctx, plan, choice),
        "by_objective": budget_by_objective(plan, objectives),
        "forecast": options["approve"],
        "forecast_options": options,
    }


def funded_forecast(ctx: RunContext, state: dict[str, Any], kept: list[Task], executed: bool) -> Forecast:
    """The forecast of what was decided, kept in the state for the report's forecast-vs-actual."""
    return forecast(ctx, state, kept, executed)
