"""The LLM layer's failures, in the engine's vocabulary (`agents.ports.LLMError`) plus what they cost."""

from __future__ import annotations

from decimal import Decimal

from agents.ports import LLMError
from services.llm.providers.base import ProviderError
from services.llm.resilience import CircuitOpen, RateLimited


class LLMCallError(LLMError):
    """An `LLMError` that also carries the usage spent before failing, so the ledger can settle it."""

    def __init__(
        self,
        message: str,
        *,
        code: str,
        retryable: bool = False,
        input_tokens: int = 0,
        output_tokens: int = 0,
        cost_usd: Decimal = Decimal(0),
    ):
        super().__init__(message, code=code, retryable=retryable)
        self.input_tokens = input_tokens
        self.output_tokens = output_tokens
        self.cost_usd = cost_usd


_PROVIDER_CODES = {
    "timeout": "timeout",
    "connection": "provider_unavailable",
    "rate_limited": "rate_limited",
    "server_error": "provider_unavailable",
    "client_error": "provider_rejected",
    "refused": "refused",
    "blocked": "provider_address_not_allowed",
    "unsupported": "structured_output_unsupported",
}


def error_code(error: Exception) -> tuple[str, bool]:
    """(code, retryable later) for an error that ended a call."""
    if isinstance(error, CircuitOpen):
        return "circuit_open", True
    if isinstance(error, RateLimited):
        return "rate_limited", True
    if isinstance(error, ProviderError):
        code = _PROVIDER_CODES.get(error.kind, "provider_error")
        if error.kind == "server_error" and not error.transient:
            code = "provider_error"
        return code, error.transient
    return "llm_error", False
