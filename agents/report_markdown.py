"""The executive report in Markdown. Numbers come from code; the narrative comes from the LLM."""

from __future__ import annotations

from decimal import Decimal

from agents.catalogue import Catalogue
from agents.outputs import ReportNarrative
from agents.state import (
    SPECIALISTS,
    Allocation,
    Brief,
    Deliverable,
    Finding,
    Plan,
    SpendRow,
    cents,
)
from agents.timeline import schedule

ZERO = Decimal("0")
SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def usd(value: Decimal) -> str:
    return f"${cents(value):,.2f}"


def cell(text: str) -> str:
    """Table cells must not break the table."""
    return text.replace("|", "\\|").replace("\n", " ")


def spend_rows(allocation: Allocation, deliverables: dict[str, Deliverable]) -> list[SpendRow]:
    agents = [a for a in SPECIALISTS if a in allocation.by_agent or a in deliverables]
    rows = []
    for agent in agents:
        allocated = allocation.by_agent.get(agent, ZERO)
        committed = deliverables[agent].committed if agent in deliverables else ZERO
        rows.append(SpendRow(agent=agent, allocated=allocated, committed=committed,
                             remaining=cents(allocated - committed)))
    return rows


def render(
    brief: Brief,
    plan: Plan,
    allocation: Allocation,
    deliverables: dict[str, Deliverable],
    findings: list[Finding],
    narrative: ReportNarrative,
    catalogue: Catalogue,
) -> tuple[str, list[SpendRow]]:
    """The whole report and the spend rows its table was built from."""
    rows = spend_rows(allocation, deliverables)
    out: list[str] = [
        f"# Executive report: {brief.company.name}",
        "",
        f"_{brief.company.industry} · {brief.company.location} · budget "
        f"{usd(brief.budget_usd)} over {brief.timeline_days} days_",
        "",
        "## Executive summary",
        "",
        narrative.executive_summary.strip(),
        "",
    ]
    out += _plan_section(plan, allocation, catalogue)
    out += _spend_section(rows, allocation, catalogue)
    for agent in (row.agent for row in rows):
        if agent in deliverables:
            out += _agent_section(deliverables[agent], catalogue)
    out += _risks_section(findings, narrative)
    out += ["## Next steps", ""]
    out += [f"{n}. {step}" for n, step in enumerate(narrative.next_steps, start=1)] or ["-"]
    out += ["", *_timeline_section(plan, allocation, brief.timeline_days, catalogue)]
    return "\n".join(out).rstrip() + "\n", rows


def _plan_section(plan: Plan, allocation: Allocation, catalogue: Catalogue) -> list[str]:
    dropped = {item.task_id: item.reason for item in allocation.dropped}
    lines = ["## Plan", "", plan.summary.strip(), "",
             "| Task | Owner | Priority | Estimated cost | Status |",
             "|---|---|---:|---:|---|"]
    for task in plan.tasks:
        status = f"dropped ({dropped[task.id].replace('_', ' ')})" if task.id in dropped else "funded"
        lines.append(f"| {task.id} {cell(task.title)} | {catalogue.title(task.owner)} | "
                     f"{task.priority} | {usd(task.estimated_cost)} | {status} |")
    lines.append("")
    if allocation.approval:
        a = allocation.approval
        lines += [f"Approval: **{a.decision}**" + (f" ({cell(a.note)})" if a.note else "")
                  + (f", overrun {usd(a.amount)}" if a.amount else ""), ""]
    return lines


def _spend_section(rows: list[SpendRow], allocation: Allocation, catalogue: Catalogue) -> list[str]:
    allocated = cents(sum((r.allocated for r in rows), ZERO))
    committed = cents(sum((r.committed for r in rows), ZERO))
    lines = ["## Spend by agent", "",
             "| Agent | Allocated | Committed | Remaining |", "|---|---:|---:|---:|"]
    lines += [f"| {catalogue.title(r.agent)} | {usd(r.allocated)} | {usd(r.committed)} | "
              f"{usd(r.remaining)} |" for r in rows]
    lines += [f"| **Total** | **{usd(allocated)}** | **{usd(committed)}** | "
              f"**{usd(allocated - committed)}** |", ""]
    ceiling = f"{usd(allocation.ceiling)}"
    if allocation.ceiling != allocation.budget:
        ceiling += f", including an approved overrun of {usd(allocation.ceiling - allocation.budget)}"
    lines += [f"Committed {usd(committed)} of a {usd(allocation.budget)} budget "
              f"(spending ceiling {ceiling}).", ""]
    return lines


def _agent_section(deliverable: Deliverable, catalogue: Catalogue) -> list[str]:
    lines = [f"## {catalogue.title(deliverable.agent)}", "", f"### {deliverable.title}", "",
             deliverable.summary_markdown.strip(), ""]
    lines += [f"- {item}" for item in deliverable.items]
    if deliverable.items:
        lines.append("")
    if deliverable.line_items:
        lines += ["| Line item | Category | Amount |", "|---|---|---:|"]
        lines += [f"| {cell(i.description)} | {i.category.replace('_', ' ')} | {usd(i.amount)} |"
                  for i in deliverable.line_items]
        lines.append("")
    return lines


def _risks_section(findings: list[Finding], narrative: ReportNarrative) -> list[str]:
    lines = ["## Risks", ""]
    ordered = sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])
    lines += [f"- **{f.severity}**" + (f" ({f.agent})" if f.agent else "") + f": {f.message}"
              for f in ordered] or ["- No findings."]
    if narrative.risk_commentary:
        lines += ["", narrative.risk_commentary.strip()]
    return [*lines, ""]


def _timeline_section(
    plan: Plan, allocation: Allocation, timeline_days: int, catalogue: Catalogue
) -> list[str]:
    dropped = {item.task_id for item in allocation.dropped}
    funded = [task for task in plan.tasks if task.id not in dropped]
    lines = ["## Timeline", "", "| Days | Task | Owner |", "|---|---|---|"]
    lines += [f"| {s.start_day}–{s.end_day} | {s.task.id} {cell(s.task.title)} | "
              f"{catalogue.title(s.task.owner)} |" for s in schedule(funded, timeline_days)]
    if not funded:
        lines.append("| – | No funded tasks | – |")
    return lines
