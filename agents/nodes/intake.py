"""Intake: screen and classify every objective, look up the reference data, apply the policies.

Screening is code, not a model: an objective asking for something unlawful or deceptive is refused
with the rule it breaks, and one that names no outcome is marked unclear, before anything is
planned or costed, whichever provider runs the rest.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.events import phase_completed, phase_started
from agents.knowledge.taxonomy import KINDS, classify
from agents.policies import decide
from agents.reference import build_reference, place_of
from agents.screening import screen
from agents.state import SPECIALISTS, Brief, Finding, ObjectiveCheck, WorkflowState, dump

PHASE = "intake"


def check_objective(index: int, text: str, country: str | None = None) -> ObjectiveCheck:
    """Classify one objective against the taxonomy and screen it (under the law of the company's
    `country` where the objective names no place of its own)."""
    found = classify(text)
    screening = screen(text, found.kind, country)
    kind = KINDS.get(found.kind) if found.kind else None
    target = found.target
    return ObjectiveCheck(
        index=index,
        text=text,
        status=screening.status,
        kind=found.kind,
        kind_label=found.label if found.kind else "",
        reason=screening.reason,
        rule=screening.rule,
        source_url=screening.source_url,
        target=target.text if target else "",
        target_value=target.value if target else None,
        target_unit=target.unit if target else "",
        outside_scope=kind.outside_scope if kind else "",
    )


def intake(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Decide the run's team and what each objective is, before the CFO plans."""
    ctx = runtime.context
    ctx.check_cancelled()
    phase_started(PHASE)
    brief = Brief.model_validate(state["brief"])
    country = place_of(brief).country_code
    objectives = [check_objective(n, text, country) for n, text in enumerate(brief.objectives, start=1)]
    reference = build_reference(brief, objectives)
    decision = decide(ctx.policies, brief)
    allowed = list(brief.agents or SPECIALISTS)
    findings: list[Finding] = []
    for agent in decision.require_agents:
        if agent not in allowed:
            allowed.append(agent)
            findings.append(
                Finding(
                    id=f"policy:added:{agent}",
                    severity="info",
                    agent=agent,
                    message=f"{ctx.catalogue.title(agent)} was added to the team by policy: "
                    + "; ".join(decision.notes or decision.matched),
                )
            )
    for check in objectives:
        if check.status != "ok":
            findings.append(Finding(
                id=f"screening:{check.index}", severity="warning" if check.status == "unclear" else "critical",
                agent=None, message=f"Objective {check.index} (“{check.text}”) is {check.status}: "
                f"{check.reason}" + (f" ({check.rule})" if check.rule else "")))
    allowed = [agent for agent in SPECIALISTS if agent in allowed]
    policy = {**dump(decision), "allowed_agents": allowed}
    phase_completed(
        PHASE,
        {
            "company": brief.company.name,
            "agents": allowed,
            "policies": decision.matched,
            "jurisdiction": reference["jurisdiction"]["label"],
            "objectives": [
                {"index": c.index, "text": c.text, "status": c.status, "kind_label": c.kind_label,
                 "reason": c.reason, "rule": c.rule, "source_url": c.source_url}
                for c in objectives
            ],
        },
    )
    return {
        "policy": policy,
        "objectives": [dump(check) for check in objectives],
        "reference": reference,
        "findings": [dump(f) for f in findings],
    }
