"""Structured-output modes against the fake OpenAI server (real HTTP), and `auto`'s negotiation.

The same behaviours are checked against llama.cpp's real server in tests/llama; what stays here is
what a real server cannot be made to do on demand: 429s, 500s and timeouts, which must never be
mistaken for "this server does not support the response format".
"""

from __future__ import annotations

import json

import pytest

from agents.ports import LLMError
from services.llm import build_llm_client
from services.llm.providers.openai import learned_mode
from tests.fakes.openai_server import FakeOpenAIServer
from tests.fakes.scripted import malformed, no_usage, rate_limited, server_error, slow
from tests.unit.llm.llm_support import PlanAnswer, config_for, make_request, plan_responder

MODEL = "my-local-model"


@pytest.fixture
def server():
    with FakeOpenAIServer(plan_responder) as fake:
        yield fake


def _client(server, **overrides):
    return build_llm_client(config_for(server, model=MODEL, **overrides))


def _format(seen):
    return seen.body.get("response_format")


@pytest.mark.parametrize(
    ("mode", "format_type", "schema_in_prompt"),
    [
        ("json_schema", "json_schema", False),
        ("json_object_schema", "json_object", False),
        ("json_object", "json_object", True),
        ("prompt", None, True),
    ],
)
def test_each_mode_sends_its_own_request_and_gets_a_validated_answer(server, mode, format_type, schema_in_prompt):
    response = _client(server, structured_output=mode).generate(make_request())
    assert isinstance(response.output, PlanAnswer)
    # The fake knows the prompt by the json_schema name, else by the schema's title.
    named = "planner" if mode == "json_schema" else "PlanAnswer"
    assert response.output.summary == f"{named} for Acme Widgets"
    assert response.structured_output == mode
    (seen,) = server.requests
    sent = _format(seen)
    assert (sent or {}).get("type") == format_type
    if mode == "json_object_schema":
        assert sent["schema"]["title"] == "PlanAnswer"
    system = FakeOpenAIServer.system_text(seen)
    assert ("JSON Schema:" in system) is schema_in_prompt
    # A model outside the registry gets the parameter every OpenAI-compatible server knows.
    assert "max_tokens" in seen.body and "max_completion_tokens" not in seen.body


def test_prompt_mode_finds_the_json_in_prose(server):
    answer = {"summary": "ok", "milestones": [{"title": "Launch", "week": 2}]}
    server.script(malformed(f"Sure! Here is the plan:\n{json.dumps(answer)}\nGood luck."))
    response = _client(server, structured_output="prompt").generate(make_request())
    assert response.output.milestones[0].title == "Launch"


def test_auto_steps_down_remembers_and_never_counts_the_refusal_against_the_breaker():
    with FakeOpenAIServer(plan_responder, refused_formats=("json_schema",)) as server:
        client = _client(server, breaker_failure_threshold=1)
        first = client.generate(make_request())
        assert first.structured_output == "json_object_schema"
        assert [(_format(seen) or {}).get("type") for seen in server.requests] == ["json_schema", "json_object"]
        assert learned_mode(server.base_url, MODEL) == "json_object_schema"
        assert client.breaker.state == "closed"

        second = _client(server).generate(make_request(call_id="run-1:planner:2"))
        assert second.structured_output == "json_object_schema"
        assert len(server.requests) == 3, "the second call goes straight to the mode that worked"


def test_auto_steps_down_to_the_prompt_when_no_response_format_is_taken():
    with FakeOpenAIServer(plan_responder, refused_formats=("json_schema", "json_object")) as server:
        response = _client(server).generate(make_request())
        assert response.structured_output == "prompt"
        assert [(_format(seen) or {}).get("type") for seen in server.requests] == [
            "json_schema", "json_object", "json_object", None,
        ]


def test_a_fixed_mode_the_server_refuses_fails_clearly_without_retries():
    with FakeOpenAIServer(plan_responder, refused_formats=("json_schema",)) as server:
        with pytest.raises(LLMError) as failed:
            _client(server, structured_output="json_schema", max_retries=3).generate(make_request())
        assert failed.value.code == "structured_output_unsupported"
        assert "LLM_STRUCTURED_OUTPUT" in str(failed.value)
        assert len(server.requests) == 1


@pytest.mark.parametrize(
    "fault",
    [lambda: rate_limited(retry_after=0), lambda: server_error(500), lambda: server_error(503), lambda: slow(1.5)],
    ids=["429", "500", "503", "timeout"],
)
def test_auto_does_not_step_down_on_rate_limits_server_errors_or_timeouts(server, fault):
    server.script(fault())
    response = _client(server, timeout_seconds=0.5).generate(make_request())
    assert response.structured_output == "json_schema"
    assert [(_format(seen) or {}).get("type") for seen in server.requests] == ["json_schema", "json_schema"]
    assert learned_mode(server.base_url, MODEL) == "json_schema"


def test_a_server_without_usage_gets_an_estimate_labelled_as_such(server):
    server.script(no_usage())
    response = _client(server).generate(make_request())
    assert response.usage_estimated is True
    assert response.input_tokens > 0 and response.output_tokens > 0
    # The fake has no tokenizer endpoint: both were asked once, then the estimate is used.
    asked = [seen.path for seen in server.requests if "tokenize" in seen.path]
    assert asked == ["/extras/tokenize/count", "/tokenize"]
    server.script()
    assert _client(server).generate(make_request(call_id="c2")).usage_estimated is False


def test_unpriced_model_costs_nothing_and_says_so(server):
    response = _client(server).generate(make_request())
    assert response.priced is False and response.cost_usd == 0


def test_raw_control_characters_inside_strings_are_text_not_a_failure(server):
    server.script(malformed('{"summary": "line one\nline\ttwo", "milestones": []}'))
    response = _client(server, structured_output="json_object_schema").generate(make_request())
    assert response.output.summary == "line one\nline\ttwo"


def test_a_broken_object_is_repaired_not_mined_for_its_first_inner_object(server):
    server.script(malformed('{"summary": "x", "milestones": [{"title": "Launch", "week": 2}'))
    response = _client(server, structured_output="json_object_schema").generate(make_request())
    assert len(server.requests) == 2, "asked once for a repair"
    assert response.output.summary == "PlanAnswer for Acme Widgets"
