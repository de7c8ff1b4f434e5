"""Report: the structured report, its quality checks, and the Markdown rendered from it.

Every number is computed in `agents.report_builder`; the LLM writes only the narrative, from those
numbers; `agents.quality` checks the result and the checks travel with the report.
"""

from __future__ import annotations

from typing import Any, cast

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.events import agent_event, phase_completed, phase_started
from agents.llm_call import ask
from agents.outputs import ReportNarrative
from agents.quality import run_checks
from agents.report_ai import compare
from agents.report_builder import OFFLINE_LABEL, build_report
from agents.report_markdown import render
from agents.state import Finding, Report, SpendRow, WorkflowState, dump

PHASE = "report"
AGENT = "reporter"


def report(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Write the executive report."""
    ctx = runtime.context
    ctx.check_cancelled()
    phase_started(PHASE)
    agent_event("started", AGENT, PHASE, {"title": ctx.catalogue.title(AGENT)})
    findings = [Finding.model_validate(raw) for raw in state.get("findings", [])]
    structured = build_report(dict(state), findings, {}, ctx.catalogue, offline=False, policy=ctx.policy)
    data = {"brief": state["brief"], "report": structured.model_dump(mode="json"),
            "findings": state.get("findings", [])}
    response = ask(ctx, agent=AGENT, prompt="reporter", phase=PHASE, data=data)
    narrative = cast(ReportNarrative, response.output)
    # The narrative is the one part the model writes; every figure was computed before it was asked.
    structured.executive_summary = narrative.executive_summary.strip()
    structured.offline = response.offline
    structured.provider_label = OFFLINE_LABEL if response.offline else f"the AI model {response.model}"
    # After the reporter's own call settled: the ledger now holds every call the forecast covered.
    spent = ctx.pricing.spent_calls() if ctx.pricing is not None else []
    structured.ai_spend = compare(state.get("forecast"), spent, ctx.catalogue)
    if narrative.risk_commentary.strip():
        structured.assumptions.append(f"Reviewer's note: {narrative.risk_commentary.strip()}")
    structured.checks = run_checks(structured)
    markdown = render(structured)
    budget = structured.budget
    result = Report(
        markdown=markdown,
        committed_total=budget.committed_usd,
        budget=budget.total_usd,
        ceiling=budget.ceiling_usd,
        spend=[SpendRow(agent=r.agent, allocated=r.allocated_usd, committed=r.committed_usd,
                        remaining=r.remaining_usd) for r in budget.by_agent],
        agents=[r.agent for r in budget.by_agent],
        offline=response.offline,
        structured=structured.model_dump(mode="json"),
    )
    failed = [c.name for c in structured.checks if not c.passed]
    agent_event("completed", AGENT, PHASE, {
        "characters": len(markdown), "tokens": response.input_tokens + response.output_tokens,
        "checks_failed": failed,
    })  # fmt: skip
    phase_completed(PHASE, {"committed": str(budget.committed_usd), "budget": str(budget.total_usd),
                            "checks": {c.name: c.passed for c in structured.checks}})
    return {"report": dump(result)}
