"""Every structured-output mode against llama.cpp's real server, and `auto` negotiating with it.

llama-cpp-python's server refuses OpenAI's `json_schema` response format and takes llama.cpp's
own `{"type": "json_object", "schema": ...}`, which it turns into a grammar: the answer cannot be
anything but schema-shaped, even from a 135M-parameter model. The two schema-in-the-prompt modes
get no such help; they are checked for what Catalyst does (the request the server takes, the JSON
found and validated), with a schema small enough for this model to follow.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

from agents.ports import LLMError, LLMRequest
from services.llm import LLMConfig, build_llm_client
from services.llm.providers.openai import learned_mode
from tests.support.recording_proxy import RecordingProxy


class Greeting(BaseModel):
    model_config = ConfigDict(extra="ignore")

    greeting: str


def _request(call_id: str = "llama-1") -> LLMRequest:
    return LLMRequest(
        run_id="llama",
        call_id=call_id,
        agent="cfo",
        prompt="greeting",
        prompt_version="v1",
        system='Greet the company named in the data. Answer with JSON like {"greeting": "Hello, Acme!"}.',
        data={"company": "Fjord Cycles"},
        output_schema=Greeting,
        max_tokens=60,
    )


def _config(base_url: str, **overrides) -> LLMConfig:
    values = {
        "provider": "openai",
        "model": "smollm2",
        "openai_base_url": base_url,
        "max_retries": 0,
        "rate_limit": "1000/second",
    }
    values.update(overrides)
    return LLMConfig(**values)


@pytest.fixture
def proxy(llama_base_url):
    with RecordingProxy(llama_base_url.removesuffix("/v1")) as recording:
        yield recording


def _types(proxy: RecordingProxy) -> list[str | None]:
    return [(r.request.get("response_format") or {}).get("type") for r in proxy.relayed if r.method == "POST"]


def test_json_schema_is_refused_by_this_server_and_a_fixed_mode_says_what_to_do(proxy):
    with pytest.raises(LLMError) as failed:
        build_llm_client(_config(f"{proxy.url}/v1", structured_output="json_schema")).generate(_request())
    assert failed.value.code == "structured_output_unsupported"
    assert "LLM_STRUCTURED_OUTPUT" in str(failed.value)
    (refusal,) = proxy.relayed  # one answer: no retry of a format the server cannot do
    assert 400 <= refusal.status < 600 and "response_format" in str(refusal.response)


def _served_usage(proxy: RecordingProxy) -> tuple[int, int]:
    answered = proxy.completions()
    return (sum(r.response["usage"]["prompt_tokens"] for r in answered),
            sum(r.response["usage"]["completion_tokens"] for r in answered))


def test_the_grammar_mode_gives_a_validated_answer_with_the_servers_usage(proxy):
    response = build_llm_client(_config(f"{proxy.url}/v1", structured_output="json_object_schema")).generate(_request())
    assert isinstance(response.output, Greeting) and response.output.greeting.strip()
    assert response.structured_output == "json_object_schema"
    assert (response.input_tokens, response.output_tokens) == _served_usage(proxy)
    assert response.usage_estimated is False and response.priced is False
    (sent,) = [r.request for r in proxy.relayed]
    assert sent["response_format"]["schema"]["required"] == ["greeting"]
    assert "max_tokens" in sent and "max_completion_tokens" not in sent  # the latter is ignored there


@pytest.mark.parametrize("mode", ["json_object", "prompt"])
def test_schema_in_the_prompt_modes_are_taken_and_settle_either_way(proxy, mode):
    """Without a grammar, this 135M model may or may not follow the schema; Catalyst must handle both:
    a validated answer, or one repair and then a clear `invalid_output`, with the server's usage."""
    client = build_llm_client(_config(f"{proxy.url}/v1", structured_output=mode))
    try:
        response = client.generate(_request())
    except LLMError as failed:
        assert failed.code == "invalid_output"
        assert len(proxy.completions()) == 2, "one answer and one repair"
        assert (failed.input_tokens, failed.output_tokens) == _served_usage(proxy)
    else:
        assert isinstance(response.output, Greeting) and response.structured_output == mode
        assert (response.input_tokens, response.output_tokens) == _served_usage(proxy)
    first = proxy.relayed[0].request
    system = first["messages"][0]["content"]
    assert "JSON Schema:" in system and '"greeting"' in system
    assert (first.get("response_format") or {}).get("type") == ("json_object" if mode == "json_object" else None)
    assert all(r.status == 200 for r in proxy.relayed)


def test_auto_steps_down_once_to_the_grammar_and_remembers_it(proxy):
    base_url = f"{proxy.url}/v1"
    first = build_llm_client(_config(base_url)).generate(_request())
    assert first.structured_output == "json_object_schema"
    assert _types(proxy) == ["json_schema", "json_object"]
    assert learned_mode(base_url, "smollm2") == "json_object_schema"
    second = build_llm_client(_config(base_url)).generate(_request("llama-2"))
    assert second.structured_output == "json_object_schema"
    assert _types(proxy) == ["json_schema", "json_object", "json_object"], "no second negotiation"


def test_a_server_without_usage_is_counted_with_its_own_tokenizer_and_marked_estimated(llama_base_url):
    with RecordingProxy(llama_base_url.removesuffix("/v1"), strip_usage=True) as proxy:
        client = build_llm_client(_config(f"{proxy.url}/v1", structured_output="json_object_schema"))
        response = client.generate(_request())
    assert response.usage_estimated is True
    (answer,) = proxy.completions()
    served = answer.response["usage"]  # what the server counted, hidden from Catalyst by the proxy
    tokenized = [r for r in proxy.relayed if r.path == "/extras/tokenize/count"]
    assert len(tokenized) == 2 and all(r.status == 200 for r in tokenized), "llama.cpp's tokenizer was asked"
    # Re-tokenizing the answer's text gives the generated count, give or take a merge at the edges.
    assert abs(response.output_tokens - served["completion_tokens"]) <= 2
    # The prompt is counted without the chat template's own tokens, plus a margin for them.
    assert abs(response.input_tokens - served["prompt_tokens"]) <= max(8, served["prompt_tokens"] // 10)
