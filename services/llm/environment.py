"""The LLM configuration the environment sets (what holds where no admin chose otherwise)."""

from __future__ import annotations

from config.settings import Settings
from services.llm.config import LLMConfig

DEFAULT_MODELS = {"offline": "offline", "openai": "gpt-4o-mini", "anthropic": "claude-haiku-4-5"}


def environment_llm_config(settings: Settings) -> LLMConfig:
    """The LLM layer's configuration from the app's settings; offline unless a provider was chosen."""
    provider = settings.provider
    return LLMConfig(
        provider=provider,
        model=settings.llm_model or DEFAULT_MODELS[provider],
        openai_api_key=settings.openai_api_key,
        openai_base_url=settings.openai_base_url,
        anthropic_api_key=settings.anthropic_api_key,
        anthropic_base_url=settings.anthropic_base_url,
        timeout_seconds=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
        rate_limit=settings.llm_rate_limit,
        redis_url=settings.redis_url,
        cache_key=settings.llm_cache_key.encode() if settings.llm_cache_key else None,
        cache_ttl_seconds=settings.llm_cache_ttl_seconds,
        offline_pace_seconds=settings.offline_pace_seconds,
        allowed_hosts=tuple(settings.llm_allowed_hosts_in_force),
        structured_output=settings.llm_structured_output,
        input_usd_per_mtok=settings.llm_input_usd_per_mtok,
        output_usd_per_mtok=settings.llm_output_usd_per_mtok,
        context_window=settings.llm_context_window,
    )
