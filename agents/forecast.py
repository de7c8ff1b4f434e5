"""The AI-spend forecast of a quote: every LLM call the rest of the run makes, priced before it runs.

After budgeting the run still makes one call per funded specialist, one for the reviewer and one
for the reporter (agents/specialists/base.py, agents/nodes/review.py, agents/nodes/report.py). Each
is built here as the request it will be, from what the state holds now; material those calls will
see but that is not written yet (the specialists' answers, the review) is bounded by the answer
limits that produce it. The tokens are counted by the services' estimator (the one reservations
use) through the `AIPricing` port, and priced at the run's model:

- low: every call made once, its prompt at a typical 4 bytes per token, the shortest answer;
- high: the bound the AI-spend ledger reserves before each call (dense 3 bytes per token, the
  schema and framing, the whole answer limit, and one repair attempt).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from pydantic import BaseModel, Field

from agents.context import RunContext
from agents.llm_call import request_for
from agents.ports import AICaps, LLMRequest, ModelPrice, TokenBounds
from agents.state import SPECIALISTS, Plan, Task

ANSWER_LIMIT = 1200  # the output limit of every call after planning (agents/llm_call.py `ask`)
_MILLION = Decimal(1_000_000)
MICRO = Decimal("0.000001")  # the AI-spend ledger's unit: a range is rounded outwards to it
UNPRICED = ModelPrice(name="unknown", provider="unknown", priced=False)


class CallForecast(BaseModel):
    """One remaining call: who makes it and the tokens and cost it can take."""

    agent: str
    prompt: str
    input_tokens_low: int
    input_tokens_high: int
    output_tokens_low: int
    output_tokens_high: int
    low_usd: Decimal
    high_usd: Decimal


class Forecast(BaseModel):
    """The AI spend of the rest of the run, as a range, held against the run's and month's caps."""

    model: str
    provider: str
    priced: bool
    offline: bool
    calls: list[CallForecast] = Field(default_factory=list)
    low_usd: Decimal = Decimal("0")
    high_usd: Decimal = Decimal("0")
    tokens_low: int = 0
    tokens_high: int = 0
    run_used_usd: Decimal = Decimal("0")
    run_cap_usd: Decimal | None = None
    org_used_usd: Decimal = Decimal("0")
    org_cap_usd: Decimal | None = None
    month: str = ""

    @property
    def run_left_usd(self) -> Decimal | None:
        return None if self.run_cap_usd is None else max(Decimal("0"), self.run_cap_usd - self.run_used_usd)

    @property
    def org_left_usd(self) -> Decimal | None:
        return None if self.org_cap_usd is None else max(Decimal("0"), self.org_cap_usd - self.org_used_usd)

    def to_json(self) -> dict[str, Any]:
        """The JSON the quote and the state carry (money as strings), with what is left under each cap."""
        data = self.model_dump(mode="json")
        for name in ("run_left_usd", "org_left_usd"):
            value = getattr(self, name)
            data[name] = None if value is None else str(value)
        data["fits_run_cap"] = _fits(self.high_usd, self.run_left_usd)
        data["fits_org_cap"] = _fits(self.high_usd, self.org_left_usd)
        return data


def _fits(high: Decimal, left: Decimal | None) -> bool | None:
    return None if left is None else high <= left


def cost(price: ModelPrice, input_tokens: int, output_tokens: int) -> Decimal:
    """Exact USD cost at the model's price (0 for the offline provider and an unpriced model)."""
    if price.offline or not price.priced:
        return Decimal("0")
    return (Decimal(input_tokens) * price.input_usd_per_mtok
            + Decimal(output_tokens) * price.output_usd_per_mtok) / _MILLION


def _bytes(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), default=str).encode("utf-8"))


def fallback_bounds(request: LLMRequest, unseen_bytes: int, unseen_tokens: int) -> TokenBounds:
    """Without the services' estimator (engine tests): the same densities, without schema or framing."""
    size = len(request.system.encode("utf-8")) + _bytes(request.data)
    return TokenBounds(
        input_low=math.ceil(size / 4),
        input_high=2 * (math.ceil((size + unseen_bytes) / 3) + unseen_tokens) + request.max_tokens,
        output_high=2 * request.max_tokens,
    )


