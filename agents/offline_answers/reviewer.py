"""The offline reviewer: deterministic checks of deliverables against tasks, allocations and the place."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.catalogue import default_catalogue
from agents.offline_answers._common import brief_of, money, plural
from agents.state import Allocation, Deliverable, Plan


def review_payload(data: dict[str, Any]) -> dict[str, Any]:
    brief = brief_of(data)
    plan = Plan.model_validate(data["plan"])
    allocation = Allocation.model_validate(data["allocation"])
    deliverables = {a: Deliverable.model_validate(d) for a, d in data.get("deliverables", {}).items()}
    reference = data.get("reference") or {}
    focus = data.get("focus", [])
    findings: list[dict[str, Any]] = []

    def add(severity: str, agent: str | None, message: str) -> None:
        findings.append({"severity": severity, "agent": agent, "message": message})

    for agent, allocated in allocation.by_agent.items():
        deliverable = deliverables.get(agent)
        if deliverable is None:
            continue  # the engine's own checks report a funded agent that delivered nothing
        title = default_catalogue().title(agent)  # the reader's word for the agent, not its key
        if deliverable.committed < allocated * Decimal("0.9"):
            add("info", agent, f"{title} committed {money(deliverable.committed)} of "
                f"{money(allocated)}; the rest stays unspent.")
        if not deliverable.items:
            add("warning", agent, f"{title}'s deliverable lists no concrete outputs.")
    place = reference.get("jurisdiction") or {}
    if place.get("ambiguous") or not place.get("country_code"):
        add("warning", "legal", f"“{brief.company.location}” could not be placed with certainty, so the "
            "fees and offices in this plan may not apply; confirm the location.")
    if "regulatory" in focus:
        for licence in reference.get("licences", []):
            add("warning", "legal", f"Regulatory check: {licence['name']} ({licence['regulator']}) "
                "before the regulated activity starts.")
        if "legal" not in deliverables:
            add("critical", None, "Regulated industry but no legal deliverable: do not launch "
                "before legal review.")
    if "schedule" in focus:
        add("warning", None, f"{len(brief.objectives)} {plural(len(brief.objectives), 'objective')} in "
            f"{brief.timeline_days} days is tight; start the critical path first.")
    critical = sum(1 for f in findings if f["severity"] == "critical")
    summary = (f"Checked {len(deliverables)} {plural(len(deliverables), 'deliverable')} against "
               f"{len(plan.tasks)} {plural(len(plan.tasks), 'task')}: {len(findings)} "
               f"{plural(len(findings), 'finding')}, {critical} critical.")
    return {"summary": summary, "findings": findings}
