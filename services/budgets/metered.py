"""The metered LLM client: every call of a run goes reserve → call → settle (or release).

It wraps any `LLMClient` for one run. Before a call it reserves the call's upper-bound cost in the
AI-spend ledger (refused with `AIBudgetExhausted` when a cap would be passed — the engine then
pauses the run); after it settles the real cost from the usage; on any exception it releases the
reservation (or settles what a failed call still spent) and re-raises. It announces thresholds
and the AI part of the run's budget through the run's event sink.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Sequence
from decimal import Decimal

from pydantic import ValidationError

from agents.ports import EventSink, LLMClient, LLMRequest, LLMResponse
from services.budgets.ai_ledger import AILedger
from services.budgets.ai_usage import RESERVED, CallRecord, CapReached, ScopeUsage
from services.budgets.thresholds import reached_levels, threshold_data, threshold_key
from services.storage_patience import patiently

log = logging.getLogger(__name__)

Estimator = Callable[[LLMRequest], Decimal]
# A call id that already finished is asked again only when its question changed (or its answer was
# not kept); each new attempt is a new ledger entry `<call_id>#<n>`. Bounded so a bug cannot loop.
MAX_ATTEMPTS = 100
# The error of an attempt whose process died mid-call (it may have been billed; it was asked again).
INTERRUPTED = "interrupted"


def request_fingerprint(request: LLMRequest) -> str:
    """What makes two requests the same question: instructions, data, schema and limits."""
    material = {
        "prompt": request.prompt, "version": request.prompt_version, "system": request.system,
        "data": request.data, "schema": request.output_schema.__name__, "max_tokens": request.max_tokens,
    }  # fmt: skip
    encoded = json.dumps(material, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


def ai_budget_data(record: CallRecord) -> dict[str, object]:
    """The AI part of a `budget.updated` event (the engine's events carry the business part)."""
    return {"ai": {**record.run.to_json(), "org": record.org.to_json()}}


class MeteredLLMClient:
    """`LLMClient` for one run that accounts every call in the AI-spend ledger."""

    def __init__(
        self,
        inner: LLMClient,
        ledger: AILedger,
        sink: EventSink,
        *,
        run_id: str,
        org_id: int,
        estimate: Estimator,
        user_id: int | None = None,
        provider: str = "",
        model: str = "",
        thresholds: Sequence[int] = (50, 80, 100),
    ):
        self.inner = inner
        self.ledger = ledger
        self.sink = sink
        self.run_id = run_id
        self.org_id = org_id
        self.user_id = user_id
        self.provider = provider
        self.model = model
        self.thresholds = sorted(set(thresholds))
        self._estimate = estimate
        self._announced: set[str] = set()
        # Parallel branches share this client: one announces at a time, so levels stay in order.
        self._announcing = threading.Lock()

    def generate(self, request: LLMRequest) -> LLMResponse:
        fingerprint = request_fingerprint(request)
        replayed = self._replay(request, fingerprint)
        if replayed is not None:
            return replayed
        record = self._reserve(request, self._estimate(request))
        try:
            response = self.inner.generate(request)
        except BaseException as exc:  # GreenletExit and cancellations too: never leave a hold behind
            self._close_failed(request, record.call_key, exc)
            raise
        answer = {
            "request": fingerprint,
            "output": response.output.model_dump(mode="json"),
            "offline": response.offline,
        }
        # The answer is in hand and paid for: a storage outage is waited out, not turned into a
        # failed run and a second call after recovery.
        settled = patiently("settle an AI call", lambda: self.ledger.settle(
            self.run_id,
            record.call_key,
            response.cost_usd,
            input_tokens=response.input_tokens,
            output_tokens=response.output_tokens,
            provider=response.provider,
            model=response.model,
            cached=response.cached,
            answer=answer,
            usage_estimated=response.usage_estimated,
        ))  # fmt: skip
        self._after_settlement(request, settled)
        return response

    def _replay(self, request: LLMRequest, fingerprint: str) -> LLMResponse | None:
        """The answer this run already paid for, when a re-run node asks the very same question."""
        stored = patiently(
            "read a stored answer", lambda: self.ledger.stored_answer(self.run_id, request.call_id)
        )
        if stored is None or stored.answer.get("request") != fingerprint:
            return None
        try:
            output = request.output_schema.model_validate(stored.answer.get("output"))
        except ValidationError:
            log.warning("a stored answer no longer fits its schema", extra={"call_id": request.call_id})
            return None
        log.info("answer replayed from the ledger", extra={"run_id": self.run_id, "call_id": request.call_id})
        # Its budget event may have died with the process that settled it (the sink drops repeats).
        run, org = self.ledger.run_usage(self.run_id), self.ledger.org_usage(self.org_id)
        self.sink.emit(
            "budget.updated", {"ai": {**run.to_json(), "org": org.to_json()}},
            key=f"budget.updated:ai:{stored.call_key}",
        )  # fmt: skip
        return LLMResponse(
            output=output, provider=stored.provider, model=stored.model,
            input_tokens=stored.input_tokens, output_tokens=stored.output_tokens,
            cost_usd=stored.cost, offline=bool(stored.answer.get("offline")), cached=True,
        )  # fmt: skip

    # --- ledger steps ---------------------------------------------------------------------------

    def _reserve(self, request: LLMRequest, amount: Decimal) -> CallRecord:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            key = request.call_id if attempt == 1 else f"{request.call_id}#{attempt}"
            try:
                record = patiently("reserve an AI call", lambda: self.ledger.reserve(
                    self.run_id,
                    key,  # noqa: B023 - called at once, inside this iteration
                    amount,
                    user_id=self.user_id,
                    agent=request.agent,
                    prompt=request.prompt,
                    provider=self.provider,
                    model=self.model,
                ))  # fmt: skip
            except CapReached as refused:
                self._announce_cap(refused, request)
                raise
            if record.fresh:
                return record
            if record.status == RESERVED:
                # Held by an attempt whose process died during the call: the provider may have
                # answered (and billed) it. Close it as interrupted, so the record shows the repeat.
                log.warning(
                    "repeating an interrupted AI call", extra={"run_id": self.run_id, "call_key": key}
                )
                patiently("close an interrupted AI call", lambda: self.ledger.release(
                    self.run_id, key, error=INTERRUPTED  # noqa: B023 - called at once
                ))  # fmt: skip
        raise RuntimeError(f"call {request.call_id} was attempted {MAX_ATTEMPTS} times")

    def _close_failed(self, request: LLMRequest, key: str, exc: BaseException) -> None:
        code = str(getattr(exc, "code", "") or type(exc).__name__)
        spent = getattr(exc, "cost_usd", None)
        try:
            if isinstance(spent, Decimal) and spent > 0:
                # The provider billed the attempts before the failure: that money is spent.
                record = self.ledger.settle(
                    self.run_id,
                    key,
                    spent,
                    input_tokens=int(getattr(exc, "input_tokens", 0) or 0),
                    output_tokens=int(getattr(exc, "output_tokens", 0) or 0),
                    error=code,
                )
                self._after_settlement(request, record)
            else:
                self.ledger.release(self.run_id, key, error=code)
        except Exception:  # the call's own error matters more; a sweep frees the hold
            log.exception("could not close the AI reservation %s of run %s", key, self.run_id)

    # --- events ---------------------------------------------------------------------------------

    def _after_settlement(self, request: LLMRequest, record: CallRecord) -> None:
        if record.fresh:
            self.sink.emit(
                "budget.updated", ai_budget_data(record), key=f"budget.updated:ai:{record.call_key}"
            )
        with self._announcing:
            for usage in (record.run, record.org):
                for level in reached_levels(usage, self.thresholds):
                    self._announce(usage, level, request)

    def _announce_cap(self, refused: CapReached, request: LLMRequest) -> None:
        usage = refused.run if refused.scope == "run" else refused.org
        with self._announcing:
            for level in reached_levels(usage, self.thresholds, cap_reached=True):
                self._announce(usage, level, request, requested=refused.requested)

    def _announce(
        self, usage: ScopeUsage, level: int, request: LLMRequest, requested: Decimal | None = None
    ) -> None:
        key = threshold_key(usage, level)
        if key in self._announced:
            return
        self._announced.add(key)
        if usage.scope == "org" and not self.ledger.claim_org_threshold(
            self.org_id, usage.month or "", level, self.run_id
        ):
            return  # another run of the organisation announced this level this month
        # A run- or organisation-wide event; `data.agent` says whose call crossed the level.
        data = {**threshold_data(usage, level, requested), "agent": request.agent}
        self.sink.emit("budget.threshold", data, key=key)
