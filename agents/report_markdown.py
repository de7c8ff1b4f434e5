"""The report in Markdown, rendered from the structured report; it computes no figure of its own."""

from __future__ import annotations

from decimal import Decimal

from agents.report_ai import sentence, usd4
from agents.report_model import StructuredReport, TaskRow
from agents.state import cents

STATUS_LABEL = {"covered": "covered", "not_covered": "not covered", "refused": "refused",
                "unclear": "unclear"}
DROP_LABEL = {"agent_cap": "over an agent's share cap", "over_budget": "over budget",
              "rejected": "plan rejected", "cut": "cut by the executive", "dependency": "lost a prerequisite"}


def usd(value: Decimal) -> str:
    return f"${cents(value):,.2f}"


def cell(text: str) -> str:
    """Table cells must not break the table."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def quantity(value: Decimal, unit: str = "") -> str:
    """'4 hours', '1 fee', '2.5 months'."""
    number = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    if not unit:
        return number
    return f"{number} {unit if value == 1 or unit.endswith('s') else unit + 's'}"


def render(report: StructuredReport) -> str:
    company = report.company
    out = [f"# Executive report: {company['name']}", "",
           f"_{company['industry']} · {report.jurisdiction.label or company['location']} · budget "
           f"{usd(report.budget.total_usd)} over {report.timeline_days} days_", ""]
    if report.offline:
        out += [f"> **{report.provider_label}.** The figures for {company['name']} are planning estimates "
                "from dated public fee schedules and market rates; confirm them before you spend.", ""]
    elif report.provider_label:
        out += [f"_Prepared with {report.provider_label}: the summary and commentary are its words; every "
                "figure was computed from the plan and dated reference data._", ""]
    out += _summary(report) + _checks(report) + _coverage(report) + _plan(report) + _budget(report) + _ai_spend(report)
    out += _timeline(report) + _deliverables(report) + _risks(report) + _kpis(report) + _legal(report) + _decision(report)
    out += _assumptions(report) + _sources(report) + _next_steps(report)
    return "\n".join(out).rstrip() + "\n"


def _summary(report: StructuredReport) -> list[str]:
    lines = ["## Executive summary", "", report.executive_summary, ""]
    if report.outcome_statements:
        lines += ["**At the end of the timeline**", ""]
        lines += [f"- {s}" for s in report.outcome_statements] + [""]
    return lines


def _checks(report: StructuredReport) -> list[str]:
    failed = [c for c in report.checks if not c.passed]
    head = "All quality checks passed." if not failed else \
        f"**{len(failed)} of {len(report.checks)} quality checks failed**; treat the affected figures as unverified."
    lines = ["## Quality checks", "", head, "", "| Check | Result | Detail |", "|---|---|---|"]
    lines += [f"| {c.name} | {'passed' if c.passed else '**failed**'} | {cell(c.detail)} |" for c in report.checks]
    return [*lines, ""]


def _coverage(report: StructuredReport) -> list[str]:
    lines = ["## Objectives", "", "| # | Objective | Kind | Status | Tasks | Reason |", "|---:|---|---|---|---|---|"]
    for row in report.objectives:
        reason = row.reason + (f" Rule: {row.rule}." if row.rule else "")
        if row.status == "covered" and row.outside_scope:
            reason = f"Outside the team: {row.outside_scope}"
        lines.append(f"| {row.index} | {cell(row.text)} | {cell(row.kind_label or '–')} | "
                     f"{STATUS_LABEL[row.status]} | {', '.join(row.task_ids) or '–'} | {cell(reason) or '–'} |")
    return [*lines, ""]


def _task_line(task: TaskRow) -> str:
    days = f"days {task.start_day}–{task.end_day}" if task.start_day else "not scheduled"
    status = "funded" if task.status == "funded" else f"dropped ({DROP_LABEL.get(task.drop_reason, task.drop_reason)})"
    return (f"- **{task.id} {task.title}** · {task.agent_title} · priority {task.priority} · "
            f"{usd(task.cost_usd)} · {days} · {status}. {task.rationale}")


def _plan(report: StructuredReport) -> list[str]:
    lines = ["## Plan by objective", ""]
    shown: set[str] = set()
    for row in report.objectives:
        tasks = [t for t in report.tasks if row.index in t.objective_indexes]
        if not tasks:
            continue
        lines += [f"**Objective {row.index}: {row.text}**", ""]
        lines += [_task_line(t) for t in tasks if t.id not in shown] or ["- (served by the tasks above)"]
        shown |= {t.id for t in tasks}
        lines.append("")
    others = [t for t in report.tasks if t.id not in shown]
    if others:
        lines += ["**Supporting work**", "", *[_task_line(t) for t in others], ""]
    return lines


def _budget(report: StructuredReport) -> list[str]:
    b = report.budget
    lines = ["## Budget", "", "| Agent | Allocated | Committed | Remaining |", "|---|---:|---:|---:|"]
    lines += [f"| {r.agent_title} | {usd(r.allocated_usd)} | {usd(r.committed_usd)} | {usd(r.remaining_usd)} |"
              for r in b.by_agent]
    allocated = sum((r.allocated_usd for r in b.by_agent), Decimal("0"))
    lines += [f"| **Total** | **{usd(allocated)}** | **{usd(b.committed_usd)}** | "
              f"**{usd(allocated - b.committed_usd)}** |", ""]
    lines += [f"The plan costs {usd(b.plan_total_usd)}; {usd(b.funded_usd)} of it is funded and "
              f"{usd(b.committed_usd)} is committed against a budget of {usd(b.total_usd)}"
              + (f" (ceiling {usd(b.ceiling_usd)} with the approved overrun)" if b.ceiling_usd != b.total_usd else "")
              + f". Unspent: {usd(b.unspent_usd)}.", ""]
    if report.line_items:
        lines += ["| Item | Task | Quantity | Unit price | Amount |", "|---|---|---:|---:|---:|"]
        lines += [f"| {cell(i.description)} | {i.task_id or '–'} | {cell(quantity(i.quantity, i.unit))} | "
                  f"{usd(i.unit_usd)} | {usd(i.amount_usd)} |" for i in report.line_items]
        lines.append("")
    return lines


VERDICT = {"inside": "inside", "below": "below the range", "above": "above the range", "unpriced": "price not set"}


def _ai_spend(report: StructuredReport) -> list[str]:
    """Forecast against actual AI spend, per agent and in total (the figures of `report.ai_spend`)."""
    ai = report.ai_spend
    if ai is None:
        return []
    lines = ["## AI spend: forecast and actual", "", ai.summary or sentence(ai), "",
             "| Agent | Calls | Forecast low | Forecast high | Actual | Tokens (forecast) | Tokens used | Landed |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    price = (lambda value: usd4(value)) if ai.priced else (lambda value: "price not set")
    lines += [f"| {cell(r.agent_title or r.agent)} | {r.calls_actual} of {r.calls_forecast} | {price(r.low_usd)} | "
              f"{price(r.high_usd)} | {price(r.actual_usd)} | {r.tokens_low:,}–{r.tokens_high:,} | {r.tokens_actual:,} | "
              f"{VERDICT[r.verdict]} |" for r in ai.rows]
    lines += [f"| **Total** | {ai.calls_actual} of {ai.calls_forecast} | **{price(ai.low_usd)}** | **{price(ai.high_usd)}** | "
              f"**{price(ai.actual_usd)}** | {ai.tokens_low:,}–{ai.tokens_high:,} | {ai.tokens_actual:,} | "
              f"{VERDICT[ai.verdict]} |", ""]
    return lines


def _timeline(report: StructuredReport) -> list[str]:
    funded = sorted((t for t in report.tasks if t.status == "funded" and t.start_day),
                    key=lambda t: (t.start_day or 0, t.priority))
    lines = ["## Timeline", "", "| Days | Task | Owner | Critical |", "|---|---|---|---|"]
    lines += [f"| {t.start_day}–{t.end_day}{' (recurring)' if t.recurring else ''} | {t.id} {cell(t.title)} | "
              f"{t.agent_title} | {'yes' if t.critical else ''} |" for t in funded]
    if not funded:
        lines.append("| – | No funded tasks | – | – |")
    lines.append("")
    if report.critical_path:
        lines += [f"Critical path: {' → '.join(report.critical_path)}.", ""]
    if report.milestones:
        lines += ["| Day | Milestone |", "|---:|---|"]
        lines += [f"| {m.day} | {cell(m.title)}{' (after the timeline)' if m.after_timeline else ''} |"
                  for m in report.milestones]
        lines.append("")
    return lines


def _deliverables(report: StructuredReport) -> list[str]:
    if not report.deliverables:
        return []
    lines = ["## Work by specialist", ""]
    for d in report.deliverables:
        lines += [f"### {d.agent_title}: {d.title}", "", d.summary_markdown.strip(), ""]
        lines += [f"- {item}" for item in d.outputs]
        lines += [""] if d.outputs else []
    return lines


def _risks(report: StructuredReport) -> list[str]:
    lines = ["## Risks", ""]
    if not report.risks:
        return [*lines, "No risks were identified beyond the assumptions below.", ""]
    lines += ["| # | Risk | Likelihood | Impact | Mitigation | Owner |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.id} | {cell(r.risk)} | {r.likelihood} | {r.impact} | {cell(r.mitigation)} | {cell(r.owner)} |"
              for r in report.risks]
    return [*lines, ""]


def _kpis(report: StructuredReport) -> list[str]:
    if not report.kpis:
        return []
    lines = ["## KPIs", "", "| Objective | Metric | Target | By day |", "|---:|---|---|---:|"]
    lines += [f"| {k.objective_index} | {cell(k.metric)} | {cell(k.target)} | {k.by_day} |" for k in report.kpis]
    return [*lines, ""]


def _legal(report: StructuredReport) -> list[str]:
    j = report.jurisdiction
    codes = " / ".join(c for c in (j.country_code, j.region_code) if c) or "not determined"
    lines = ["## Jurisdiction", "", f"- Location: {j.label} (ISO 3166: {codes})"]
    if j.ambiguous or j.note:
        lines.append(f"- Note: {j.note or 'the location is ambiguous'}")
    if report.entity_advice:
        lines.append(f"- Entity: {report.entity_advice}")
    if report.trademark_classes:
        lines.append("- Nice classes for the trademark: " + ", ".join(str(c) for c in report.trademark_classes))
    lines += [f"- Flag: {f.message}" for f in report.flags]
    return [*lines, ""]


def _decision(report: StructuredReport) -> list[str]:
    d = report.decision
    if d is None:
        return []
    names = {t.id: t.title for t in report.tasks}
    order = {task_id: n for n, task_id in enumerate(names)}
    listed = sorted(d.cut, key=lambda task_id: order.get(task_id, len(order)))  # in the plan's order
    cut = ", ".join(f"{i} {names.get(i, '')}".strip() for i in listed) or "nothing"
    if len(names) > 1 and set(d.cut) == set(names):
        cut = f"all {len(names)} tasks"
    who = {"executive": "The executive", "deadline": "Nobody decided in time: the approval deadline's fallback"}.get(d.by, "Policy trim")
    verb = {"approve": f"approved the plan as proposed ({usd(report.budget.funded_usd)})", "reject": "rejected the overrun; the plan was trimmed",
            "edit": "approved an edited plan", "trim": "cut the plan to the budget"}[d.decision]
    if d.quote:
        verb = {"approve": f"accepted the quote ({usd(report.budget.funded_usd)})",
                "reject": "rejected the quote; nothing was executed",
                "edit": "accepted the quote with an edited plan"}.get(d.decision, verb)
    line = f"{who} {verb}. Cut: {cut}."
    if d.overrun_usd:
        line += f" Approved overrun: {usd(d.overrun_usd)}."
    if d.note:
        line += f" Note: {d.note}"
    return ["## Decision", "", line, ""]


def _assumptions(report: StructuredReport) -> list[str]:
    return ["## Assumptions", "", *[f"- {a}" for a in report.assumptions], ""]


def _sources(report: StructuredReport) -> list[str]:
    lines = ["## Sources", ""]
    if report.facts:
        # The note carries what a fee leaves out (yearly taxes, estimates, deadlines): the HTML page shows it too.
        lines += ["| Fact | Where | Amount | USD | Source | As of | Note |", "|---|---|---:|---:|---|---|---|"]
        lines += [f"| {cell(f.what)} | {cell(f.jurisdiction)} | {f.currency} {f.amount:,.2f} | {usd(f.amount_usd)} | "
                  f"<{f.source_url}> | {f.as_of} | {cell(f.note) or '–'} |" for f in report.facts]
        lines.append("")
    if report.exchange_rates:
        lines += ["| Currency | USD per unit | Source | As of |", "|---|---:|---|---|"]
        lines += [f"| {r.currency} | {r.usd_per_unit} | <{r.source_url}> | {r.as_of} |" for r in report.exchange_rates]
        lines.append("")
    return lines


def _next_steps(report: StructuredReport) -> list[str]:
    lines = ["## Next steps", ""]
    lines += [f"{n}. {step}" for n, step in enumerate(report.next_steps, start=1)] or ["No funded work to start."]
    return lines
