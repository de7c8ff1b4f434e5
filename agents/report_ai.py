"""The report's AI spend: the quote's forecast for the rest of the run against what the ledger says.

The forecast comes from the state (what budgeting funded, agents/forecast.py); the actual is the sum
of the AI-spend ledger's settled calls of the same agents after the quote (the specialists, the
reviewer and the reporter), never restated from an event. Renderings only format the result.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from agents.catalogue import Catalogue
from agents.ports import SpentCall
from agents.report_model import AIForecastRow, AISpendComparison, Verdict

ZERO = Decimal("0")


def _verdict(low: Decimal | int, high: Decimal | int, actual: Decimal | int) -> Verdict:
    if actual < low:
        return "below"
    if actual > high:
        return "above"
    return "inside"


def compare(
    forecast: dict[str, Any] | None, calls: list[SpentCall], catalogue: Catalogue
) -> AISpendComparison | None:
    """Forecast and actual per agent and in total; None for runs planned before quotes existed."""
    if not forecast:
        return None
    rows: dict[str, AIForecastRow] = {}
    for call in forecast.get("calls", []):
        agent = str(call["agent"])
        row = rows.setdefault(agent, AIForecastRow(agent=agent, agent_title=catalogue.title(agent)))
        row.calls_forecast += 1
        row.low_usd += Decimal(str(call["low_usd"]))
        row.high_usd += Decimal(str(call["high_usd"]))
        row.tokens_low += int(call["input_tokens_low"]) + int(call["output_tokens_low"])
        row.tokens_high += int(call["input_tokens_high"]) + int(call["output_tokens_high"])
    for call in calls:
        if call.agent not in rows:
            continue  # the planner's calls were spent before the quote
        row = rows[call.agent]
        row.calls_actual += 1
        row.actual_usd += call.cost_usd
        row.tokens_actual += call.input_tokens + call.output_tokens
    seen = [c for c in calls if c.agent in rows]
    table = list(rows.values())
    low = sum((r.low_usd for r in table), ZERO)
    high = sum((r.high_usd for r in table), ZERO)
    actual = sum((r.actual_usd for r in table), ZERO)
    tokens = (sum(r.tokens_low for r in table), sum(r.tokens_high for r in table),
              sum(r.tokens_actual for r in table))
    priced = bool(forecast.get("priced", False))
    for row in table:
        row.verdict = _verdict(row.low_usd, row.high_usd, row.actual_usd) if priced else \
            _verdict(row.tokens_low, row.tokens_high, row.tokens_actual)
    result = AISpendComparison(
        model=str(forecast.get("model", "")), provider=str(forecast.get("provider", "")), priced=priced,
        offline=bool(forecast.get("offline", False)), low_usd=low, high_usd=high, actual_usd=actual,
        tokens_low=tokens[0], tokens_high=tokens[1], tokens_actual=tokens[2],
        calls_forecast=sum(r.calls_forecast for r in table), calls_actual=len(seen),
        cached_calls=sum(1 for c in seen if c.cached), usage_estimated=any(c.usage_estimated for c in seen),
        verdict=_verdict(low, high, actual) if priced else "unpriced",
        token_verdict=_verdict(*tokens), rows=table,
        run_cap_usd=_money(forecast.get("run_cap_usd")), org_cap_usd=_money(forecast.get("org_cap_usd")),
    )  # fmt: skip
    result.summary = sentence(result)
    return result


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def sentence(ai: AISpendComparison) -> str:
    """The comparison in one sentence an executive can check against the table."""
    if ai.offline:
        return ("The offline provider costs nothing: the forecast was $0.0000 and the run spent $0.0000, "
                "exactly as quoted.")
    if not ai.priced:
        return (f"Price not set for {ai.model}: the forecast could count tokens only ({ai.tokens_low:,} to "
                f"{ai.tokens_high:,}); the calls used {ai.tokens_actual:,} tokens, "
                f"{_where(ai.token_verdict)} the forecast range. Its cost is unknown, not free.")
    text = (f"The quote forecast {usd4(ai.low_usd)} to {usd4(ai.high_usd)} of AI spend for the rest of the run "
            f"({ai.calls_forecast} calls); the AI-spend ledger recorded {usd4(ai.actual_usd)} for "
            f"{ai.calls_actual} calls, {_where(ai.verdict)} the range.")
    if ai.verdict == "below" and ai.cached_calls:
        text += f" {ai.cached_calls} answers came from the cache and cost nothing."
    if ai.usage_estimated:
        text += " The model server reported no usage for some calls, so their tokens are Catalyst's count."
    return text


def _where(verdict: str) -> str:
    return {"inside": "inside", "below": "below", "above": "above"}.get(verdict, "against")


def usd4(value: Decimal) -> str:
    """AI spend is small: four decimals, as the live page shows it."""
    return f"${value:,.4f}"
