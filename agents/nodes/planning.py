"""Planning: the CFO agent turns objectives into tasks with owner, priority, cost and rationale.

Whoever plans, every objective that passed screening must end up served by a task or listed as
not covered with a reason. A plan that leaves one unaccounted for gets one repair round; what is
still missing after it is marked not covered and becomes a critical finding, never a silent gap.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from langgraph.runtime import Runtime

from agents.allocation import caps_in_usd
from agents.context import RunContext
from agents.events import agent_event, phase_completed, phase_started
from agents.knowledge.playbooks import TASK_KINDS
from agents.llm_call import ask
from agents.outputs import PlanProposal
from agents.state import Brief, Finding, Plan, Task, Uncovered, WorkflowState, dump

PHASE = "planning"
AGENT = "cfo"


def plan(state: WorkflowState, runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Ask the CFO for a plan, then keep only what the run allows, with clean ids and links."""
    ctx = runtime.context
    ctx.check_cancelled()
    phase_started(PHASE)
    brief = Brief.model_validate(state["brief"])
    allowed: list[str] = state["policy"]["allowed_agents"]
    caps = ctx.caps_percent()
    caps_usd = caps_in_usd(brief.budget_usd, caps)
    agent_event("started", AGENT, PHASE, {"title": ctx.catalogue.title(AGENT)})
    agent_event("progress", AGENT, PHASE,
                {"message": "Reading the brief", "percent": 10, "tokens": 0}, step=1)
    data = {
        "brief": state["brief"],
        "specialists": [
            {
                "name": name,
                "title": ctx.catalogue.title(name),
                "description": ctx.catalogue.agents[name].description,
                "share_cap_percent": str(caps[name]),
                "share_cap_usd": str(caps_usd[name]),
            }
            for name in allowed
        ],
        "required_agents": state["policy"]["require_agents"],
        "policy_notes": state["policy"]["notes"],
        "objectives": state["objectives"],
        "reference": state["reference"],
        "task_kinds": sorted(TASK_KINDS),
    }
    plannable = {o["index"] for o in state["objectives"] if o["status"] == "ok"}
    response = ask(ctx, agent=AGENT, prompt="planner", phase=PHASE, data=data)
    tokens = response.input_tokens + response.output_tokens
    proposal = cast(PlanProposal, response.output)
    missing = unaccounted(proposal, plannable)
    if missing:
        agent_event("progress", AGENT, PHASE, {
            "message": f"Asking again for objectives {sorted(missing)}", "percent": 60, "tokens": tokens,
        }, step=2)  # fmt: skip
        repair = {"missing": sorted(missing), "message": "These objective indexes have no task and "
                  "no not_covered entry; serve each with a task or explain why not."}
        response = ask(ctx, agent=AGENT, prompt="planner", phase=PHASE, data={**data, "repair": repair},
                       attempt=2)
        tokens += response.input_tokens + response.output_tokens
        proposal = cast(PlanProposal, response.output)
    result, findings = normalise(proposal, allowed, state["policy"]["require_agents"], plannable)
    agent_event(
        "completed", AGENT, PHASE,
        {"tasks": len(result.tasks), "total": str(result.total), "tokens": tokens},
    )
    phase_completed(PHASE, {"tasks": len(result.tasks), "total": str(result.total)})
    return {"plan": dump(result), "findings": [dump(f) for f in findings]}


def unaccounted(proposal: PlanProposal, plannable: set[int]) -> set[int]:
    """Plannable objectives the proposal neither serves nor explains."""
    served = {index for task in proposal.tasks for index in task.objective_indexes}
    explained = {item.index for item in proposal.not_covered if item.reason.strip()}
    return plannable - served - explained


def normalise(
    proposal: PlanProposal, allowed: list[str], required: list[str], plannable: set[int] | None = None
) -> tuple[Plan, list[Finding]]:
    """Drop tasks for agents outside the run, make ids unique and keep only known dependencies."""
    plannable = plannable or set()
    findings: list[Finding] = []
    renamed: dict[str, str] = {}
    tasks: list[Task] = []
    for index, item in enumerate(proposal.tasks, start=1):
        if item.owner not in allowed:
            findings.append(Finding(
                id=f"plan:owner:{index}", severity="warning", agent=None,
                message=f"The plan gave '{item.title}' to {item.owner!r}, who is not on this "
                "run's team; the task was left out."))  # fmt: skip
            continue
        task_id = f"T{len(tasks) + 1}"
        renamed.setdefault(item.id, task_id)
        tasks.append(Task(
            id=task_id, title=item.title[:200], owner=item.owner, priority=item.priority,
            estimated_cost=max(item.estimated_cost, Decimal("0")),
            depends_on=list(item.depends_on), rationale=item.rationale, kind=item.kind[:40],
            objective_indexes=sorted({i for i in item.objective_indexes if i in plannable}),
        ))  # fmt: skip
    for task in tasks:
        links = [renamed[d] for d in task.depends_on if d in renamed and renamed[d] != task.id]
        task.depends_on = list(dict.fromkeys(links))
    for agent in required:
        if agent in allowed and not any(task.owner == agent for task in tasks):
            findings.append(Finding(
                id=f"plan:required:{agent}", severity="critical", agent=agent,
                message=f"Policy requires {agent} on this run but the plan has no task for it."))
    served = {index for task in tasks for index in task.objective_indexes}
    uncovered = [Uncovered(index=item.index, reason=item.reason.strip()[:600])
                 for item in proposal.not_covered
                 if item.index in plannable and item.index not in served and item.reason.strip()]
    explained = {item.index for item in uncovered}
    for index in sorted(plannable - served - explained):
        uncovered.append(Uncovered(index=index, reason="The planner gave this objective no task and no "
                                   "reason, even when asked again; plan it by hand."))
        findings.append(Finding(
            id=f"plan:uncovered:{index}", severity="critical", agent=None,
            message=f"Objective {index} has no task: the planner left it out twice."))
    return Plan(summary=proposal.summary, tasks=tasks, not_covered=uncovered), findings
