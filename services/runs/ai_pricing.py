"""The `AIPricing` port of a run: the quote's forecast priced like reservations, the actual from the ledger.

The high bound of a call is exactly what `services/llm/estimate.py max_cost` reserves (so the ledger
never lets a call pass it), the low bound counts the same messages at a typical density, and the
caps and settled calls are read from the AI-spend ledger the metering writes.
"""

from __future__ import annotations

import math

from sqlalchemy import select

from agents.ports import AICaps, LLMRequest, ModelPrice, SpentCall, TokenBounds
from services.budgets.ai_ledger import AILedger
from services.budgets.ai_usage import CALLS, SETTLED
from services.budgets.money import micros_to_usd
from services.llm.estimate import BYTES_PER_TOKEN, estimate_tokens, prompt_tokens
from services.llm.messages import data_message, repair_message, system_message
from services.llm.output import MAX_PROBLEM_CHARS
from services.llm.registry import ModelInfo

# Byte-level BPE tokenizers average about 4 UTF-8 bytes per token on English and JSON text.
TYPICAL_BYTES_PER_TOKEN = 4


def model_price(model: ModelInfo | None, *, provider: str, model_name: str) -> ModelPrice:
    """A registry model's price; a model outside the registry has none (its cost is unknown)."""
    if model is None:
        return ModelPrice(name=model_name, provider=provider, priced=False)
    return ModelPrice(
        name=model.name, provider=model.provider,
        input_usd_per_mtok=model.input_usd_per_mtok, output_usd_per_mtok=model.output_usd_per_mtok,
        priced=model.priced, offline=model.provider == "offline",
    )  # fmt: skip


class LedgerPricing:
    """Prices one run's remaining calls at its model and reads its AI spend from the ledger."""

    def __init__(self, ledger: AILedger, run_id: str, org_id: int, model: ModelInfo | None, *,
                 provider: str, model_name: str) -> None:  # fmt: skip
        self.ledger = ledger
        self.run_id = run_id
        self.org_id = org_id
        self.model = model
        self.provider = provider
        self.model_name = model_name

    def price(self) -> ModelPrice:
        return model_price(self.model, provider=self.provider, model_name=self.model_name)

    def token_bounds(self, request: LLMRequest, *, unseen_bytes: int = 0, unseen_tokens: int = 0) -> TokenBounds:
        """Low: the messages once at 4 bytes per token, no answer. High: the reservation's bound
        (`max_cost`: dense count, schema, framing, full answer, one repair), with `unseen` material."""
        sent = system_message(request.system) + data_message(request.data)
        low = math.ceil(len(sent.encode("utf-8")) / TYPICAL_BYTES_PER_TOKEN)
        first = prompt_tokens(request) + math.ceil(unseen_bytes / BYTES_PER_TOKEN) + unseen_tokens
        repair = first + request.max_tokens + estimate_tokens(repair_message("x" * MAX_PROBLEM_CHARS))
        return TokenBounds(input_low=low, input_high=first + repair, output_low=0,
                           output_high=2 * request.max_tokens)

    def caps(self) -> AICaps:
        run = self.ledger.run_usage(self.run_id)
        org = self.ledger.org_usage(self.org_id)
        return AICaps(run_used=run.committed, run_cap=run.cap, org_used=org.committed, org_cap=org.cap,
                      month=org.month or "")

    def spent_calls(self) -> list[SpentCall]:
        with self.ledger.engine.connect() as conn:
            rows = conn.execute(
                select(CALLS.c.agent, CALLS.c.prompt, CALLS.c.input_tokens, CALLS.c.output_tokens,
                       CALLS.c.settled_micros, CALLS.c.cached, CALLS.c.usage_estimated)
                .where(CALLS.c.run_id == self.run_id, CALLS.c.status == SETTLED)
                .order_by(CALLS.c.id)
            ).all()  # fmt: skip
        return [SpentCall(agent=r.agent, prompt=r.prompt, input_tokens=r.input_tokens, output_tokens=r.output_tokens,
                          cost_usd=micros_to_usd(r.settled_micros), cached=bool(r.cached),
                          usage_estimated=bool(r.usage_estimated)) for r in rows]  # fmt: skip
