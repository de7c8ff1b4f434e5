"""In-memory event sink, budget ledger and AI pricing for the CLI, tests and benchmarks."""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from typing import Any

from agents.forecast import cost, fallback_bounds
from agents.ports import AICaps, LLMClient, LLMRequest, LLMResponse, ModelPrice, SpentCall, TokenBounds
from agents.state import cents


class MemoryEventSink:
    """Keeps events in order with a gap-free seq; an event whose key was seen is dropped."""

    def __init__(self, run_id: str = "") -> None:
        self.run_id = run_id
        self.events: list[dict[str, Any]] = []
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def emit(
        self,
        type: str,
        data: dict[str, Any],
        *,
        phase: str | None = None,
        agent: str | None = None,
        key: str | None = None,
    ) -> None:
        with self._lock:
            if key is not None:
                if key in self._keys:
                    return
                self._keys.add(key)
            self.events.append({
                "run_id": self.run_id, "seq": len(self.events) + 1, "ts": time.time(),
                "type": type, "phase": phase, "agent": agent, "data": data, "key": key,
            })  # fmt: skip

    def types(self) -> list[str]:
        return [event["type"] for event in self.events]

    def of_type(self, type: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == type]


class MemoryLedger:
    """Business-budget bookkeeping in memory; commits are idempotent by item id."""

    def __init__(self, ai_used: Decimal = Decimal("0"), ai_cap: Decimal | None = None) -> None:
        self.allocations: dict[str, Decimal] = {}
        self.allocated_total = Decimal("0")
        self.commits: dict[str, tuple[str, str, Decimal]] = {}
        self.ai_used = ai_used
        self.ai_cap = ai_cap
        self._lock = threading.Lock()

    def record_allocation(self, allocations: dict[str, Decimal], total: Decimal) -> None:
        with self._lock:
            self.allocations = dict(allocations)
            self.allocated_total = total

    def record_commit(self, agent: str, item_id: str, description: str, amount: Decimal) -> None:
        with self._lock:
            self.commits.setdefault(item_id, (agent, description, amount))

    def ai_spend(self) -> tuple[Decimal, Decimal | None]:
        return self.ai_used, self.ai_cap

    def committed_by_agent(self) -> dict[str, Decimal]:
        totals: dict[str, Decimal] = {}
        for agent, _, amount in self.commits.values():
            totals[agent] = cents(totals.get(agent, Decimal("0")) + amount)
        return totals

    @property
    def committed_total(self) -> Decimal:
        return cents(sum((amount for _, _, amount in self.commits.values()), Decimal("0")))


class MemoryPricing:
    """The `AIPricing` of a run nobody meters (dry runs): the model's price as the caller knows it,
    the engine's token bounds, and the calls answered through `client()`, so the report's
    forecast-against-actual table counts real calls instead of saying "price not set for unknown"."""

    def __init__(self, price: ModelPrice) -> None:
        self._price = price
        self._calls: list[SpentCall] = []
        self._lock = threading.Lock()

    def price(self) -> ModelPrice:
        return self._price

    def token_bounds(self, request: LLMRequest, *, unseen_bytes: int = 0, unseen_tokens: int = 0) -> TokenBounds:
        return fallback_bounds(request, unseen_bytes, unseen_tokens)

    def caps(self) -> AICaps:
        return AICaps()

    def spent_calls(self) -> list[SpentCall]:
        with self._lock:
            return list(self._calls)

    def client(self, llm: LLMClient) -> LLMClient:
        """`llm`, with each answered call recorded at this price."""
        return _Recorded(llm, self)

    def record(self, request: LLMRequest, response: LLMResponse) -> None:
        call = SpentCall(agent=request.agent, prompt=request.prompt, input_tokens=response.input_tokens,
                         output_tokens=response.output_tokens,
                         cost_usd=cost(self._price, response.input_tokens, response.output_tokens))
        with self._lock:
            self._calls.append(call)


class _Recorded:
    def __init__(self, llm: LLMClient, pricing: MemoryPricing) -> None:
        self.llm = llm
        self.pricing = pricing

    def generate(self, request: LLMRequest) -> LLMResponse:
        response = self.llm.generate(request)
        self.pricing.record(request, response)
        return response
