"""Building the `LLMClient` the app hands to the workflow, from an `LLMConfig`.

Build failures (unknown model, provider mismatch, missing key) happen here, at start-up, not in
the middle of a run. Circuit breakers and rate limiters are kept per provider endpoint for the whole
process, so every client built for the same endpoint shares them.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

from agents.ports import LLMClient
from services.llm.cache import build_cache, cache_scope
from services.llm.client import ResilientLLMClient
from services.llm.config import LLMConfig, LLMConfigError
from services.llm.egress import AllowList, guarded_http_client
from services.llm.providers.base import Provider
from services.llm.registry import (
    ModelInfo,
    ModelRegistry,
    RegistryError,
    resolve_model,
    structured_mode,
)
from services.llm.resilience import (
    CircuitBreaker,
    Clock,
    ProviderRateLimiter,
    RetryPolicy,
    Sleep,
    default_sleep,
)

# Endpoints without their own key (Ollama, vLLM) still need a non-empty value for the SDK.
_NO_KEY_PLACEHOLDER = "no-key"

_guards_lock = threading.Lock()
_guards: dict[tuple[Any, ...], tuple[CircuitBreaker, ProviderRateLimiter]] = {}


def _http_client(config: LLMConfig) -> Any:
    """A checked HTTP client when an org admin chose the base URL; None: the SDK's own client."""
    if not config.guard_base_url:
        return None
    return guarded_http_client(AllowList.parse(config.allowed_hosts), timeout=config.timeout)


def checked_model(config: LLMConfig, registry: ModelRegistry | None = None) -> tuple[ModelInfo, str]:
    """The model and structured-output mode `config` will use; `LLMConfigError` if it cannot work.

    Everything a client build checks, without building one: run creation and the admin page use
    it so that a run that cannot call its model is never queued.
    """
    model = resolve_model(config, registry)
    if model.provider != config.provider:
        raise LLMConfigError(
            f"model {model.name!r} is served by {model.provider!r}, not by the configured "
            f"provider {config.provider!r}"
        )
    try:
        mode = structured_mode(config, model)
    except RegistryError as exc:
        raise LLMConfigError(str(exc)) from None
    if config.provider == "openai" and not (config.openai_api_key or config.openai_base_url):
        raise LLMConfigError("the OpenAI provider needs an API key (or a base URL of a local server)")
    if config.provider == "anthropic" and not config.anthropic_api_key:
        raise LLMConfigError("the Anthropic provider needs an API key")
    return model, mode


def build_provider(config: LLMConfig, model: ModelInfo, mode: str) -> Provider:
    """The bare provider adapter; `build_llm_client` wraps it in retries, breaker and cache."""
    if config.provider == "openai":
        from services.llm.providers.openai import OpenAIProvider

        return OpenAIProvider(
            api_key=config.openai_api_key or _NO_KEY_PLACEHOLDER,
            base_url=config.openai_base_url,
            timeout_seconds=config.timeout,
            max_tokens_param=model.max_tokens_param,
            structured_output=mode,
            http_client=_http_client(config),
        )
    from services.llm.providers.anthropic import AnthropicProvider

    return AnthropicProvider(
        api_key=config.anthropic_api_key or "",
        base_url=config.anthropic_base_url,
        timeout_seconds=config.timeout,
        structured_output=mode,
        http_client=_http_client(config),
    )


def _endpoint(config: LLMConfig) -> str:
    """A name for the provider endpoint (for breaker, limit and logs), without any credentials."""
    base_url = config.openai_base_url if config.provider == "openai" else config.anthropic_base_url
    if not base_url:
        return f"{config.provider}@default"
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{config.provider}@{parts.scheme}://{host}{port}{parts.path}"


def _new_guards(
    config: LLMConfig, sleep: Sleep, clock: Clock | None
) -> tuple[CircuitBreaker, ProviderRateLimiter]:
    name = _endpoint(config)
    breaker_kwargs: dict[str, Any] = {"clock": clock} if clock is not None else {}
    breaker = CircuitBreaker(
        name,
        failure_threshold=config.breaker_failure_threshold,
        reset_seconds=config.breaker_reset_seconds,
        **breaker_kwargs,
    )
    limiter = ProviderRateLimiter(
        name,
        limit=config.rate_limit,
        redis_url=config.redis_url,
        key_prefix=config.key_prefix,
        max_wait_seconds=config.rate_limit_max_wait_seconds,
        sleep=sleep,
    )
    return breaker, limiter


def _shared_guards(config: LLMConfig, sleep: Sleep) -> tuple[CircuitBreaker, ProviderRateLimiter]:
    key = (
        _endpoint(config),
        config.breaker_failure_threshold,
        config.breaker_reset_seconds,
        config.rate_limit,
        config.rate_limit_max_wait_seconds,
        config.redis_url,
        config.key_prefix,
    )
    with _guards_lock:
        if key not in _guards:
            _guards[key] = _new_guards(config, sleep, None)
        return _guards[key]


def build_llm_client(
    config: LLMConfig,
    *,
    registry: ModelRegistry | None = None,
    sleep: Sleep = default_sleep,
    clock: Clock | None = None,
) -> LLMClient:
    """The client for `config`. A `clock` gives the client its own breaker (tests); else shared."""
    if config.provider == "offline":
        from agents.offline import OfflineLLMClient

        return OfflineLLMClient(pace_seconds=config.offline_pace_seconds)
    model, mode = checked_model(config, registry)
    if clock is None:
        breaker, limiter = _shared_guards(config, sleep)
    else:
        breaker, limiter = _new_guards(config, sleep, clock)
    return ResilientLLMClient(
        provider=build_provider(config, model, mode),
        model=model,
        policy=RetryPolicy(
            max_retries=config.max_retries,
            backoff_initial_seconds=config.backoff_initial_seconds,
            backoff_max_seconds=config.backoff_max_seconds,
            retry_after_cap=config.retry_after_cap,
        ),
        breaker=breaker,
        limiter=limiter,
        cache=build_cache(
            config.redis_url,
            config.cache_key,
            ttl_seconds=config.cache_ttl_seconds,
            prefix=config.key_prefix,
        ),
        cache_scope=cache_scope(
            config.tenant,
            config.provider,
            config.openai_base_url if config.provider == "openai" else config.anthropic_base_url,
        ),
        sleep=sleep,
    )
