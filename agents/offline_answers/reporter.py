"""The offline reporter: the narrative parts of the executive report, from computed numbers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.offline_answers import OFFLINE_NOTE
from agents.offline_answers._common import brief_of, money
from agents.state import Plan


def narrative_payload(data: dict[str, Any]) -> dict[str, Any]:
    brief = brief_of(data)
    plan = Plan.model_validate(data["plan"])
    committed = Decimal(str(data.get("committed_total", "0")))
    agents = data.get("agents", [])
    findings = data.get("findings", [])
    critical = [f for f in findings if f.get("severity") == "critical"]
    warnings = [f for f in findings if f.get("severity") == "warning"]
    objectives = "; ".join(brief.objectives)
    summary = (
        f"{OFFLINE_NOTE}\n\n{brief.company.name} set out to: {objectives}. The team of "
        f"{len(agents)} specialist(s) turned that into {len(plan.tasks)} funded task(s) over "
        f"{brief.timeline_days} days.\n\nCommitted spend is {money(committed)} of a "
        f"{money(brief.budget_usd)} budget, leaving {money(brief.budget_usd - committed)} "
        "unallocated for contingencies."
    )
    ordered = sorted(plan.tasks, key=lambda t: (len(t.depends_on) > 0, t.priority, t.id))
    steps = [f"{task.title} ({task.owner})" for task in ordered[:5]]
    if critical:
        steps.insert(0, "Resolve the critical findings before committing money")
    risk = (f"{len(critical)} critical and {len(warnings)} warning finding(s). "
            + (critical[0]["message"] if critical else
               warnings[0]["message"] if warnings else "No significant risks were found."))
    return {"executive_summary": summary, "next_steps": steps, "risk_commentary": risk}
