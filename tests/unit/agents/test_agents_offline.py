"""The offline provider: deterministic, labelled, costed item by item from the sourced knowledge base."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from agents.nodes.intake import check_objective
from agents.offline import OfflineLLMClient, generate_payload
from agents.outputs import OUTPUT_SCHEMAS, PlanProposal
from agents.ports import LLMError, LLMRequest
from agents.prompts import load_prompt
from agents.reference import build_reference
from agents.state import Brief, dump
from tests.unit.agents.agents_support import RecordingClient, brief


def planner_data(raw: dict[str, Any]) -> dict[str, Any]:
    """What the planning node sends: the brief, its screened objectives and its reference data."""
    model = Brief.model_validate(raw)
    checks = [check_objective(n, text) for n, text in enumerate(model.objectives, start=1)]
    return {"brief": raw, "objectives": [dump(c) for c in checks], "reference": build_reference(model, checks)}


def plan_for(**changes) -> PlanProposal:
    return PlanProposal.model_validate(generate_payload("planner", planner_data(brief(**changes))))


def request(prompt: str, data: dict) -> LLMRequest:
    template = load_prompt(prompt)
    return LLMRequest(run_id="r", call_id="c", agent=prompt, prompt=template.name,
                      prompt_version=template.version, system=template.text, data=data,
                      output_schema=OUTPUT_SCHEMAS[prompt])


def test_same_input_same_output_zero_cost_marked_offline() -> None:
    client = OfflineLLMClient()
    first = client.generate(request("planner", planner_data(brief())))
    second = OfflineLLMClient().generate(request("planner", planner_data(brief())))

    assert first.output.model_dump() == second.output.model_dump()
    assert (first.input_tokens, first.output_tokens) == (second.input_tokens, second.output_tokens)
    assert first.offline and first.cost_usd == Decimal("0") and first.provider == "offline"


def test_every_prompt_answer_validates_and_the_report_says_offline_once(make_run) -> None:
    run = make_run(llm=RecordingClient())
    outcome = run.workflow.start(run.run_id, brief())
    assert {r.prompt for r in run.llm.requests} == set(OUTPUT_SCHEMAS)
    for req in run.llm.requests:
        payload = generate_payload(req.prompt, json.loads(json.dumps(req.data)))
        OUTPUT_SCHEMAS[req.prompt].model_validate(payload)
        assert payload == generate_payload(req.prompt, req.data)  # deterministic
    assert outcome.report["offline"] is True
    assert outcome.report_markdown.lower().count("offline provider") == 1


def test_unknown_prompt_is_an_error() -> None:
    with pytest.raises(ValueError, match="no answer"):
        generate_payload("poet", {})
    with pytest.raises(LLMError):
        OfflineLLMClient().generate(request("planner", {"brief": {"company": {}}}))


def test_plans_differ_by_place_industry_and_budget() -> None:
    texas = plan_for()
    london = plan_for(company={"location": "London, UK"})
    formation_tx = next(t for t in texas.tasks if t.kind == "formation")
    formation_uk = next(t for t in london.tasks if t.kind == "formation")
    assert formation_tx.estimated_cost == Decimal("300") and "Texas" in formation_tx.title
    assert "United Kingdom" in formation_uk.title
    big = plan_for(budget_usd="200000")
    assert sum(t.estimated_cost for t in big.tasks) > 10 * sum(t.estimated_cost for t in texas.tasks)
    only_legal = plan_for(objectives=["Register the trademark", "Incorporate the company"])
    assert {t.owner for t in only_legal.tasks} == {"legal"}
    assert {i for t in only_legal.tasks for i in t.objective_indexes} == {1, 2}


def test_a_specialist_commits_exactly_what_the_plan_estimated() -> None:
    data = planner_data(brief(company={"industry": "Retail"}, objectives=["Run Instagram ads"]))
    plan = PlanProposal.model_validate(generate_payload("planner", data))
    media = next(t for t in plan.tasks if t.owner == "campaigns" and t.kind.startswith("media"))
    task = {**media.model_dump(mode="json"), "estimated_cost": str(media.estimated_cost)}
    payload = generate_payload("campaigns", {**data, "agent": "campaigns", "tasks": [task],
                                             "allocation_usd": str(media.estimated_cost),
                                             "context": {"reference": data["reference"]}})
    assert [i["description"] for i in payload["line_items"]] == ["Budget: Instagram ads"]
    assert sum(Decimal(str(i["amount"])) for i in payload["line_items"]) == media.estimated_cost
    for item in payload["line_items"]:
        assert Decimal(str(item["quantity"])) * Decimal(str(item["unit_usd"])) == Decimal(str(item["amount"]))


def test_pace_sleeps_per_call(monkeypatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("agents.offline.time.sleep", slept.append)
    OfflineLLMClient(pace_seconds=0.25).generate(request("planner", planner_data(brief())))
    assert slept == [0.25]
