"""Routing and approval policies are applied by the workflow, not just parsed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from agents.policies import decide, load_policies
from agents.rules import RuleError
from agents.state import Allocation, Brief
from tests.unit.agents.agents_support import brief


def test_shipped_policies_load_and_decide() -> None:
    policies = load_policies()
    health = decide(policies, Brief.model_validate(brief(company={"industry": "Healthcare"})))
    assert health.require_agents == ["legal"] and "regulatory" in health.review_focus
    plain = decide(policies, Brief.model_validate(brief()))
    assert plain.matched == [] and plain.approval_rules == []
    big = decide(policies, Brief.model_validate(brief(budget_usd="300000")))
    assert big.approval_rules == ["large_budget_sign_off"]


def test_a_bad_rule_fails_when_the_file_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "policies.yaml"
    path.write_text("approval:\n  - name: evil\n    when: budget.__class__ == 1\n")
    with pytest.raises((RuleError, ValueError), match="attribute access"):
        load_policies(path)


def test_regulated_industry_brings_legal_in_and_a_regulatory_review(make_run) -> None:
    run = make_run()
    outcome = run.workflow.start(
        run.run_id, brief(company={"industry": "Healthcare"}, agents=["branding", "webdev"])
    )
    if outcome.status == "paused":  # licences for a clinic can take the plan over budget
        outcome = run.workflow.resume(run.run_id, {"decision": "approve"})

    assert outcome.status == "completed"
    state = run.state()
    assert set(state["deliverables"]) == {"branding", "webdev", "legal"}
    assert state["policy"]["matched"] == ["regulated_industry_legal_review"]
    ids = {f["id"] for f in state["findings"]}
    assert "policy:added:legal" in ids
    messages = " ".join(f["message"] for f in state["findings"])
    assert "Regulatory check: HIPAA" in messages and "State medical" in messages
    reviewer_request = next(r for r in run.llm.requests if r.agent == "reviewer")
    assert reviewer_request.data["focus"] == ["regulatory"]


def test_large_budget_needs_sign_off_even_under_trim(make_run) -> None:
    run = make_run(policy="trim")
    paused = run.workflow.start(run.run_id, brief(budget_usd="300000"))

    assert paused.status == "paused" and paused.reason == "approval_required"
    assert paused.payload["rules"] == ["large_budget_sign_off"]
    assert paused.payload["amount"] == "0"
    done = run.workflow.resume(run.run_id, {"decision": "approve", "note": ""})
    assert done.status == "completed"
    allocation = Allocation.model_validate(run.state()["allocation"])
    assert allocation.ceiling == Decimal("300000.00") and allocation.approval.forced_by


def test_rejecting_a_sign_off_commissions_nothing(make_run) -> None:
    run = make_run()
    run.workflow.start(run.run_id, brief(budget_usd="300000"))
    done = run.workflow.resume(run.run_id, {"decision": "reject", "note": "not this quarter"})

    assert done.status == "completed"
    state = run.state()
    assert state.get("deliverables", {}) == {} and run.ledger.commits == {}
    assert not [e for e in run.events("phase.started") if e["phase"] == "execution"]
    assert "rejected" in done.report_markdown


def test_invalid_approval_decision_is_refused_before_resuming(make_run) -> None:
    run = make_run()
    run.workflow.start(run.run_id, brief(budget_usd="2500"))
    with pytest.raises(ValueError, match="invalid approval decision"):
        run.workflow.resume(run.run_id, {"decision": "maybe"})
    assert run.workflow.resume(run.run_id, {"decision": "approve"}).status == "completed"
