"""Guard rails: no agent commits beyond its allocation, no run beyond its ceiling, no crash."""

from __future__ import annotations

from decimal import Decimal

from agents.guardrails import enforce_commit
from agents.state import Allocation, Deliverable, LineItem
from tests.unit.agents.agents_support import EXAMPLE_BRIEF, GreedyClient


def item(n: int, amount: str) -> LineItem:
    return LineItem(id=f"legal-{n:02d}", agent="legal", description=f"item {n}",
                    amount=Decimal(amount))


def test_items_beyond_the_allocation_are_trimmed_then_rejected() -> None:
    items = [item(1, "300"), item(2, "500"), item(3, "100")]
    accepted, violations = enforce_commit("legal", items, Decimal("600"), Decimal("10000"))

    assert [i.amount for i in accepted] == [Decimal("300"), Decimal("300")]
    assert [(v.rule, v.item_id, v.amount, v.limit) for v in violations] == [
        ("agent_allocation", "legal-02", Decimal("500"), Decimal("300")),
        ("agent_allocation", "legal-03", Decimal("100"), Decimal("0")),
    ]
    assert "trimmed" in violations[0].detail and "rejected" in violations[1].detail


def test_the_run_ceiling_binds_when_it_is_tighter() -> None:
    accepted, violations = enforce_commit(
        "legal", [item(1, "400"), item(2, "400")], Decimal("1000"), Decimal("500")
    )
    assert sum(i.amount for i in accepted) == Decimal("500")
    assert [v.rule for v in violations] == ["run_ceiling"]
    finding = violations[0].finding()
    assert finding.severity == "warning" and finding.agent == "legal"


def test_greedy_agent_becomes_findings_and_events_not_a_crash(make_run) -> None:
    run = make_run(llm=GreedyClient("campaigns"))
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert outcome.status == "completed"
    state = run.state()
    allocation = Allocation.model_validate(state["allocation"])
    campaigns = Deliverable.model_validate(state["deliverables"]["campaigns"])
    assert campaigns.committed <= allocation.by_agent["campaigns"]
    assert run.ledger.committed_by_agent()["campaigns"] <= allocation.by_agent["campaigns"]
    assert run.ledger.committed_total <= allocation.ceiling

    violations = run.events("guardrail.violation")
    assert len(violations) == 2
    assert {v["data"]["rule"] for v in violations} == {"agent_allocation"}
    assert all(set(v["data"]) >= {"rule", "agent", "amount", "limit", "detail"} for v in violations)
    assert violations[0]["data"]["amount"] == "10000.00"
    guard_findings = [f for f in state["findings"] if f["id"].startswith("guardrail:campaigns:")]
    assert len(guard_findings) == 2
    assert "Spending guard rail: Campaign Manager proposed $10,000.00 for" in outcome.report_markdown
    assert "with nothing left in its allocation; rejected." in outcome.report_markdown
    completed = [e for e in run.events("agent.completed") if e["agent"] == "campaigns"]
    assert completed[0]["data"]["violations"] == 2
