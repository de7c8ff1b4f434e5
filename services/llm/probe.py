"""An admin's "Test connection": one tiny structured call, and the models the server lists.

Both answer with plain values for the admin page (never an exception): what worked, how long it
took, the usage the server reported, or the server's own error trimmed and scrubbed of anything
that looks like a secret.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from agents.ports import LLMRequest
from services.llm.config import LLMConfig, LLMConfigError
from services.llm.errors import LLMCallError
from services.llm.factory import build_llm_client, build_provider, checked_model
from services.llm.providers.base import ProviderError

_PROBE_SYSTEM = (
    "You are checking that a connection works. Reply with a JSON object whose field `reply` is the "
    "word given in the data."
)


class Pong(BaseModel):
    """The probe's answer: small enough for the tiniest model, still a real schema."""

    model_config = ConfigDict(extra="forbid")

    reply: str


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    model: str = ""
    structured_output: str = ""
    latency_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    usage_estimated: bool = False
    error: str = ""
    detail: str = ""  # the server's words, trimmed and scrubbed: for the admin only


def _detail(error: BaseException) -> str:
    """The upstream detail of the first provider error in the chain, if any."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ProviderError) and seen.detail:
            return seen.detail
        seen = seen.__cause__ or seen.__context__
    return ""


def _once(config: LLMConfig) -> LLMConfig:
    """One attempt, no cache, and a breaker of its own: a test must not trip the runs' breaker."""
    return dataclasses.replace(config, max_retries=0, cache_key=None, breaker_failure_threshold=1)


def probe_connection(config: LLMConfig) -> ProbeResult:
    """Make one tiny structured call with `config` and report how it went."""
    if config.provider == "offline":  # nothing to connect to; the generator has no probe answer
        return ProbeResult(ok=True, model=config.model, structured_output="offline")
    started = time.monotonic()
    try:
        client = build_llm_client(_once(config), clock=time.monotonic)
    except LLMConfigError as exc:
        return ProbeResult(ok=False, model=config.model, error=str(exc))
    request = LLMRequest(
        run_id="connection-test",
        call_id="connection-test",
        agent="admin",
        prompt="connection_test",
        prompt_version="1",
        system=_PROBE_SYSTEM,
        data={"word": "pong"},
        output_schema=Pong,
        max_tokens=48,
    )
    try:
        response = client.generate(request)
    except LLMCallError as exc:
        return ProbeResult(
            ok=False, model=config.model, latency_ms=_ms(started), error=str(exc).removeprefix("connection_test: "),
            detail=_detail(exc),
        )
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
    return ProbeResult(
        ok=True,
        model=response.model,
        structured_output=response.structured_output or ("offline" if response.offline else ""),
        latency_ms=_ms(started),
        input_tokens=response.input_tokens,
        output_tokens=response.output_tokens,
        usage_estimated=response.usage_estimated,
    )


def server_models(config: LLMConfig) -> tuple[list[str], str]:
    """(model ids the server reports, error) — the error is "" when the list could be had."""
    if config.provider != "openai":
        return [], "only OpenAI-compatible servers list their models here"
    try:
        model, mode = checked_model(dataclasses.replace(config, model=config.model or "listing"))
    except LLMConfigError as exc:
        return [], str(exc)
    provider = build_provider(config, model, mode)
    try:
        return provider.models(), ""  # type: ignore[attr-defined]
    except ProviderError as exc:
        return [], " ".join(part for part in (str(exc), exc.detail) if part)
    finally:
        provider.close()


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)
