"""End-to-end offline runs of the workflow: completion, report, budgets, approvals, trimming."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from agents.catalogue import default_catalogue
from agents.state import SPECIALISTS, Allocation, Deliverable, Report
from tests.unit.agents.agents_support import EXAMPLE_BRIEF, brief, spend_table

SMALL = brief(budget_usd="2500")  # the offline plan costs more than this: approval needed


def test_example_brief_completes_with_a_report_that_adds_up(make_run) -> None:
    run = make_run()
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert outcome.status == "completed", outcome
    state = run.state()
    report = Report.model_validate(state["report"])
    deliverables = {a: Deliverable.model_validate(d) for a, d in state["deliverables"].items()}
    allocation = Allocation.model_validate(state["allocation"])
    catalogue = default_catalogue()
    assert set(deliverables) == set(SPECIALISTS)
    for agent in deliverables:
        assert f"### {catalogue.title(agent)}: " in outcome.report_markdown
    for section in ("## Executive summary", "## Quality checks", "## Objectives", "## Plan by objective",
                    "## Budget", "## Timeline", "## Work by specialist", "## Risks", "## KPIs",
                    "## Assumptions", "## Sources", "## Next steps"):
        assert section in outcome.report_markdown
    rows, total = spend_table(outcome.report_markdown)
    committed = sum((d.committed for d in deliverables.values()), Decimal("0"))
    assert sum(rows) == total == committed == report.committed_total
    assert Decimal("0") < committed <= Decimal("5000")
    assert run.ledger.committed_total == committed
    for agent, deliverable in deliverables.items():
        cap = Decimal("5000") * catalogue.agents[agent].default_share_cap_percent / 100
        assert deliverable.committed <= allocation.by_agent[agent] <= cap
    assert outcome.report_markdown.lower().count("offline provider") == 1


def test_event_stream_follows_the_protocol(make_run) -> None:
    run = make_run()
    run.workflow.start(run.run_id, EXAMPLE_BRIEF)
    events = run.sink.events
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert events[0]["type"] == "run.started" and events[-1]["type"] == "run.completed"
    keys = [e["key"] for e in events if e["key"]]
    assert len(keys) == len(set(keys))
    started = [e["phase"] for e in run.events("phase.started")]
    assert started == ["intake", "planning", "budgeting", "execution", "review", "report"]
    assert [e["phase"] for e in run.events("phase.completed")] == started
    for agent in SPECIALISTS:
        kinds = [e["type"] for e in events if e["agent"] == agent]
        assert kinds[0] == "agent.started" and kinds[-1] == "agent.completed"
        assert kinds.count("agent.progress") == 2
        progress = [e["data"] for e in events if e["agent"] == agent
                    and e["type"] == "agent.progress"]
        assert progress[-1]["tokens"] > 0 and {"message", "percent"} <= set(progress[-1])
    budget = run.events("budget.updated")
    assert budget[-1]["data"]["committed"] == run.state()["report"]["committed_total"]
    assert set(budget[-1]["data"]["by_agent"]) == set(SPECIALISTS)
    assert budget[-1]["data"]["ai"] == {"used": "0", "cap": None}
    assert not run.events("approval.required")


def test_approve_policy_pauses_then_continues_with_a_raised_ceiling(make_run) -> None:
    run = make_run(policy="approve")
    paused = run.workflow.start(run.run_id, SMALL)

    assert paused.status == "paused" and paused.reason == "approval_required"
    overrun = Decimal(paused.payload["amount"])
    assert overrun > 0
    assert Decimal(paused.payload["plan_total"]) == Decimal("2500") + overrun
    assert run.events("run.paused")[0]["data"]["reason"] == "approval_required"
    assert run.events("phase.started")[-1]["phase"] != "execution"
    assert run.ledger.commits == {}

    done = run.workflow.resume(run.run_id, {"decision": "approve", "note": "worth it"})

    assert done.status == "completed"
    allocation = Allocation.model_validate(run.state()["allocation"])
    assert allocation.ceiling == Decimal("2500") + overrun
    assert allocation.approval and allocation.approval.decision == "approve"
    assert run.ledger.committed_total == allocation.ceiling
    decided = run.events("approval.decided")
    assert len(decided) == 1 and decided[0]["data"]["note"] == "worth it"
    assert len(run.events("approval.required")) == 1  # re-emitted on resume, dropped by key
    assert [e["phase"] for e in run.events("phase.started")].count("approval") == 1
    assert run.llm.calls["cfo"] == 1


def test_reject_trims_to_the_budget(make_run) -> None:
    run = make_run(policy="approve")
    paused = run.workflow.start(run.run_id, SMALL)
    done = run.workflow.resume(run.run_id, {"decision": "reject", "note": "no"})

    assert done.status == "completed"
    allocation = Allocation.model_validate(run.state()["allocation"])
    assert allocation.ceiling == Decimal("2500")
    assert allocation.total <= Decimal("2500")
    trimmed = {d.task_id for d in allocation.dropped}
    assert trimmed == set(paused.payload["options"]["reject"]["cut"]) == set(paused.payload["tasks_to_trim"])
    assert trimmed
    assert run.ledger.committed_total <= Decimal("2500")
    findings = {f["id"] for f in run.state()["findings"]}
    assert {f"budget:dropped:{task}" for task in trimmed} <= findings


def test_trim_policy_trims_lowest_priority_without_pausing(make_run) -> None:
    run = make_run(policy="trim")
    outcome = run.workflow.start(run.run_id, SMALL)

    assert outcome.status == "completed"
    state = run.state()
    allocation = Allocation.model_validate(state["allocation"])
    assert allocation.total <= Decimal("2500") and allocation.approval is None
    tasks = {t["id"]: t for t in state["plan"]["tasks"]}
    dropped = {d.task_id for d in allocation.dropped}
    kept = [t for t in tasks.values() if t["id"] not in dropped]
    assert dropped and kept
    assert all(set(t["depends_on"]) <= {k["id"] for k in kept} for t in kept)  # nothing orphaned
    assert not run.events("approval.required")
    said = next(e for e in run.events("phase.completed") if e["phase"] == "budgeting")["data"]["cut"]
    assert {c["id"] for c in said} == dropped and all(c["title"] and c["reason"] for c in said)
    _, total = spend_table(outcome.report_markdown)
    assert total == run.ledger.committed_total <= Decimal("2500")


def test_share_caps_override_per_run(make_run) -> None:
    run = make_run(policy="trim", share_caps={"campaigns": Decimal("5"), "legal": Decimal("60")})
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert outcome.status == "completed"
    allocation = Allocation.model_validate(run.state()["allocation"])
    assert allocation.caps["campaigns"] == Decimal("250.00")
    assert allocation.by_agent.get("campaigns", Decimal("0")) <= Decimal("250")
    assert any(d.reason == "agent_cap" and d.owner == "campaigns" for d in allocation.dropped)
    with pytest.raises(ValueError, match=r"0\.\.100"):
        make_run(share_caps={"legal": Decimal("150")})
    with pytest.raises(ValueError, match="unknown specialist"):
        make_run(share_caps={"astrology": Decimal("5")})


def test_brief_agents_limit_the_fan_out(make_run) -> None:
    run = make_run()
    outcome = run.workflow.start(run.run_id, brief(agents=["legal", "branding"]))

    assert outcome.status == "completed"
    assert set(run.state()["deliverables"]) == {"legal", "branding"}
    assert set(run.llm.calls) == {"cfo", "legal", "branding", "reviewer", "reporter"}
    assert "## Web Developer" not in outcome.report_markdown


def test_each_specialist_runs_once_per_run(make_run) -> None:
    run = make_run()
    run.workflow.start(run.run_id, EXAMPLE_BRIEF)
    assert run.llm.calls == Counter({name: 1 for name in
                                     ["cfo", *SPECIALISTS, "reviewer", "reporter"]})


def test_resuming_a_finished_run_reports_it_again_without_new_events(make_run) -> None:
    run = make_run()
    run.workflow.start(run.run_id, EXAMPLE_BRIEF)
    count = len(run.sink.events)
    again = run.workflow.resume(run.run_id)
    assert again.status == "completed" and again.report_markdown
    assert len(run.sink.events) == count
    with pytest.raises(ValueError, match="already has a checkpoint"):
        run.workflow.start(run.run_id, EXAMPLE_BRIEF)
    with pytest.raises(LookupError):
        run.workflow.resume("no-such-run")
