"""The quote before money moves: the AI-spend forecast, the quote policy, and decisions on a quote.

The forecast is priced through the real `LedgerPricing` token bounds (the services' estimator);
only its ledger reads (caps and settled calls) are answered by a small port of the test's own.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

import pytest

from agents.catalogue import default_catalogue
from agents.checkpoint import open_checkpointer
from agents.context import RunContext
from agents.forecast import cost, forecast
from agents.memory import MemoryEventSink, MemoryLedger
from agents.offline import OfflineLLMClient
from agents.ports import AICaps, LLMRequest, SpentCall
from agents.report_ai import compare
from agents.state import Plan
from agents.workflow import Workflow
from services.llm.estimate import max_cost
from services.llm.registry import ModelInfo, load_registry
from services.runs.ai_pricing import LedgerPricing

BRIEF: dict[str, Any] = {
    "company": {"name": "Acme", "industry": "Technology", "location": "Austin, TX"},
    "objectives": ["Launch product", "Register the trademark"],
    "budget_usd": "8000",
    "timeline_days": 90,
}
PRICED = load_registry().get("gpt-4o-mini")
UNPRICED = ModelInfo(name="served-model", provider="openai", id="served-model", context_window=8192,
                     input_usd_per_mtok=Decimal(0), output_usd_per_mtok=Decimal(0), priced=False)


class Pricing(LedgerPricing):
    """The real token bounds and price; caps and settled calls given by the test (no ledger here)."""

    def __init__(self, model: ModelInfo, caps: AICaps | None = None, calls: list[SpentCall] | None = None):
        super().__init__(None, "run", 1, model, provider=model.provider, model_name=model.name)  # type: ignore[arg-type]
        self._caps = caps or AICaps(run_used=Decimal("0.01"), run_cap=Decimal("2"), org_used=Decimal("10"),
                                    org_cap=Decimal("100"), month="2026-12")
        self._calls = calls or []

    def caps(self) -> AICaps:
        return self._caps

    def spent_calls(self) -> list[SpentCall]:
        return list(self._calls)


def run(policy: str, brief: dict[str, Any] | None = None, pricing: Any = None, answers: list[dict] | None = None):
    """Drive a run to its end, answering each decision pause in turn; (outcome, pauses, sink)."""
    sink = MemoryEventSink("r1")
    pauses: list[dict[str, Any]] = []
    with open_checkpointer("sqlite://") as saver:
        workflow = Workflow(OfflineLLMClient(), sink, MemoryLedger(), saver, policy=policy, pricing=pricing)
        outcome = workflow.start("r1", brief or BRIEF)
        queue = list(answers or [])
        while outcome.status == "paused" and queue:
            pauses.append(outcome.payload or {})
            outcome = workflow.resume("r1", queue.pop(0))
        if outcome.status == "paused":
            pauses.append(outcome.payload or {})
        state = workflow.graph.get_state({"configurable": {"thread_id": "r1"}}).values
    return outcome, pauses, sink, state


@pytest.fixture(scope="module")
def quoted() -> tuple[Any, dict[str, Any]]:
    """A run paused at its quote under `always`, with its state."""
    outcome, pauses, _, state = run("always", pricing=Pricing(PRICED))
    assert outcome.status == "paused" and outcome.reason == "quote"
    return pauses[0], state


def context(pricing: Any) -> RunContext:
    return RunContext(run_id="r1", llm=OfflineLLMClient(), ledger=MemoryLedger(), policy="always", pricing=pricing)


# --- the forecast --------------------------------------------------------------------------------


def test_the_high_bound_is_what_the_ledger_reserves_and_the_low_bound_is_below_it() -> None:
    from agents.outputs import OUTPUT_SCHEMAS

    request = LLMRequest(run_id="r", call_id="c", agent="reviewer", prompt="reviewer", prompt_version="1",
                         system="Review the plan.", data={"plan": {"tasks": ["x" * 900]}},
                         output_schema=OUTPUT_SCHEMAS["reviewer"], max_tokens=1200)
    bounds = Pricing(PRICED).token_bounds(request)
    price = Pricing(PRICED).price()
    assert cost(price, bounds.input_high, bounds.output_high) == max_cost(request, PRICED)
    assert 0 < bounds.input_low < bounds.input_high and bounds.output_low == 0 and bounds.output_high == 2400
    more = Pricing(PRICED).token_bounds(request, unseen_bytes=3000, unseen_tokens=100)
    assert more.input_low == bounds.input_low and more.input_high == bounds.input_high + 2 * (1000 + 100)


def test_the_quote_forecasts_every_remaining_call_with_a_range(quoted) -> None:
    payload, _ = quoted
    forecast_ = payload["quote"]["forecast"]
    agents = [call["agent"] for call in forecast_["calls"]]
    funded = {task["agent"] for task in payload["tasks"]}
    assert sorted(agents[:-2]) == sorted(funded) and agents[-2:] == ["reviewer", "reporter"]
    assert forecast_["priced"] is True and forecast_["model"] == "gpt-4o-mini"
    low, high = Decimal(forecast_["low_usd"]), Decimal(forecast_["high_usd"])
    assert Decimal("0") < low < high
    assert low == sum(Decimal(c["low_usd"]) for c in forecast_["calls"])
    assert high == sum(Decimal(c["high_usd"]) for c in forecast_["calls"])
    for call in forecast_["calls"]:
        exact = cost(Pricing(PRICED).price(), call["input_tokens_high"], call["output_tokens_high"])
        assert Decimal(call["high_usd"]) == exact.quantize(Decimal("0.000001"), rounding=ROUND_CEILING)
    # Against the caps: what is left of the run's cap and of the organisation's month.
    assert forecast_["run_left_usd"] == "1.99" and forecast_["org_left_usd"] == "90"
    assert forecast_["fits_run_cap"] is (high <= Decimal("1.99")) and forecast_["fits_org_cap"] is True


def test_cutting_tasks_lowers_the_forecast(quoted) -> None:
    _, state = quoted
    plan = Plan.model_validate(state["plan"])
    ctx = context(Pricing(PRICED))
    whole = forecast(ctx, state, plan.tasks)
    gone = plan.tasks[0].owner
    fewer = forecast(ctx, state, [t for t in plan.tasks if t.owner != gone])
    one_less = forecast(ctx, state, [t for t in plan.tasks if t.id != plan.tasks_of("legal")[-1].id])
    assert len(fewer.calls) == len(whole.calls) - 1 and gone not in [c.agent for c in fewer.calls]
    assert fewer.low_usd < whole.low_usd and fewer.high_usd < whole.high_usd
    assert one_less.low_usd < whole.low_usd and one_less.high_usd < whole.high_usd
    nothing = forecast(ctx, state, [], executed=False)
    assert [c.agent for c in nothing.calls] == ["reviewer", "reporter"] and nothing.high_usd < fewer.high_usd


def test_a_model_without_a_price_forecasts_tokens_and_says_price_not_set(quoted) -> None:
    _, state = quoted
    plan = Plan.model_validate(state["plan"])
    unpriced = forecast(context(Pricing(UNPRICED)), state, plan.tasks)
    assert unpriced.priced is False and unpriced.low_usd == unpriced.high_usd == Decimal("0")
    assert 0 < unpriced.tokens_low < unpriced.tokens_high
    result = compare(unpriced.to_json(), [SpentCall(agent="reviewer", prompt="reviewer", input_tokens=10)],
                     default_catalogue())
    assert result is not None and result.verdict == "unpriced"
    from agents.report_ai import sentence

    assert "Price not set for served-model" in sentence(result) and "unknown, not free" in sentence(result)


def test_the_offline_provider_costs_nothing_and_lands_exactly(quoted) -> None:
    _, state = quoted
    offline = forecast(context(Pricing(load_registry().get("offline"))), state,
                       Plan.model_validate(state["plan"]).tasks)
    assert offline.offline and offline.low_usd == offline.high_usd == Decimal("0") and offline.tokens_high > 0
    calls = [SpentCall(agent=c.agent, prompt=c.prompt) for c in offline.calls]
    result = compare(offline.to_json(), calls, default_catalogue())
    assert result is not None and result.verdict == "inside" and result.actual_usd == 0
    assert result.calls_actual == result.calls_forecast == len(offline.calls)


def test_actual_spend_is_compared_per_agent_from_the_ledger_calls() -> None:
    forecast_ = {"model": "m", "provider": "openai", "priced": True, "offline": False, "calls": [
        {"agent": "legal", "prompt": "legal", "input_tokens_low": 100, "input_tokens_high": 900,
         "output_tokens_low": 0, "output_tokens_high": 400, "low_usd": "0.001", "high_usd": "0.010"},
        {"agent": "reporter", "prompt": "reporter", "input_tokens_low": 100, "input_tokens_high": 900,
         "output_tokens_low": 0, "output_tokens_high": 400, "low_usd": "0.002", "high_usd": "0.020"},
    ]}  # fmt: skip
    calls = [SpentCall(agent="cfo", prompt="planner", cost_usd=Decimal("0.5")),  # before the quote
             SpentCall(agent="legal", prompt="legal", input_tokens=300, output_tokens=100, cost_usd=Decimal("0.004")),
             SpentCall(agent="reporter", prompt="reporter", input_tokens=50, output_tokens=10, cost_usd=Decimal("0.0011"))]
    result = compare(forecast_, calls, default_catalogue())
    assert result is not None
    assert (result.low_usd, result.high_usd, result.actual_usd) == (Decimal("0.003"), Decimal("0.030"), Decimal("0.0051"))
    assert result.verdict == "inside" and result.calls_actual == 2
    assert [(r.agent, r.verdict) for r in result.rows] == [("legal", "inside"), ("reporter", "below")]


# --- the policy ----------------------------------------------------------------------------------


def test_always_stops_at_a_quote_within_budget() -> None:
    outcome, pauses, sink, _ = run("always")
    assert outcome.status == "paused" and outcome.reason == "quote"
    payload = pauses[0]
    assert payload["reason"] == "quote" and Decimal(payload["plan_total"]) <= Decimal(payload["budget"])
    assert payload["quote"]["policy"] == "always" and payload["quote"]["by_agent"] and payload["quote"]["by_objective"]
    assert payload["options"]["reject"]["funded_usd"] == "0.00"
    assert [e["data"]["reason"] for e in sink.of_type("approval.required")] == ["quote"]


def test_over_budget_stops_only_when_something_would_be_cut() -> None:
    within, _, _, _ = run("over_budget")
    assert within.status == "completed"
    over, pauses, _, _ = run("over_budget", {**BRIEF, "budget_usd": "1000"})
    assert over.status == "paused" and over.reason == "approval_required" and "quote" in pauses[0]
    # The older name of the policy means the same.
    legacy, _, _, _ = run("approve", {**BRIEF, "budget_usd": "1000"})
    assert legacy.status == "paused" and legacy.reason == "approval_required"


def test_always_over_budget_asks_for_an_approval_with_its_quote() -> None:
    outcome, pauses, _, _ = run("always", {**BRIEF, "budget_usd": "1000"})
    assert outcome.reason == "approval_required" and pauses[0]["quote"]["forecast_options"]["reject"]


def test_never_stops_never_and_says_what_it_cut() -> None:
    for policy in ("never", "trim"):
        outcome, _, sink, _ = run(policy, {**BRIEF, "budget_usd": "1000"})
        assert outcome.status == "completed" and not sink.of_type("approval.required")
        assert outcome.report is not None and outcome.report["decision"]["by"] == "policy"


def test_an_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="always, over_budget, never"):
        run("sometimes")


# --- decisions on a quote ------------------------------------------------------------------------


def test_accepting_a_quote_funds_the_plan_and_the_report_compares_the_forecast() -> None:
    outcome, pauses, sink, state = run("always", pricing=Pricing(PRICED), answers=[{"decision": "approve"}])
    assert outcome.status == "completed" and outcome.report is not None
    assert all(t["status"] == "funded" for t in outcome.report["tasks"])
    decided = sink.of_type("approval.decided")[0]["data"]
    assert decided["reason"] == "quote" and decided["decision"] == "approve"
    assert state["forecast"]["high_usd"] == pauses[0]["quote"]["forecast"]["high_usd"]
    assert outcome.report["ai_spend"]["high_usd"] == f"{Decimal(state['forecast']['high_usd']):.6f}"
    assert "## AI spend: forecast and actual" in (outcome.report_markdown or "")


def test_an_edited_quote_runs_without_the_cut_tasks_and_a_lower_forecast() -> None:
    _, first, _, _ = run("always")
    cut = [t["id"] for t in first[0]["tasks"] if t["agent"] == "campaigns"]
    outcome, pauses, _, state = run("always", pricing=Pricing(PRICED), answers=[{"decision": "edit", "cut": cut}])
    assert outcome.status == "completed" and outcome.report is not None
    rows = {t["id"]: t for t in outcome.report["tasks"]}
    assert all(rows[i]["status"] == "dropped" and rows[i]["drop_reason"] == "cut" for i in cut)
    assert "campaigns" not in {d["agent"] for d in outcome.report["deliverables"]}
    assert Decimal(state["forecast"]["high_usd"]) < Decimal(pauses[0]["quote"]["forecast"]["high_usd"])
    assert outcome.report["decision"] == {**outcome.report["decision"], "decision": "edit", "cut": cut}


def test_rejecting_a_quote_runs_nothing_and_the_report_says_so() -> None:
    outcome, _, sink, state = run("always", answers=[{"decision": "reject", "note": "not now"}])
    assert outcome.status == "completed" and outcome.report is not None
    assert state["allocation"]["executed"] is False and not outcome.report["line_items"]
    assert not sink.of_type("agent.started") or {e["agent"] for e in sink.of_type("agent.started")} <= {
        "cfo", "reviewer", "reporter"}
    assert all(t["status"] == "dropped" for t in outcome.report["tasks"])
    assert "no work was commissioned" in (outcome.report_markdown or "")
    assert "The executive rejected the quote; nothing was executed." in (outcome.report_markdown or "")
    assert outcome.report["decision"]["quote"] is True and outcome.report["decision"]["executed"] is False
    assert [c["agent"] for c in state["forecast"]["calls"]] == ["reviewer", "reporter"]
