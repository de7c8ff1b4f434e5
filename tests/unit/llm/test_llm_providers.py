"""What each adapter puts on the wire, and how it reads errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pydantic import BaseModel, ConfigDict

from agents.ports import LLMError
from services.llm.providers.base import is_transient_status, parse_retry_after
from services.llm.providers.openai import strict_compatible
from tests.fakes.scripted import ok, server_error
from tests.unit.llm.llm_support import PlanAnswer, make_request


class Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    tags: list[str]


def test_openai_request_names_the_schema_after_the_prompt(fake_openai, make_client):
    fake_openai.responder = lambda prompt, data: {"summary": prompt, "milestones": []}
    client = make_client(fake_openai)

    client.generate(make_request(prompt="planner", max_tokens=321))

    body = fake_openai.requests[0].body
    assert body["model"] == "gpt-4o-mini"
    assert body["max_completion_tokens"] == 321
    assert body["response_format"]["type"] == "json_schema"
    schema = body["response_format"]["json_schema"]
    assert schema["name"] == "planner"
    assert schema["schema"] == PlanAnswer.model_json_schema()
    assert schema["strict"] is False  # PlanAnswer allows extra keys, so strict mode would reject it
    assert fake_openai.requests[0].headers["authorization"] == "Bearer sk-test-openai-key"
    assert fake_openai.requests[0].headers["x-stainless-retry-count"] == "0"


def test_openai_strict_mode_for_closed_schemas(fake_openai, make_client):
    fake_openai.responder = lambda prompt, data: {"name": "n", "tags": []}
    client = make_client(fake_openai)

    response = client.generate(make_request(output_schema=Closed, prompt="branding.logo"))

    schema = fake_openai.requests[0].body["response_format"]["json_schema"]
    assert schema["strict"] is True
    assert schema["name"] == "branding_logo"  # providers only accept [a-zA-Z0-9_-]
    assert response.output == Closed(name="n", tags=[])


def test_strict_compatibility_rules():
    assert strict_compatible(Closed.model_json_schema())
    assert not strict_compatible(PlanAnswer.model_json_schema())
    with_default = {
        "type": "object",
        "properties": {"a": {"type": "string", "default": "x"}},
        "required": ["a"],
        "additionalProperties": False,
    }
    assert not strict_compatible(with_default)


def test_anthropic_forces_a_tool_named_after_the_prompt(fake_anthropic, make_client):
    fake_anthropic.responder = lambda prompt, data: {"summary": prompt, "milestones": []}
    client = make_client(fake_anthropic)

    response = client.generate(make_request(prompt="legal", max_tokens=222))

    body = fake_anthropic.requests[0].body
    assert body["model"] == "claude-haiku-4-5"
    assert body["max_tokens"] == 222
    assert body["tool_choice"] == {"type": "tool", "name": "legal"}
    assert body["tools"][0]["name"] == "legal"
    assert body["tools"][0]["input_schema"] == PlanAnswer.model_json_schema()
    assert response.output.summary == "legal"


def test_anthropic_output_format_for_models_that_refuse_forced_tools(fake_anthropic, make_client):
    fake_anthropic.script(ok({"summary": "formatted", "milestones": []}, input_tokens=10, output_tokens=5))
    client = make_client(fake_anthropic, model="claude-sonnet-5-5")

    response = client.generate(make_request())

    body = fake_anthropic.requests[0].body
    assert "tools" not in body and "tool_choice" not in body
    expected_format = {"type": "json_schema", "schema": PlanAnswer.model_json_schema()}
    assert body["output_config"] == {"format": expected_format}
    assert body["model"] == "claude-sonnet-5-5"
    assert response.output.summary == "formatted"


def test_anthropic_overloaded_is_transient(fake_anthropic, make_client):
    fake_anthropic.responder = lambda prompt, data: {"summary": "s", "milestones": []}
    fake_anthropic.script(server_error(529))
    client = make_client(fake_anthropic)

    client.generate(make_request())

    assert [seen.status for seen in fake_anthropic.requests] == [529, 200]


def test_connection_refused_is_transient_then_fails(make_client, fake_openai):
    client = make_client(fake_openai, openai_base_url="http://127.0.0.1:1/v1", max_retries=1)

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())

    assert caught.value.code == "provider_unavailable"
    assert caught.value.retryable


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_permanent_statuses(status):
    assert not is_transient_status(status)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 529])
def test_transient_statuses(status):
    assert is_transient_status(status)


def test_retry_after_forms():
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
    later = datetime.now(UTC) + timedelta(seconds=30)
    waited = parse_retry_after({"retry-after": format_datetime(later, usegmt=True)})
    assert waited is not None and 25 <= waited <= 31
