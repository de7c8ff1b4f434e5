"""Invalid answers get exactly one repair attempt; its tokens count too."""

from __future__ import annotations

import pytest

from agents.ports import LLMError
from services.llm import LLMCallError, cost
from services.llm.messages import DATA_BEGIN
from tests.fakes.scripted import malformed, ok, schema_invalid
from tests.unit.llm.llm_support import MODELS, PlanAnswer, make_request, provider_of


def _turns(server, seen):
    """The conversation turns without OpenAI's system message (Anthropic sends it apart)."""
    return [turn for turn in server.messages(seen) if turn["role"] != "system"]


def test_malformed_json_is_repaired_once(server, make_client):
    server.script(malformed('{"summary": "cut off'), ok(input_tokens=300, output_tokens=40))
    client = make_client(server)

    response = client.generate(make_request())

    assert isinstance(response.output, PlanAnswer)
    assert len(server.requests) == 2
    first_in, first_out = server.usages[0]
    assert response.input_tokens == first_in + 300
    assert response.output_tokens == first_out + 40
    assert response.cost_usd == cost(MODELS[provider_of(server)], first_in + 300, first_out + 40)

    repair_turns = _turns(server, server.requests[1])
    assert [turn["role"] for turn in repair_turns] == ["user", "assistant", "user"]
    assert DATA_BEGIN in str(repair_turns[0]["content"])
    assert "cut off" in str(repair_turns[1]["content"])
    assert "not valid JSON" in str(repair_turns[2]["content"])


def test_schema_mismatch_is_repaired_with_the_validation_error(server, make_client):
    server.script(schema_invalid({"summary": "ok", "milestones": [{"title": "x", "week": 0}]}))
    client = make_client(server)

    response = client.generate(make_request())

    assert response.output.milestones[0].week == 1
    repair_text = str(_turns(server, server.requests[1])[-1]["content"])
    assert "milestones.0.week" in repair_text
    assert "greater than or equal to 1" in repair_text


def test_answer_still_invalid_after_repair_fails_clearly(server, make_client):
    server.script(malformed("not json at all"), schema_invalid({"nope": 1}))
    client = make_client(server)

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())

    error = caught.value
    assert error.code == "invalid_output"
    assert not error.retryable
    assert "after one repair attempt" in str(error)
    assert "planner" in str(error)
    assert len(server.requests) == 2  # one repair, no more
    assert isinstance(error, LLMCallError)
    spent_in = sum(i for i, _ in server.usages)
    spent_out = sum(o for _, o in server.usages)
    assert (error.input_tokens, error.output_tokens) == (spent_in, spent_out)
    assert error.cost_usd == cost(MODELS[provider_of(server)], spent_in, spent_out)


def test_fenced_json_is_accepted_without_repair(server, make_client):
    server.script(malformed('```json\n{"summary": "s", "milestones": []}\n```'))
    client = make_client(server)

    response = client.generate(make_request())

    assert response.output.summary == "s"
    assert len(server.requests) == 1
