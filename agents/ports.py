"""The small interfaces the workflow needs from the outside world.

The engine never imports Flask or the services; whoever builds the graph passes in an LLM client,
an event sink and a budget ledger that satisfy these protocols.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field


class LLMRequest(BaseModel):
    """One structured-output call. `data` is user material, always passed as delimited data."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    run_id: str
    call_id: str = Field(description="Idempotency key, stable across a resumed node")
    agent: str = Field(description="Agent making the call: cfo, branding, legal, webdev, ...")
    prompt: str = Field(description="Template name under agents/prompts/")
    prompt_version: str
    system: str = Field(description="Instructions rendered from the template; never user text")
    data: dict[str, Any] = Field(description="The brief and context, serialised as data")
    output_schema: type[BaseModel]
    max_tokens: int = 1200


class LLMResponse(BaseModel):
    """A validated answer plus what it cost."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    output: BaseModel
    provider: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal("0")
    offline: bool = False
    cached: bool = False
    # The server reported no usage, so the token counts (and the cost) are our own estimate.
    usage_estimated: bool = False
    # False for a model whose price nobody set: the cost reads 0 but is unknown, not free.
    priced: bool = True
    structured_output: str = ""  # how the answer was asked for (provider-specific mode)


class LLMError(Exception):
    """A call that failed for good (after retries/repair); fails the agent with a clear event."""

    def __init__(self, message: str, *, code: str = "llm_error", retryable: bool = False):
        super().__init__(message)
        self.code = code
        self.retryable = retryable


class AIBudgetExhausted(Exception):
    """Raised before a call that would pass an AI-spend cap; the engine pauses the run."""

    def __init__(self, scope: str, used: Decimal, cap: Decimal | None):
        super().__init__(f"AI spend cap reached ({scope}): {used} of {cap} USD")
        self.scope = scope
        self.used = used
        self.cap = cap


class RunCancelled(Exception):
    """Raised at the next node boundary or LLM call after a cancel was requested."""


class LLMClient(Protocol):
    def generate(self, request: LLMRequest) -> LLMResponse: ...


class EventSink(Protocol):
    def emit(
        self,
        type: str,
        data: dict[str, Any],
        *,
        phase: str | None = None,
        agent: str | None = None,
        key: str | None = None,
    ) -> object:
        """Store then publish one protocol event. `key` makes a re-emitted event a no-op.

        A sink may return what it stored (the engine ignores it)."""


class BudgetLedger(Protocol):
    """Business-budget bookkeeping outside the graph state (persisted by the services)."""

    def record_allocation(self, allocations: dict[str, Decimal], total: Decimal) -> None: ...

    def record_commit(self, agent: str, item_id: str, description: str, amount: Decimal) -> None:
        """Idempotent by item_id."""

    def ai_spend(self) -> tuple[Decimal, Decimal | None]:
        """(used, cap) for this run, for budget.updated events."""


class ModelPrice(BaseModel):
    """The model a run's calls go to and what its tokens cost (USD per million tokens)."""

    model_config = ConfigDict(frozen=True)

    name: str
    provider: str
    input_usd_per_mtok: Decimal = Decimal("0")
    output_usd_per_mtok: Decimal = Decimal("0")
    # False: nobody set a price, so a cost of 0 means unknown, never free.
    priced: bool = True
    offline: bool = False


class AICaps(BaseModel):
    """The AI spend a forecast is held against: the run's cap and the organisation's month."""

    model_config = ConfigDict(frozen=True)

    run_used: Decimal = Decimal("0")
    run_cap: Decimal | None = None
    org_used: Decimal = Decimal("0")
    org_cap: Decimal | None = None  # None: no monthly cap (an admin's choice) or not known
    month: str = ""


class SpentCall(BaseModel):
    """One settled LLM call of the run, as the AI-spend ledger recorded it."""

    model_config = ConfigDict(frozen=True)

    agent: str
    prompt: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal("0")
    cached: bool = False
    usage_estimated: bool = False


class TokenBounds(BaseModel):
    """Tokens one call can use: low as typically counted, high as the AI-spend reservation does."""

    model_config = ConfigDict(frozen=True)

    input_low: int
    input_high: int
    output_low: int = 0
    output_high: int


class AIPricing(Protocol):
    """What the quote needs to forecast AI spend, and the report to compare it with what was spent.

    The services fill it from the model registry, the request estimator and the AI-spend ledger,
    so the forecast counts tokens the way reservations do and the actual comes from the ledger.
    """

    def price(self) -> ModelPrice: ...

    def token_bounds(self, request: LLMRequest, *, unseen_bytes: int = 0, unseen_tokens: int = 0) -> TokenBounds:
        """The tokens `request` can use; `unseen_*` is input material not written yet (high only)."""

    def caps(self) -> AICaps: ...

    def spent_calls(self) -> list[SpentCall]:
        """The run's settled calls so far, oldest first."""
