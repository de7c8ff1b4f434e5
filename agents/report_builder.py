"""Build the structured report from the run's state: every figure computed once, here.

Coverage comes from the screening and the funded tasks, money from the line items and the
allocation, dates from the schedule, facts from the reference data. Renderings only format it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from agents.catalogue import Catalogue
from agents.knowledge import market
from agents.knowledge.playbooks import base_kind, task_kinds_for
from agents.report_model import (
    AgentBudget,
    BudgetSummary,
    Decision,
    DeliverableRow,
    FactRow,
    Flag,
    JurisdictionRow,
    KPIRow,
    LineItemRow,
    Milestone,
    ObjectiveRow,
    RateRow,
    StructuredReport,
    TaskRow,
)
from agents.report_risks import kpis_for, outcome_statements, risks_for
from agents.schedule import Schedule, build_schedule
from agents.state import (
    SPECIALISTS,
    Allocation,
    Brief,
    Deliverable,
    Finding,
    ObjectiveCheck,
    Plan,
    Task,
    cents,
)

ZERO = Decimal("0")
OFFLINE_LABEL = "Offline provider (rules and reference data, no AI model)"


def _objective_rows(
    checks: list[ObjectiveCheck], plan: Plan, funded: set[str], dropped: Mapping[str, str],
    allocation: Allocation, catalogue: Catalogue,
) -> list[ObjectiveRow]:
    """Covered means the objective's main task is funded, not just any task serving it.

    The main task is the one doing what the objective's kind is about: the first task kind its
    playbook names (a website objective's is building the site, not its hosting), whichever
    objective the task was planned for first. Failing that, the most important task planned for
    this objective itself (not one it shares with an earlier objective), so "covered" never rests
    on supporting work alone.
    """
    uncovered = {item.index: item.reason for item in plan.not_covered}
    rows = []
    for check in checks:
        core = _core_kinds(check.kind)
        serving = sorted((t for t in plan.tasks if check.index in t.objective_indexes),
                         key=lambda t: (core.get(base_kind(t.kind), len(core)),
                                        t.objective_indexes[0] != check.index, t.priority, _number(t.id)))
        live = [t.id for t in serving if t.id in funded]
        row = ObjectiveRow(index=check.index, text=check.text, kind=check.kind or "unknown",
                           kind_label=check.kind_label, status="covered", task_ids=live,
                           outside_scope=check.outside_scope)
        if check.status != "ok":
            row.status, row.reason, row.rule = check.status, check.reason, check.rule
            row.source_url, row.task_ids, row.outside_scope = check.source_url, [], ""
        elif not serving:
            row.status, row.reason = "not_covered", uncovered.get(check.index, "No task serves it.")
        elif serving[0].id not in funded:
            main = serving[0]
            row.status = "not_covered"
            why = dropped.get(main.id, "over_budget")
            blockers = _dropped_prerequisites(main, plan, funded) if why == "dependency" else []
            row.reason = (f"Its main task, {main.id} {main.title}, was dropped because "
                          f"{_DROP_WHY[why]}"
                          + "".join(f" ({t.id} {t.title}: {_DROP_LABEL_SHORT.get(dropped.get(t.id, ''), 'dropped')})"
                                    for t in blockers[:1])
                          + (f"; {', '.join(live)} "
                             + ("is funded but does not" if len(live) == 1 else "are funded but do not")
                             + " achieve it alone" if live else "")
                          + f". Funding {' and '.join([main.id, *[t.id for t in blockers]])} covers it"
                          + _what_funds_it(main, plan, funded, dropped, allocation, catalogue) + ".")
        rows.append(row)
    return rows


_DROP_LABEL_SHORT = {"agent_cap": "over its agent's share cap", "over_budget": "over budget",
                     "rejected": "rejected", "cut": "cut by the executive", "dependency": "lost a prerequisite"}


def _dropped_prerequisites(task: Task, plan: Plan, funded: set[str]) -> list[Task]:
    """The unfunded work `task` depends on, directly or through other unfunded work, nearest first."""
    by_id = {t.id: t for t in plan.tasks}
    found: list[Task] = []
    queue = [d for d in task.depends_on if d in by_id]
    while queue:
        current = by_id[queue.pop(0)]
        if current.id in funded or current in found or current.id == task.id:
            continue
        found.append(current)
        queue += [d for d in current.depends_on if d in by_id]
    return found


def _what_funds_it(main: Task, plan: Plan, funded: set[str], dropped: Mapping[str, str], allocation: Allocation,
                   catalogue: Catalogue) -> str:  # fmt: skip
    """For a task its agent's share cap dropped: the cap that would fund it, and any budget it also needs.

    Without it the reader sees money left unspent and an objective not covered, and cannot tell
    that the admin's cap, not the budget, stands between them."""
    if dropped.get(main.id) != "agent_cap" or allocation.budget <= 0:
        return ""
    if main.estimated_cost > allocation.budget:
        return f", but at ${main.estimated_cost:,.2f} it costs more than the whole budget of ${allocation.budget:,.2f}"
    cap = allocation.caps.get(main.owner, ZERO)
    agent_funded = sum((t.estimated_cost for t in plan.tasks if t.id in funded and t.owner == main.owner), ZERO)
    needed = agent_funded + main.estimated_cost
    percent = (cap * 100 / allocation.budget).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    needed_percent = (needed * 100 / allocation.budget).to_integral_value(rounding=ROUND_CEILING)
    text = (f": it costs ${main.estimated_cost:,.2f}, and the {catalogue.title(main.owner)}'s share cap is "
            f"${cap:,.2f} ({percent}% of the budget)")
    if needed_percent > 100:
        return text + (f"; with this agent's funded work it comes to ${needed:,.2f}, more than the whole budget "
                       f"of ${allocation.budget:,.2f}")
    shortfall = sum((t.estimated_cost for t in plan.tasks if t.id in funded), ZERO) + main.estimated_cost - allocation.budget
    text += f"; a cap of {needed_percent}% (Admin → Budgets) would fund it"
    return text + (f", with ${shortfall:,.2f} more budget" if shortfall > 0 else "")


def _core_kinds(objective_kind: str | None) -> dict[str, int]:
    """{task kind: 0} for the first task kind the objective kind's playbook names (none: {})."""
    kinds = task_kinds_for(objective_kind or "")
    return {kinds[0]: 0} if kinds else {}


def _number(task_id: str) -> int:
    digits = "".join(ch for ch in task_id if ch.isdigit())
    return int(digits) if digits else 0


_DROP_WHY = {
    "agent_cap": "it did not fit its agent's share cap", "over_budget": "the plan exceeded the budget",
    "rejected": "the executive rejected the plan", "cut": "the executive cut it",
    "dependency": "work it depends on was dropped",
}


def _task_rows(plan: Plan, schedule: Schedule, dropped: Mapping[str, str], catalogue: Catalogue) -> list[TaskRow]:
    slots = {slot.task.id: slot for slot in schedule.slots}
    rows = []
    for task in plan.tasks:
        slot = slots.get(task.id)
        rows.append(TaskRow(
            id=task.id, title=task.title, agent=task.owner, agent_title=catalogue.title(task.owner),
            kind=task.kind, objective_indexes=task.objective_indexes, priority=task.priority,
            status="dropped" if task.id in dropped else "funded", drop_reason=dropped.get(task.id, ""),
            cost_usd=task.estimated_cost, start_day=slot.start_day if slot else None,
            end_day=slot.end_day if slot else None, recurring=slot.recurring if slot else False,
            critical=slot.critical if slot else False, depends_on=task.depends_on,
            rationale=task.rationale, typical_end_day=schedule.typical_ends.get(task.id)))  # fmt: skip
    return rows


def _budget(allocation: Allocation, deliverables: dict[str, Deliverable], plan: Plan, funded: set[str],
            catalogue: Catalogue) -> BudgetSummary:
    agents = [a for a in SPECIALISTS if a in allocation.by_agent or a in deliverables]
    rows = []
    for agent in agents:
        allocated = allocation.by_agent.get(agent, ZERO)
        committed = deliverables[agent].committed if agent in deliverables else ZERO
        rows.append(AgentBudget(agent=agent, agent_title=catalogue.title(agent), allocated_usd=allocated,
                                committed_usd=committed, remaining_usd=cents(allocated - committed)))
    committed = cents(sum((r.committed_usd for r in rows), ZERO))
    return BudgetSummary(
        total_usd=allocation.budget, ceiling_usd=allocation.ceiling, plan_total_usd=plan.total,
        funded_usd=cents(sum((t.estimated_cost for t in plan.tasks if t.id in funded), ZERO)),
        committed_usd=committed, remaining_usd=cents(allocation.ceiling - committed),
        unspent_usd=cents(max(ZERO, allocation.budget - committed)), by_agent=rows)


def _line_items(deliverables: dict[str, Deliverable]) -> list[LineItemRow]:
    rows = []
    for agent in SPECIALISTS:
        if agent not in deliverables:
            continue
        for item in deliverables[agent].line_items:
            rows.append(LineItemRow(
                id=item.id, agent=agent, task_id=item.task_id, description=item.description,
                category=item.category, quantity=item.quantity, unit=item.unit,
                unit_usd=item.unit_usd or item.amount, amount_usd=item.amount, fact_ids=item.fact_ids))
    return rows


# Reference facts that belong to one kind of task: listed only when the plan has such a task, so a
# plan without a trademark filing cites no trademark fee.
FACT_KINDS = {"trademark:": "trademark", "formation:": "formation", "irs:": "nonprofit_filing"}


def _facts(reference: dict[str, Any], used: set[str], planned_kinds: set[str]) -> list[FactRow]:
    """Facts behind the committed fees first, then the other reference facts the report relies on."""
    facts = {f: fact for f, fact in reference.get("facts", {}).items()
             if f in used or all(not f.startswith(prefix) or kind in planned_kinds
                                 for prefix, kind in FACT_KINDS.items())}
    order = sorted(facts, key=lambda f: (f not in used, f))
    return [FactRow(id=f, what=facts[f]["what"], jurisdiction=facts[f]["jurisdiction"],
                    amount=Decimal(facts[f]["amount"]), currency=facts[f]["currency"],
                    amount_usd=Decimal(facts[f]["amount_usd"]), classes=facts[f].get("classes"),
                    source_url=facts[f]["source_url"], as_of=facts[f]["as_of"], note=facts[f].get("note", ""))
            for f in order]


def _decision(allocation: Allocation, policy: str) -> Decision | None:
    if allocation.approval is not None:
        a = allocation.approval
        # A reject names no tasks: the trim chose them, so the cut is what the allocation dropped.
        cut = [d.task_id for d in allocation.dropped] if a.decision == "reject" else a.cut
        return Decision(decision=a.decision, by=a.by, note=a.note, cut=cut,
                        overrun_usd=allocation.overrun, quote=a.reason == "quote", executed=allocation.executed)
    cut = [d.task_id for d in allocation.dropped]
    if cut and policy in ("never", "trim"):  # trim: runs created before the quote policy
        return Decision(decision="trim", by="policy", cut=cut)
    return None


def next_steps(schedule: Schedule, catalogue: Catalogue, limit: int = 8) -> list[str]:
    """Funded tasks in schedule order: what to start first."""
    return [f"Day {s.start_day}: {s.task.id} {s.task.title} ({catalogue.title(s.task.owner)}, "
            f"${s.task.estimated_cost:,.2f})" for s in schedule.slots[:limit]]


def build_report(
    state: dict[str, Any], findings: list[Finding], narrative: dict[str, Any], catalogue: Catalogue,
    offline: bool, policy: str,
) -> StructuredReport:
    """The whole structured report (checks are added by `agents.quality`)."""
    brief = Brief.model_validate(state["brief"])
    plan = Plan.model_validate(state["plan"])
    allocation = Allocation.model_validate(state["allocation"])
    reference = state.get("reference") or {}
    checks = [ObjectiveCheck.model_validate(raw) for raw in state.get("objectives", [])]
    deliverables = {a: Deliverable.model_validate(raw) for a, raw in (state.get("deliverables") or {}).items()}
    dropped = {d.task_id: d.reason for d in allocation.dropped}
    funded = {t.id for t in plan.tasks if t.id not in dropped} if allocation.executed else set()
    if not allocation.executed:
        dropped = {t.id: dropped.get(t.id, "rejected") for t in plan.tasks}
    schedule = build_schedule([t for t in plan.tasks if t.id in funded], brief.timeline_days, reference)
    objectives = _objective_rows(checks, plan, funded, dropped, allocation, catalogue)
    items = _line_items(deliverables)
    used = {f for item in items for f in item.fact_ids}
    place = reference.get("jurisdiction") or {"label": brief.company.location}
    flags = [Flag(**flag) for flag in reference.get("flags", [])]
    if schedule.compressed:
        flags.append(Flag(code="schedule_compressed", message=(
            f"The dependent work needs about {schedule.needed_days} days but the timeline has "
            f"{brief.timeline_days}; durations were compressed to fit, so the dates are at risk.")))
    rates = [RateRow(currency=c, usd_per_unit=Decimal(r["usd_per_unit"]), source_url=r["source_url"],
                     as_of=r["as_of"]) for c, r in sorted((reference.get("rates") or {}).items())]
    entity = reference.get("entity") or {}
    report = StructuredReport(
        company=brief.company.model_dump(), timeline_days=brief.timeline_days, offline=offline,
        provider_label=OFFLINE_LABEL if offline else "",
        executive_summary=str(narrative.get("executive_summary", "")).strip(),
        objectives=objectives, tasks=_task_rows(plan, schedule, dropped, catalogue),
        budget=_budget(allocation, deliverables, plan, funded, catalogue), line_items=items,
        deliverables=[DeliverableRow(agent=a, agent_title=catalogue.title(a), title=d.title,
                                     summary_markdown=d.summary_markdown, outputs=d.items,
                                     committed_usd=d.committed)
                      for a in SPECIALISTS if (d := deliverables.get(a)) is not None],
        facts=_facts(reference, used, {base_kind(t.kind) for t in plan.tasks if t.kind}), exchange_rates=rates,
        jurisdiction=JurisdictionRow(label=place.get("label", ""), country_code=place.get("country_code"),
                                     region_code=place.get("region_code"),
                                     ambiguous=bool(place.get("ambiguous")), note=place.get("note", "")),
        trademark_classes=list((reference.get("trademark") or {}).get("classes", [])),
        entity_advice=(f"{entity['entity']} in {entity['jurisdiction']}: {entity['why']}" if entity else ""),
        milestones=[Milestone(day=m.day, title=m.title, task_id=m.task_id, after_timeline=m.after_timeline)
                    for m in schedule.milestones],
        critical_path=schedule.critical_path, next_steps=next_steps(schedule, catalogue),
        decision=_decision(allocation, policy), flags=flags,
        assumptions=_assumptions(brief, reference, rates),
    )
    report.risks = risks_for(report, findings, reference, catalogue)
    report.kpis = [KPIRow(**row) for row in kpis_for(report, checks)]
    report.outcome_statements = outcome_statements(report, checks)
    return report


def _assumptions(brief: Brief, reference: dict[str, Any], rates: list[RateRow]) -> list[str]:
    lines = [f"Day 1 is the day {brief.company.name}'s plan is approved and day {brief.timeline_days} its last; "
             f"subscriptions are billed per started month. {market.BASIS}"]
    capital_id = (reference.get("entity") or {}).get("minimum_capital")
    if capital_id:
        fact = reference["facts"][capital_id]
        detail = fact["note"] or f"{fact['currency']} {Decimal(fact['amount']):,.2f} paid in at registration"
        lines.append(f"Share capital for the {reference['entity']['entity']}: {detail.rstrip('.')}. It stays the "
                     "company's money, so it is not in the budget.")
    if rates:
        lines.append(f"{brief.company.name}'s fees charged in " + ", ".join(r.currency for r in rates)
                     + f" are converted to USD once, at planning rates compiled on {rates[0].as_of} (see the "
                     "sources); confirm the rate on the day of payment.")
    return lines
