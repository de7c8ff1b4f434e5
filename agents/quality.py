"""The deterministic quality check every report carries: coverage, arithmetic, schedule, sources,
screening and currency. A failed check is shown as a finding in every rendering, never hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from agents.report_model import Check, StructuredReport
from agents.state import cents

ZERO = Decimal("0")


def _coverage(report: StructuredReport) -> list[str]:
    funded = {t.id for t in report.tasks if t.status == "funded"}
    problems = []
    for row in report.objectives:
        if row.status == "covered" and not (row.task_ids and set(row.task_ids) <= funded):
            problems.append(f"objective {row.index} is called covered without funded tasks")
        if row.status != "covered" and not row.reason:
            problems.append(f"objective {row.index} is {row.status} without a reason")
    return problems


def _arithmetic(report: StructuredReport) -> list[str]:
    problems = []
    budget = report.budget
    for item in report.line_items:
        if cents(item.quantity * item.unit_usd) != item.amount_usd:
            problems.append(f"{item.id}: {item.quantity} x {item.unit_usd} is not {item.amount_usd}")
    for row in budget.by_agent:
        items = cents(sum((i.amount_usd for i in report.line_items if i.agent == row.agent), ZERO))
        if items != row.committed_usd:
            problems.append(f"{row.agent}: line items add up to {items}, not {row.committed_usd}")
        if row.remaining_usd != cents(row.allocated_usd - row.committed_usd):
            problems.append(f"{row.agent}: remaining is not allocated minus committed")
    committed = cents(sum((r.committed_usd for r in budget.by_agent), ZERO))
    if committed != budget.committed_usd:
        problems.append(f"agents commit {committed}, the total says {budget.committed_usd}")
    if budget.remaining_usd != cents(budget.ceiling_usd - budget.committed_usd):
        problems.append("remaining is not the ceiling minus committed")
    if budget.unspent_usd != cents(max(ZERO, budget.total_usd - budget.committed_usd)):
        problems.append("unspent is not the budget minus committed")
    if budget.committed_usd > budget.ceiling_usd:
        problems.append(f"committed {budget.committed_usd} exceeds the ceiling {budget.ceiling_usd}")
    funded = cents(sum((t.cost_usd for t in report.tasks if t.status == "funded"), ZERO))
    if funded != budget.funded_usd:
        problems.append(f"funded tasks cost {funded}, the budget says {budget.funded_usd}")
    planned = cents(sum((t.cost_usd for t in report.tasks), ZERO))
    if planned != budget.plan_total_usd:
        problems.append(f"tasks add up to {planned}, the plan total says {budget.plan_total_usd}")
    live = {t.id for t in report.tasks if t.status == "funded"}
    for item in report.line_items:
        if item.task_id and item.task_id not in live:
            problems.append(f"{item.id} commits money to {item.task_id}, which is not funded")
    return problems


def _schedule(report: StructuredReport) -> list[str]:
    problems = []
    tasks = {t.id: t for t in report.tasks if t.status == "funded"}
    for task in tasks.values():
        if task.start_day is None or task.end_day is None:
            problems.append(f"{task.id} has no dates")
            continue
        if not 1 <= task.start_day <= task.end_day <= report.timeline_days:
            problems.append(f"{task.id} runs days {task.start_day}–{task.end_day}, outside 1–{report.timeline_days}")
        for dep in task.depends_on:
            before = tasks.get(dep)
            if before and before.end_day is not None and not before.recurring and task.start_day is not None \
                    and task.start_day <= before.end_day and task.start_day < report.timeline_days:
                problems.append(f"{task.id} starts before {dep}, which it depends on, ends")
    return problems


def _sources(report: StructuredReport) -> list[str]:
    facts = {f.id: f for f in report.facts}
    problems = []
    for item in report.line_items:
        if item.category == "filing_fee" and not item.fact_ids:
            problems.append(f"{item.id} ({item.description}) is a fee with no sourced fact")
        for fact_id in item.fact_ids:
            if fact_id not in facts:
                problems.append(f"{item.id} cites an unknown fact {fact_id}")
    for fact in report.facts:
        if not fact.source_url.startswith("https://") or len(fact.as_of) != 10:
            problems.append(f"fact {fact.id} lacks an https source or an ISO date")
    return problems


def _screening(report: StructuredReport) -> list[str]:
    problems = []
    blocked = {row.index for row in report.objectives if row.status in ("refused", "unclear")}
    for row in report.objectives:
        if row.status == "refused" and not row.rule:
            problems.append(f"objective {row.index} is refused without the rule it breaks")
    for task in report.tasks:
        if task.status == "funded" and set(task.objective_indexes) & blocked:
            problems.append(f"{task.id} is funded for a refused or unclear objective")
    return problems


def _currency(report: StructuredReport) -> list[str]:
    rates = {r.currency: r.usd_per_unit for r in report.exchange_rates}
    problems = []
    for fact in report.facts:
        if fact.currency == "USD":
            if fact.amount_usd != fact.amount:
                problems.append(f"fact {fact.id}: USD amount converted")
            continue
        if fact.currency not in rates:
            problems.append(f"fact {fact.id} in {fact.currency} has no dated rate")
        elif cents(fact.amount * rates[fact.currency]) != fact.amount_usd:
            problems.append(f"fact {fact.id}: {fact.amount} {fact.currency} is not {fact.amount_usd} USD")
    return problems


CHECKS: dict[str, tuple[Callable[[StructuredReport], list[str]], str]] = {
    "coverage": (_coverage, "every objective is covered by funded tasks or says why not"),
    "arithmetic": (_arithmetic, "quantities x unit prices, agent totals and the budget reconcile to the cent"),
    "schedule": (_schedule, "every funded task fits the timeline after the tasks it depends on"),
    "sources": (_sources, "every fee has a sourced, dated fact"),
    "screening": (_screening, "refused and unclear objectives carry their reason and get no money"),
    "currency": (_currency, "every foreign amount is converted once at a dated rate"),
}


def run_checks(report: StructuredReport) -> list[Check]:
    """All checks, passed or not, with what failed in `detail`."""
    results = []
    for name, (check, passing) in CHECKS.items():
        problems = check(report)
        detail = passing if not problems else "; ".join(problems[:5]) + (
            f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
        results.append(Check(name=name, passed=not problems, detail=detail))
    return results
