"""Budget arithmetic for the budgeting node: share caps, trimming by priority, allocations.

Pure functions so the rules can be tested without a graph.
"""

from __future__ import annotations

from decimal import Decimal

from agents.state import DroppedTask, Task, cents

ZERO = Decimal("0")


def drop_order(tasks: list[Task]) -> list[Task]:
    """Least important first: lowest priority (5), then the most expensive, then by id."""
    return sorted(tasks, key=lambda t: (-t.priority, -t.estimated_cost, t.id))


def total(tasks: list[Task]) -> Decimal:
    return cents(sum((task.estimated_cost for task in tasks), ZERO))


def caps_in_usd(budget: Decimal, caps_percent: dict[str, Decimal]) -> dict[str, Decimal]:
    return {agent: cents(budget * pct / 100) for agent, pct in caps_percent.items()}


def apply_caps(
    tasks: list[Task], caps_usd: dict[str, Decimal]
) -> tuple[list[Task], list[DroppedTask]]:
    """Drop each agent's least important tasks until its plan fits under its share cap, then take
    back, most important first, what fits under the cap again.

    Dropping alone went too far: a gym's $18,000 acquisition campaign (priority 1) was dropped last,
    after the $100 of paid media and the $400 open day it had pushed over the cap, and those stayed
    dropped although they fit easily once it was gone.
    """
    dropped_ids: set[str] = set()
    for agent in dict.fromkeys(task.owner for task in tasks):
        mine = [task for task in tasks if task.owner == agent]
        cap = caps_usd.get(agent, ZERO)
        for task in drop_order(mine):
            if total([t for t in mine if t.id not in dropped_ids]) <= cap:
                break
            dropped_ids.add(task.id)
        for task in sorted((t for t in mine if t.id in dropped_ids), key=lambda t: (t.priority, t.estimated_cost, t.id)):
            if total([t for t in mine if t.id not in dropped_ids]) + task.estimated_cost <= cap:
                dropped_ids.discard(task.id)
    dropped = [dropped_task(task, "agent_cap") for task in drop_order(tasks) if task.id in dropped_ids]
    return [task for task in tasks if task.id not in dropped_ids], dropped


def trim_to(
    tasks: list[Task], limit: Decimal, reason: str = "over_budget"
) -> tuple[list[Task], list[DroppedTask]]:
    """Drop the least important tasks until the plan's total fits within `limit`."""
    kept = list(tasks)
    dropped: list[DroppedTask] = []
    for task in drop_order(tasks):
        if total(kept) <= limit:
            break
        kept.remove(task)
        dropped.append(dropped_task(task, reason))
    return kept, dropped


def cascade(kept: list[Task], dropped: list[DroppedTask]) -> tuple[list[Task], list[DroppedTask]]:
    """Drop funded tasks whose prerequisites were dropped: no paid media for a site nobody builds."""
    kept, dropped = list(kept), list(dropped)
    while True:
        gone = {item.task_id for item in dropped}
        orphans = [task for task in kept if any(dep in gone for dep in task.depends_on)]
        if not orphans:
            return kept, dropped
        for task in orphans:
            kept.remove(task)
            dropped.append(dropped_task(task, "dependency"))


def refill(
    kept: list[Task], dropped: list[DroppedTask], tasks: list[Task], limit: Decimal
) -> tuple[list[Task], list[DroppedTask]]:
    """Take back dropped tasks, most important first, that now fit and whose prerequisites are funded."""
    by_id = {task.id: task for task in tasks}
    kept, dropped = list(kept), list(dropped)
    changed = True
    while changed:
        changed = False
        candidates = [d for d in dropped if d.reason != "agent_cap"]
        for item in sorted(candidates, key=lambda d: (by_id[d.task_id].priority, d.estimated_cost, d.task_id)):
            task = by_id[item.task_id]
            funded = {t.id for t in kept}
            if all(dep in funded for dep in task.depends_on) and total([*kept, task]) <= limit:
                kept.append(task)
                dropped.remove(item)
                changed = True
                break
    order = {task.id: n for n, task in enumerate(tasks)}
    return sorted(kept, key=lambda t: order[t.id]), dropped


def fit(tasks: list[Task], limit: Decimal, reason: str = "over_budget") -> tuple[list[Task], list[DroppedTask]]:
    """Trim by priority to `limit`, drop what lost a prerequisite, then take back what fits again."""
    kept, dropped = trim_to(tasks, limit, reason)
    kept, dropped = cascade(kept, dropped)
    return refill(kept, dropped, tasks, limit)


def by_agent(tasks: list[Task]) -> dict[str, Decimal]:
    """Each agent's allocation: exactly what its funded tasks are estimated to cost."""
    sums: dict[str, Decimal] = {}
    for task in tasks:
        sums[task.owner] = sums.get(task.owner, ZERO) + task.estimated_cost
    return {agent: cents(amount) for agent, amount in sums.items()}


def dropped_task(task: Task, reason: str) -> DroppedTask:
    return DroppedTask.model_validate(
        {"task_id": task.id, "owner": task.owner, "estimated_cost": task.estimated_cost,
         "reason": reason}
    )
