"""The offline reviewer: deterministic checks of deliverables against tasks and allocations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.knowledge.geography import jurisdiction_of
from agents.knowledge.industries import profile_for
from agents.offline_answers import OFFLINE_NOTE
from agents.offline_answers._common import brief_of, money
from agents.state import Allocation, Deliverable, Plan


def review_payload(data: dict[str, Any]) -> dict[str, Any]:
    brief = brief_of(data)
    plan = Plan.model_validate(data["plan"])
    allocation = Allocation.model_validate(data["allocation"])
    deliverables = {a: Deliverable.model_validate(d) for a, d in data.get("deliverables", {}).items()}
    focus = data.get("focus", [])
    findings: list[dict[str, Any]] = []

    def add(severity: str, agent: str | None, message: str) -> None:
        findings.append({"severity": severity, "agent": agent, "message": message})

    for agent, allocated in allocation.by_agent.items():
        deliverable = deliverables.get(agent)
        if deliverable is None:
            continue  # the engine's own checks report a funded agent that delivered nothing
        if deliverable.committed < allocated * Decimal("0.9"):
            add("info", agent, f"{agent} committed {money(deliverable.committed)} of "
                f"{money(allocated)}; the rest stays unspent.")
        if not deliverable.items:
            add("warning", agent, f"{agent}'s deliverable lists no concrete outputs.")
    if jurisdiction_of(brief.company.location).country == "other":
        add("warning", "legal", "No fee table for this location: filing fees are generic estimates.")
    if "legal" in deliverables:
        add("info", "legal", "Have a licensed lawyer confirm every filing before paying fees.")
    if "regulatory" in focus:
        for note in profile_for(brief.company.industry).regulatory:
            add("warning", "legal", f"Regulatory check: {note}.")
        if "legal" not in deliverables:
            add("critical", None, "Regulated industry but no legal deliverable: do not launch "
                "before legal review.")
    if "schedule" in focus:
        add("warning", None, f"{len(brief.objectives)} objectives in {brief.timeline_days} days "
            "is tight; sequence the priority-1 tasks first.")
    critical = sum(1 for f in findings if f["severity"] == "critical")
    summary = (f"{OFFLINE_NOTE}\n\nChecked {len(deliverables)} deliverable(s) against "
               f"{len(plan.tasks)} task(s): {len(findings)} finding(s), {critical} critical.")
    return {"summary": summary, "findings": findings}