def remaining_requests(
    ctx: RunContext, state: dict[str, Any], funded: Sequence[Task], executed: bool = True
) -> list[tuple[LLMRequest, int, int]]:
    """The calls still to come if `funded` is what runs: (request, unseen bytes, unseen tokens).

    Each specialist's request is built as `run_specialist` builds it, with the whole reference as
    its context in the low count and twice over in the high one (the context is a subset of it).
    """
    plan = Plan.model_validate(state["plan"])
    agents = [a for a in SPECIALISTS if any(t.owner == a for t in funded)] if executed else []
    by_agent: dict[str, Decimal] = {}
    for task in funded:
        by_agent[task.owner] = by_agent.get(task.owner, Decimal("0")) + task.estimated_cost
    reference = state.get("reference") or {}
    policy = state.get("policy") or {}
    reference_bytes = _bytes(reference)
    calls: list[tuple[LLMRequest, int, int]] = []
    for agent in agents:
        data = {
            "brief": state["brief"], "agent": agent,
            "tasks": [t.model_dump(mode="json") for t in funded if t.owner == agent],
            "allocation_usd": str(by_agent[agent]), "focus": policy.get("review_focus", []),
            "objectives": state.get("objectives", []), "context": {"reference": reference},
        }
        calls.append((request_for(ctx, agent=agent, prompt=agent, data=data), reference_bytes, 0))
    written = len(agents) * ANSWER_LIMIT  # the deliverables are the specialists' answers
    review = {
        "brief": state["brief"], "plan": state["plan"], "allocation": {"by_agent": {k: str(v) for k, v in by_agent.items()}},
        "deliverables": {}, "focus": policy.get("review_focus", []),
        "findings_so_far": state.get("findings", []), "reference": reference,
    }
    calls.append((request_for(ctx, agent="reviewer", prompt="reviewer", data=review), _bytes(state["plan"]), written))
    # The report restates the plan and the sourced facts; the facts count in the high bound only.
    report = {"brief": state["brief"], "report": {"plan": plan.model_dump(mode="json")},
              "findings": state.get("findings", [])}
    calls.append((request_for(ctx, agent="reporter", prompt="reporter", data=report), reference_bytes,
                  written + 2 * ANSWER_LIMIT))
    return calls


def forecast(
    ctx: RunContext, state: dict[str, Any], funded: Sequence[Task], executed: bool = True
) -> Forecast:
    """The forecast for funding `funded` (nothing executed: only the review and the report remain)."""
    pricing = ctx.pricing
    price = pricing.price() if pricing is not None else UNPRICED
    caps = pricing.caps() if pricing is not None else AICaps()
    rows: list[CallForecast] = []
    for request, unseen_bytes, unseen_tokens in remaining_requests(ctx, state, funded, executed):
        if pricing is not None:
            bounds = pricing.token_bounds(request, unseen_bytes=unseen_bytes, unseen_tokens=unseen_tokens)
        else:
            bounds = fallback_bounds(request, unseen_bytes, unseen_tokens)
        rows.append(CallForecast(
            agent=request.agent, prompt=request.prompt,
            input_tokens_low=bounds.input_low, input_tokens_high=bounds.input_high,
            output_tokens_low=bounds.output_low, output_tokens_high=bounds.output_high,
            low_usd=cost(price, bounds.input_low, bounds.output_low).quantize(MICRO, rounding=ROUND_FLOOR),
            high_usd=cost(price, bounds.input_high, bounds.output_high).quantize(MICRO, rounding=ROUND_CEILING)))  # fmt: skip
    return Forecast(
        model=price.name, provider=price.provider, priced=price.priced, offline=price.offline, calls=rows,
        low_usd=sum((r.low_usd for r in rows), Decimal("0")), high_usd=sum((r.high_usd for r in rows), Decimal("0")),
        tokens_low=sum(r.input_tokens_low + r.output_tokens_low for r in rows),
        tokens_high=sum(r.input_tokens_high + r.output_tokens_high for r in rows),
        run_used_usd=caps.run_used, run_cap_usd=caps.run_cap, org_used_usd=caps.org_used,
        org_cap_usd=caps.org_cap, month=caps.month,
    )  # fmt: skip
