"""Building clients: configuration errors surface at build time; secrets stay out of logs."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from agents.ports import LLMError
from services.llm import LLMConfig, LLMConfigError, UnknownModelError, build_llm_client
from tests.fakes.scripted import client_error
from tests.unit.llm.llm_support import config_for, make_request


def test_unknown_model_fails_at_build_time_without_a_server_of_ones_own():
    with pytest.raises(UnknownModelError, match="gpt-nonexistent.*OPENAI_BASE_URL"):
        build_llm_client(LLMConfig(provider="openai", model="gpt-nonexistent", openai_api_key="sk-test-key"))
    with pytest.raises(UnknownModelError, match="claude-nonexistent"):
        build_llm_client(LLMConfig(provider="anthropic", model="claude-nonexistent", anthropic_api_key="k" * 20,
                                   anthropic_base_url="http://127.0.0.1:9/"))


def test_any_model_of_a_configured_server_is_accepted_unpriced_unless_priced(fake_openai):
    client = build_llm_client(config_for(fake_openai, model="whatever-the-server-serves"))
    assert client.model.id == "whatever-the-server-serves"
    assert client.model.priced is False and client.model.cost(10**6, 10**6) == 0
    assert client.model.max_tokens_param == "max_tokens"
    priced = build_llm_client(config_for(fake_openai, model="mine", input_usd_per_mtok=Decimal("0.5"),
                                         output_usd_per_mtok=Decimal("1.5"), context_window=4096))
    assert priced.model.priced is True and priced.model.context_window == 4096
    assert priced.model.cost(10**6, 10**6) == Decimal("2.0")


def test_model_of_another_provider_fails_at_build_time(fake_openai):
    with pytest.raises(LLMConfigError, match="served by 'anthropic'"):
        build_llm_client(config_for(fake_openai, model="claude-haiku-4-5"))


def test_missing_keys_fail_at_build_time():
    with pytest.raises(LLMConfigError, match="OpenAI provider needs an API key"):
        build_llm_client(LLMConfig(provider="openai", model="gpt-4o-mini"))
    with pytest.raises(LLMConfigError, match="Anthropic provider needs an API key"):
        build_llm_client(LLMConfig(provider="anthropic", model="claude-haiku-4-5"))


def test_invalid_settings_are_rejected():
    with pytest.raises(ValueError):
        LLMConfig(provider="bard")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        LLMConfig(cache_key=b"short")
    with pytest.raises(ValueError):
        LLMConfig(timeout_seconds=0)


def test_secrets_are_not_in_the_config_repr():
    config = LLMConfig(openai_api_key="sk-secret-1", anthropic_api_key="sk-secret-2", cache_key=b"c" * 32)
    assert "sk-secret" not in repr(config)
    assert "ccccc" not in repr(config)


def test_local_server_needs_no_key(fake_openai, make_client):
    fake_openai.responder = lambda prompt, data: {"summary": "local", "milestones": []}
    client = make_client(fake_openai, model="local", openai_api_key=None)

    response = client.generate(make_request())

    seen = fake_openai.requests[0]
    assert response.output.summary == "local"
    assert seen.body["model"] == "llama3.1:8b"
    assert seen.body["max_tokens"] == 400
    assert "max_completion_tokens" not in seen.body


def test_clients_for_one_endpoint_share_breaker_and_limit(fake_openai):
    first = build_llm_client(config_for(fake_openai))
    second = build_llm_client(config_for(fake_openai))
    other = build_llm_client(config_for(fake_openai, breaker_failure_threshold=7))
    try:
        assert first.breaker is second.breaker
        assert other.breaker is not first.breaker
    finally:
        for client in (first, second, other):
            client.close()


def test_api_key_never_reaches_the_logs(server, make_client, caplog):
    server.script(client_error(401))
    client = make_client(server)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(LLMError):
            client.generate(make_request())
        client.generate(make_request())
    assert "llm call ok" in caplog.text
    assert "llm call failed" in caplog.text
    assert "sk-test-" not in caplog.text


def test_offline_provider_builds_the_offline_client():
    offline = pytest.importorskip("agents.offline")
    client = build_llm_client(LLMConfig(provider="offline", offline_pace_seconds=0.0))
    assert isinstance(client, offline.OfflineLLMClient)


def test_endpoint_names_carry_no_credentials(fake_openai):
    base_url = fake_openai.base_url.replace("http://", "http://user:hunter2@")
    client = build_llm_client(config_for(fake_openai, openai_base_url=base_url))
    try:
        assert "hunter2" not in client.breaker.name
        assert client.breaker.name == f"openai@{fake_openai.base_url}"
    finally:
        client.close()
