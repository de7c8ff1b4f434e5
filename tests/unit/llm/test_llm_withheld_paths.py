"""Whatever a server at the base URL answers, none of it reaches the user-visible error (issue 12
item 2): error statuses, 200 with HTML or broken JSON, JSON of the wrong shape, a model "refusal"
carrying the text, for both providers, over real HTTP, with the SDK's client and the checked one."""

from __future__ import annotations

import json
import logging

import pytest

from services.llm import LLMConfig, build_llm_client
from services.llm.errors import LLMCallError
from tests.unit.llm.llm_support import MODELS, FakeClock, SleepRecorder, make_request
from tests.unit.llm.raw_server import RawServer

SECRET = "db_password=hunter2"

_COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 0,
    "model": "gpt-4o-mini",
    "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10},
}
_MESSAGE = {
    "id": "msg_1",
    "type": "message",
    "role": "assistant",
    "model": "claude-haiku-4-5",
    "stop_reason": "end_turn",
    "usage": {"input_tokens": 5, "output_tokens": 5},
}


def _openai_content(message: dict) -> str:
    choice = {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", **message}}
    return json.dumps({**_COMPLETION, "choices": [choice]})


ANSWERS = {
    "500 text": (500, "text/plain", f"internal service: {SECRET}"),
    "500 json": (500, "application/json", json.dumps({"error": {"message": SECRET, "type": "server_error"}})),
    "401 html": (401, "text/html", f"<html><body>{SECRET}</body></html>"),
    "200 html": (200, "text/html", f"<html><body>{SECRET}</body></html>"),
    "200 broken json": (200, "application/json", '{"config": "' + SECRET),
    "200 wrong shape": (200, "application/json", json.dumps({"config": SECRET, "content": [SECRET]})),
}
PROVIDER_ANSWERS = {
    "openai": {
        "200 refusal": (200, "application/json", _openai_content({"content": None, "refusal": SECRET})),
        "200 content": (200, "application/json", _openai_content({"content": SECRET})),
    },
    "anthropic": {
        "200 content": (
            200,
            "application/json",
            json.dumps({**_MESSAGE, "content": [{"type": "text", "text": SECRET}]}),
        ),
    },
}
CASES = [
    (provider, name, answer)
    for provider in ("openai", "anthropic")
    for name, answer in {**ANSWERS, **PROVIDER_ANSWERS[provider]}.items()
]


def _config(provider: str, url: str, guarded: bool) -> LLMConfig:
    urls = (
        {"openai_api_key": "sk-test-openai-key", "openai_base_url": f"{url}/v1"}
        if provider == "openai"
        else {"anthropic_api_key": "sk-test-anthropic-key", "anthropic_base_url": url}
    )
    return LLMConfig(
        provider=provider,  # type: ignore[arg-type]
        model=MODELS[provider],
        timeout_seconds=2.0,
        max_retries=0,
        breaker_failure_threshold=50,
        rate_limit="1000/second",
        guard_base_url=guarded,
        allowed_hosts=("127.0.0.1",),
        **urls,
    )


def _client(provider: str, url: str, guarded: bool):
    return build_llm_client(_config(provider, url, guarded), sleep=SleepRecorder(), clock=FakeClock())


@pytest.mark.parametrize("guarded", [False, True], ids=["sdk-client", "checked-client"])
@pytest.mark.parametrize(("provider", "name", "answer"), CASES, ids=[f"{p}-{n}" for p, n, _ in CASES])
def test_no_upstream_text_in_the_error(provider, name, answer, guarded, caplog) -> None:
    status, content_type, body = answer
    with RawServer(status, body, content_type=content_type) as server:
        client = _client(provider, server.url, guarded)
        try:
            with caplog.at_level(logging.WARNING), pytest.raises(LLMCallError) as raised:
                client.generate(make_request())
        finally:
            client.close()
        assert server.requests >= 1
    message = str(raised.value)
    assert "hunter2" not in message and "db_password" not in message
    if "request " in message:  # a withheld detail: the request id leads to it in the log
        request_id = message.split("request ", 1)[1].split(";", 1)[0]
        assert any(request_id in record.getMessage() for record in caplog.records)


def test_a_refusal_is_reported_in_fixed_words(caplog) -> None:
    _status, content_type, body = PROVIDER_ANSWERS["openai"]["200 refusal"]
    with RawServer(200, body, content_type=content_type) as server:
        client = _client("openai", server.url, False)
        try:
            with caplog.at_level(logging.WARNING), pytest.raises(LLMCallError) as raised:
                client.generate(make_request())
        finally:
            client.close()
    assert raised.value.code == "refused" and "the model refused to answer (request " in str(raised.value)
    assert any(SECRET in record.getMessage() for record in caplog.records)


def test_html_instead_of_an_api_reply_is_a_provider_error() -> None:
    _status, content_type, body = ANSWERS["200 html"]
    with RawServer(200, body, content_type=content_type) as server:
        client = _client("openai", server.url, False)
        try:
            with pytest.raises(LLMCallError) as raised:
                client.generate(make_request())
        finally:
            client.close()
    assert raised.value.code == "provider_error"
    assert "OpenAI answered something that is not an API reply (request " in str(raised.value)
