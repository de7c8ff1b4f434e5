"""`ResilientLLMClient`: the engine's `LLMClient` over a real provider.

One `generate` = optional cache lookup → provider call (rate limit, circuit breaker, retries) →
pydantic validation → at most one repair attempt → usage and exact cost → cache store. User data
only ever travels as delimited data in the user turn (see `messages`).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from agents.ports import LLMRequest, LLMResponse
from services.llm.cache import ResponseCache
from services.llm.errors import LLMCallError, error_code
from services.llm.estimate import max_cost
from services.llm.messages import data_message, repair_message, system_message
from services.llm.output import AnswerProblem, parse_answer
from services.llm.providers.base import Provider, ProviderCall, ProviderError, ProviderReply, Turn
from services.llm.registry import ModelInfo
from services.llm.resilience import (
    CircuitBreaker,
    CircuitOpen,
    ProviderRateLimiter,
    RateLimited,
    RetryPolicy,
    Sleep,
    call_with_retries,
    default_sleep,
)

logger = logging.getLogger(__name__)

_UNSAFE_NAME_CHARS = re.compile(r"[^a-zA-Z0-9_-]")


def schema_name(prompt: str) -> str:
    """The prompt name as providers accept it for a schema or tool name (`[a-zA-Z0-9_-]{1,64}`)."""
    return _UNSAFE_NAME_CHARS.sub("_", prompt)[:64] or "answer"


@dataclass
class _Spent:
    input_tokens: int = 0
    output_tokens: int = 0
    estimated: bool = False
    structured_output: str = ""

    def add(self, reply: ProviderReply) -> None:
        self.input_tokens += reply.input_tokens
        self.output_tokens += reply.output_tokens
        self.estimated = self.estimated or reply.usage_estimated
        self.structured_output = reply.structured_output


class ResilientLLMClient:
    """Implements `agents.ports.LLMClient`; build it with `services.llm.build_llm_client`."""

    def __init__(
        self,
        *,
        provider: Provider,
        model: ModelInfo,
        policy: RetryPolicy,
        breaker: CircuitBreaker,
        limiter: ProviderRateLimiter,
        cache: ResponseCache | None = None,
        cache_scope: str = "",
        sleep: Sleep = default_sleep,
    ):
        self._provider = provider
        self._model = model
        self._policy = policy
        self._breaker = breaker
        self._limiter = limiter
        self._cache = cache
        self._cache_scope = cache_scope
        self._sleep = sleep

    @property
    def model(self) -> ModelInfo:
        return self._model

    @property
    def breaker(self) -> CircuitBreaker:
        return self._breaker

    def close(self) -> None:
        """Release the provider's connections; the client is not used afterwards."""
        self._provider.close()

    def estimate_max_cost(self, request: LLMRequest) -> Decimal:
        """Upper bound of this call's cost, to reserve against AI-spend caps before calling."""
        return max_cost(request, self._model)

    def generate(self, request: LLMRequest) -> LLMResponse:
        """A validated answer with its usage and exact cost; `LLMCallError` when none can be had."""
        started = time.monotonic()
        cache = self._cache
        cache_key = cache.key_for(self._model.name, request, self._cache_scope) if cache is not None else None
        if cache is not None and cache_key is not None:
            cached = self._from_cache(cache, cache_key, request)
            if cached is not None:
                self._log(request, cached, started, repaired=False)
                return cached

        spent = _Spent()
        output, model_id, repaired = self._validated_answer(request, spent)
        response = LLMResponse(
            output=output,
            provider=self._provider.name,
            model=self._model.name,
            input_tokens=spent.input_tokens,
            output_tokens=spent.output_tokens,
            cost_usd=self._model.cost(spent.input_tokens, spent.output_tokens),
            usage_estimated=spent.estimated,
            priced=self._model.priced,
            structured_output=spent.structured_output,
        )
        if cache is not None and cache_key is not None:
            cache.put(cache_key, {"output": output.model_dump(mode="json"), "model": model_id})
        self._log(request, response, started, repaired=repaired)
        return response

    # --- internals ---------------------------------------------------------------------------

    def _validated_answer(self, request: LLMRequest, spent: _Spent) -> tuple[BaseModel, str, bool]:
        """(validated output, provider's model id, whether a repair was needed)."""
        call = ProviderCall(
            model=self._model.id,
            system=system_message(request.system),
            turns=(Turn("user", data_message(request.data)),),
            schema_name=schema_name(request.prompt),
            schema=request.output_schema.model_json_schema(),
            max_tokens=request.max_tokens,
        )
        reply = self._send(call, request, spent)
        try:
            return parse_answer(reply.text, request.output_schema), reply.model, False
        except AnswerProblem as problem:
            logger.warning(
                "llm answer for %s invalid (%s); asking once for a repair",
                request.prompt,
                problem,
                extra=self._fields(request),
            )
            retry_turns = (Turn("assistant", reply.text or "{}"), Turn("user", repair_message(str(problem))))
        reply = self._send(replace(call, turns=call.turns + retry_turns), request, spent)
        try:
            return parse_answer(reply.text, request.output_schema), reply.model, True
        except AnswerProblem as again:
            raise self._failure(
                f"{request.prompt}: the model's answer was still invalid after one repair attempt: {again}",
                "invalid_output",
                False,
                spent,
            ) from None

    def _send(self, call: ProviderCall, request: LLMRequest, spent: _Spent) -> ProviderReply:
        def attempt() -> ProviderReply:
            self._limiter.acquire()
            self._breaker.before_call()
            try:
                reply = self._provider.complete(call)
            except ProviderError as exc:
                if exc.transient:
                    self._breaker.record_failure()
                else:
                    self._breaker.record_success()  # it answered: healthy, our request was wrong
                raise
            except Exception:
                self._breaker.record_failure()
                raise
            self._breaker.record_success()
            return reply

        try:
            reply = call_with_retries(attempt, self._policy, sleep=self._sleep)
        except (ProviderError, CircuitOpen, RateLimited) as exc:
            code, retryable = error_code(exc)
            raise self._failure(f"{request.prompt}: {exc}", code, retryable, spent) from exc
        spent.add(reply)
        return reply

    def _failure(self, message: str, code: str, retryable: bool, spent: _Spent) -> LLMCallError:
        error = LLMCallError(
            message,
            code=code,
            retryable=retryable,
            input_tokens=spent.input_tokens,
            output_tokens=spent.output_tokens,
            cost_usd=self._model.cost(spent.input_tokens, spent.output_tokens),
        )
        logger.error("llm call failed [%s]: %s", code, message, extra={"llm_code": code})
        return error

    def _from_cache(self, cache: ResponseCache, key: str, request: LLMRequest) -> LLMResponse | None:
        payload = cache.get(key)
        if payload is None:
            return None
        try:
            output = request.output_schema.model_validate(payload.get("output"))
        except ValueError as exc:
            logger.warning("llm cache entry %s no longer matches the schema; ignored (%s)", key, exc)
            return None
        return LLMResponse(
            output=output,
            provider=self._provider.name,
            model=self._model.name,
            cost_usd=Decimal(0),
            cached=True,
            priced=self._model.priced,
        )

    def _fields(self, request: LLMRequest) -> dict[str, Any]:
        return {
            "llm_provider": self._provider.name,
            "llm_model": self._model.name,
            "llm_prompt": request.prompt,
            "llm_prompt_version": request.prompt_version,
            "run_id": request.run_id,
            "agent": request.agent,
            "call_id": request.call_id,
        }

    def _log(self, request: LLMRequest, response: LLMResponse, started: float, *, repaired: bool) -> None:
        fields = self._fields(request)
        fields.update(
            llm_usage_in=response.input_tokens,  # not "*token*": the log sanitiser masks such keys
            llm_usage_out=response.output_tokens,
            llm_cost_usd=str(response.cost_usd),
            llm_cached=response.cached,
            llm_repaired=repaired,
            llm_duration_ms=round((time.monotonic() - started) * 1000, 1),
        )
        logger.info(
            "llm call ok prompt=%s model=%s tokens=%d/%d cost=%s cached=%s",
            request.prompt,
            self._model.name,
            response.input_tokens,
            response.output_tokens,
            response.cost_usd,
            response.cached,
            extra=fields,
        )
