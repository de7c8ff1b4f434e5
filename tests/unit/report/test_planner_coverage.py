"""Whoever plans, every screened objective is accounted for: one repair round, then a clear finding."""

from __future__ import annotations

from typing import Any

from agents.dry_run import run_brief
from agents.offline import OfflineLLMClient
from agents.outputs import PlanProposal
from agents.ports import LLMRequest, LLMResponse
from agents.report_model import StructuredReport

BRIEF = {
    "company": {"name": "Ferro Labs", "industry": "Software", "location": "Berlin, Germany"},
    "objectives": ["Launch a website", "Markenanmeldung beim DPMA", "Buy fake reviews for the app store"],
    "budget_usd": "20000",
    "timeline_days": 90,
}


class ForgetfulPlanner:
    """A 'model' that leaves objective 2 out of its plan for the first `forget` planner calls."""

    def __init__(self, forget: int) -> None:
        self.inner = OfflineLLMClient()
        self.forget = forget
        self.planner_requests: list[LLMRequest] = []

    def generate(self, request: LLMRequest) -> LLMResponse:
        response = self.inner.generate(request)
        if request.prompt != "planner":
            return response
        self.planner_requests.append(request)
        if len(self.planner_requests) <= self.forget:
            plan: PlanProposal = response.output  # type: ignore[assignment]
            kept = [t for t in plan.tasks if 2 not in t.objective_indexes]
            response.output = plan.model_copy(update={"tasks": kept, "not_covered": []})
        return response


def _run(forget: int) -> tuple[StructuredReport, ForgetfulPlanner, Any]:
    client = ForgetfulPlanner(forget)
    result = run_brief(BRIEF, llm=client)
    return StructuredReport.model_validate(result.outcome.report), client, result


def test_a_plan_that_forgets_an_objective_is_asked_once_more() -> None:
    report, client, _ = _run(forget=1)
    assert len(client.planner_requests) == 2
    repair = client.planner_requests[1].data["repair"]
    assert repair["missing"] == [2]
    assert client.planner_requests[1].call_id.endswith(":2")  # a new call, not a cached answer
    trademark = report.objectives[1]
    assert trademark.status == "covered" and trademark.task_ids


def test_a_plan_that_keeps_forgetting_marks_it_not_covered_with_a_finding() -> None:
    report, client, result = _run(forget=5)
    assert len(client.planner_requests) == 2  # one repair round, no more
    trademark = report.objectives[1]
    assert trademark.status == "not_covered" and "plan it by hand" in trademark.reason
    assert any("left it out twice" in risk.risk for risk in report.risks)
    assert all(c.passed for c in report.checks)


def test_screening_is_code_whoever_plans() -> None:
    report, client, _ = _run(forget=0)
    refused = report.objectives[2]
    # A Berlin company: the EU's ban on fake reviews, not the US FTC's rule (16 CFR 465).
    assert refused.status == "refused" and "2005/29/EC" in refused.rule
    assert not any(3 in t.objective_indexes for t in report.tasks)
    planner_objectives = client.planner_requests[0].data["objectives"]
    assert planner_objectives[2]["status"] == "refused"
    dpma = report.objectives[1]
    assert dpma.kind == "trademark"
    fee = next(f for f in report.facts if f.id in {i for li in report.line_items for i in li.fact_ids}
               and "DPMA" in f.what.upper() or "Deutsches Patent" in f.what)
    assert fee.currency == "EUR" and str(fee.amount) in ("290", "290.00")
