"""The offline client: deterministic, honest about being offline, aware of industry and place."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from agents.knowledge.fees import formation_fee, trademark_fee
from agents.knowledge.geography import jurisdiction_of
from agents.offline import OfflineLLMClient, generate_payload
from agents.offline_answers import OFFLINE_NOTE
from agents.outputs import OUTPUT_SCHEMAS, PlanProposal
from agents.ports import LLMError, LLMRequest
from agents.prompts import load_prompt
from tests.unit.agents.agents_support import RecordingClient, brief


def plan_for(**changes) -> PlanProposal:
    return PlanProposal.model_validate(generate_payload("planner", {"brief": brief(**changes)}))


def request(prompt: str, data: dict) -> LLMRequest:
    template = load_prompt(prompt)
    return LLMRequest(run_id="r", call_id="c", agent=prompt, prompt=template.name,
                      prompt_version=template.version, system=template.text, data=data,
                      output_schema=OUTPUT_SCHEMAS[prompt])


def test_same_input_same_output_zero_cost_marked_offline() -> None:
    client = OfflineLLMClient()
    first = client.generate(request("planner", {"brief": brief()}))
    second = OfflineLLMClient().generate(request("planner", {"brief": brief()}))

    assert first.output.model_dump() == second.output.model_dump()
    assert (first.input_tokens, first.output_tokens) == (second.input_tokens, second.output_tokens)
    assert first.offline and first.cost_usd == Decimal("0") and first.provider == "offline"
    assert OFFLINE_NOTE in first.output.summary


def test_every_prompt_answer_validates_and_says_it_is_offline(make_run) -> None:
    run = make_run(llm=RecordingClient())
    run.workflow.start(run.run_id, brief())
    assert {r.prompt for r in run.llm.requests} == set(OUTPUT_SCHEMAS)
    for req in run.llm.requests:
        payload = generate_payload(req.prompt, json.loads(json.dumps(req.data)))
        OUTPUT_SCHEMAS[req.prompt].model_validate(payload)
        assert "offline" in json.dumps(payload).lower(), req.prompt
        assert payload == generate_payload(req.prompt, req.data)  # deterministic


def test_unknown_prompt_is_an_error() -> None:
    with pytest.raises(ValueError, match="no answer"):
        generate_payload("poet", {})
    with pytest.raises(LLMError):
        OfflineLLMClient().generate(request("planner", {"brief": {"company": {}}}))


@pytest.mark.parametrize(
    ("location", "country", "formation_usd"),
    [
        ("Austin, TX", "us", Decimal("300")),
        ("Sacramento, California", "us", Decimal("70")),
        ("Wilmington, DE", "us", Decimal("110")),
        ("London, UK", "uk", Decimal("63.50")),
        ("Dublin, Ireland", "eu", Decimal("54.00")),
        ("Toronto, Canada", "ca", Decimal("146.00")),
        ("Lagos, Nigeria", "other", Decimal("300")),
    ],
)
def test_formation_fees_follow_the_location(location: str, country: str, formation_usd) -> None:
    place = jurisdiction_of(location)
    assert place.country == country
    assert formation_fee(place).amount_usd == formation_usd


def test_trademark_fees_by_office() -> None:
    assert trademark_fee(jurisdiction_of("Austin, TX"), 2).amount_usd == Decimal("700")
    assert "EUIPO" in trademark_fee(jurisdiction_of("Berlin, Germany"), 1).description
    assert "UKIPO" in trademark_fee(jurisdiction_of("Leeds, England"), 1).description
    assert "generic" in trademark_fee(jurisdiction_of("Atlantis"), 1).description


def test_plans_differ_by_place_industry_and_budget() -> None:
    texas = plan_for()
    london = plan_for(company={"location": "London, UK"})
    legal_tx = [t for t in texas.tasks if t.owner == "legal"]
    legal_uk = [t for t in london.tasks if t.owner == "legal"]
    assert legal_tx[0].estimated_cost == Decimal("300") and "Texas" in legal_tx[0].title
    assert "United Kingdom" in legal_uk[0].title
    big = plan_for(budget_usd="200000")
    assert sum(t.estimated_cost for t in big.tasks) > 10 * sum(t.estimated_cost for t in texas.tasks)
    only_legal = plan_for(objectives=["Register the trademark and incorporate the company"])
    assert {t.owner for t in only_legal.tasks} == {"legal", "branding"} or {
        t.owner for t in only_legal.tasks} == {"legal"}


def test_deliverables_are_industry_aware() -> None:
    data = {"brief": brief(company={"industry": "Retail"}), "agent": "campaigns",
            "tasks": [{"id": "T1", "title": "Launch campaign paid media", "owner": "campaigns",
                       "priority": 2, "estimated_cost": 1000}], "allocation_usd": "1000.00"}
    retail = generate_payload("campaigns", data)
    assert any("Paid social" in i["description"] for i in retail["line_items"])
    assert sum(Decimal(str(i["amount"])) for i in retail["line_items"]) == Decimal("1000")
    healthcare = generate_payload("legal", {**data, "brief": brief(company={"industry": "Health"}),
                                            "agent": "legal", "tasks": []})
    assert any("HIPAA" in item for item in healthcare["items"])


def test_offline_never_proposes_more_than_the_allocation() -> None:
    data = {"brief": brief(), "agent": "webdev", "allocation_usd": "100.00",
            "tasks": [{"id": "T1", "title": "Build the launch website", "owner": "webdev",
                       "priority": 2, "estimated_cost": 900}]}
    payload = generate_payload("webdev", data)
    assert sum(Decimal(str(i["amount"])) for i in payload["line_items"]) == Decimal("100")


def test_pace_sleeps_per_call(monkeypatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("agents.offline.time.sleep", slept.append)
    OfflineLLMClient(pace_seconds=0.25).generate(request("planner", {"brief": brief()}))
    assert slept == [0.25]
