"""Approvals a person can decide on: the panel's payload, an edited plan, and what trim says."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.checkpoint import open_checkpointer
from agents.dry_run import run_brief
from agents.memory import MemoryEventSink, MemoryLedger
from agents.offline import OfflineLLMClient
from agents.report_model import StructuredReport
from agents.workflow import Workflow

EIGHT = {
    "company": {"name": "Kettle & Crumb", "industry": "Bakery", "location": "Austin, TX"},
    "objectives": [
        "Register the company", "Trademark the name", "Launch a website", "Open a second shop",
        "Start a loyalty programme", "Hire a head baker", "Run Instagram ads", "Sell cakes online",
    ],
    "budget_usd": "300",
    "timeline_days": 120,
}


def test_a_small_budget_with_eight_objectives_pauses_with_a_decidable_payload() -> None:
    seen: list[dict[str, Any]] = []

    def cut_two(payload: dict[str, Any]) -> dict[str, Any]:
        seen.append(payload)
        return {"decision": "edit", "note": "keep the essentials", "cut": ["T5", "T9"]}

    result = run_brief(EIGHT, decide=cut_two)
    assert len(seen) == 1
    payload = seen[0]
    planning = next(e for e in result.sink.of_type("phase.completed") if e["phase"] == "planning")
    # The panel's plan total is the CFO card's total; the reconciliation starts from it.
    assert payload["plan_total"] == planning["data"]["total"]
    assert payload["reconciliation"][0]["amount_usd"] == payload["plan_total"]
    assert Decimal(payload["plan_total"]) > Decimal("300")
    for task in payload["tasks"]:
        assert task["title"] and task["agent_title"] and task["objectives"], task
    assert payload["options"]["reject"]["cut"], "rejecting must say what it cuts"

    report = StructuredReport.model_validate(result.outcome.report)
    cut = {t.id for t in report.tasks if t.status == "dropped"}
    assert cut == {"T5", "T9"}
    assert all(t.drop_reason == "cut" for t in report.tasks if t.id in cut)
    assert report.decision and report.decision.decision == "edit" and report.decision.cut == ["T5", "T9"]
    funded = sum((t.cost_usd for t in report.tasks if t.status == "funded"), Decimal("0"))
    assert report.budget.funded_usd == funded
    assert report.budget.ceiling_usd == max(Decimal("300.00"), funded)
    decided = result.sink.of_type("approval.decided")[0]["data"]
    assert decided["cut"] == ["T5", "T9"] and len(decided["cut_titles"]) == 2
    assert all(c.passed for c in report.checks), [c for c in report.checks if not c.passed]


def test_reject_trims_by_priority_without_orphans() -> None:
    result = run_brief(EIGHT, decide=lambda payload: {"decision": "reject"})
    report = StructuredReport.model_validate(result.outcome.report)
    funded = {t.id: t for t in report.tasks if t.status == "funded"}
    assert report.budget.committed_usd <= Decimal("300")
    for task in funded.values():
        assert set(task.depends_on) <= set(funded), f"{task.id} is funded without its prerequisites"
    uncovered = [o for o in report.objectives if o.status == "not_covered"]
    assert uncovered and all("dropped" in o.reason for o in uncovered)
    # The executive named no task, so what the decision cut is what the trim dropped: the report
    # must not say "Cut: nothing" above a plan with dropped tasks.
    dropped = [t.id for t in report.tasks if t.status == "dropped"]
    assert dropped and report.decision and sorted(report.decision.cut) == sorted(dropped)
    decision_line = result.outcome.report_markdown.split("## Decision", 1)[1].strip().splitlines()[0]
    named = f"Cut: all {len(report.tasks)} tasks." if len(dropped) == len(report.tasks) else None
    assert "Cut: nothing" not in decision_line
    assert (named or "") in decision_line and (named or all(task_id in decision_line for task_id in dropped))


def test_policy_trim_says_what_it_cut_and_why() -> None:
    result = run_brief(EIGHT, policy="trim")
    assert not result.pauses
    budgeting = next(e for e in result.sink.of_type("phase.completed") if e["phase"] == "budgeting")
    cut = budgeting["data"]["cut"]
    assert cut and all(c["title"] and c["reason"] for c in cut)
    report = StructuredReport.model_validate(result.outcome.report)
    assert report.decision and report.decision.decision == "trim"
    assert sorted(report.decision.cut) == sorted(c["id"] for c in cut)


def test_an_agent_over_its_share_cap_pauses_instead_of_being_cut_silently() -> None:
    brief = {**EIGHT, "budget_usd": "100000", "objectives": ["Run Instagram ads for the opening"]}
    with open_checkpointer("sqlite://") as saver:
        workflow = Workflow(OfflineLLMClient(), MemoryEventSink(), MemoryLedger(), saver,
                            share_caps={"campaigns": Decimal("1")})
        outcome = workflow.start("caps", brief)
    assert outcome.status == "paused" and outcome.reason == "approval_required"
    caps = outcome.payload["caps"]
    assert [c["agent"] for c in caps] == ["campaigns"]
    assert any("share cap" in line["label"] for line in outcome.payload["reconciliation"])
