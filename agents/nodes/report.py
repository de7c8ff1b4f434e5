"""Report: the executive summary, with every number computed here and the prose from the LLM."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.events import agent_event, phase_completed, phase_started
from agents.llm_call import ask
from agents.outputs import ReportNarrative
from agents.report_markdown import render, spend_rows
from agents.state import (
    Allocation,
    Brief,
    Deliverable,
    Finding,
    Plan,
    Report,
    WorkflowState,
    cents,
    dump,
)

PHASE = "report"
AGENT = "reporter"


def report(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Write the executive report."""
    ctx = runtime.context
    ctx.check_cancelled()
    phase_started(PHASE)
    agent_event("started", AGENT, PHASE, {"title": ctx.catalogue.title(AGENT)})
    brief = Brief.model_validate(state["brief"])
    plan = Plan.model_validate(state["plan"])
    allocation = Allocation.model_validate(state["allocation"])
    deliverables = {
        agent: Deliverable.model_validate(raw)
        for agent, raw in (state.get("deliverables") or {}).items()
    }
    findings = [Finding.model_validate(raw) for raw in state.get("findings", [])]
    rows = spend_rows(allocation, deliverables)
    committed = cents(sum((row.committed for row in rows), Decimal("0")))
    data = {
        "brief": state["brief"],
        "plan": state["plan"],
        "agents": [row.agent for row in rows],
        "spend": [dump(row) for row in rows],
        "committed_total": str(committed),
        "findings": state.get("findings", []),
    }
    response = ask(ctx, agent=AGENT, prompt="reporter", phase=PHASE, data=data)
    narrative = cast(ReportNarrative, response.output)
    markdown, rows = render(brief, plan, allocation, deliverables, findings, narrative,
                            ctx.catalogue)
    result = Report(
        markdown=markdown,
        committed_total=committed,
        budget=brief.budget_usd,
        ceiling=allocation.ceiling,
        spend=rows,
        agents=[row.agent for row in rows],
        offline=response.offline,
    )
    agent_event("completed", AGENT, PHASE, {
        "characters": len(markdown), "tokens": response.input_tokens + response.output_tokens,
    })  # fmt: skip
    phase_completed(PHASE, {"committed": str(committed), "budget": str(brief.budget_usd)})
    return {"report": dump(result)}
