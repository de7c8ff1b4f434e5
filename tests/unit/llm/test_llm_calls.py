"""A call through each real SDK against its fake server: answers, usage and exact cost, retries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agents.ports import LLMError
from services.llm import LLMCallError, cost
from tests.fakes.scripted import client_error, ok, rate_limited, server_error, slow
from tests.unit.llm.llm_support import MODELS, PlanAnswer, make_request, provider_of


def test_answer_is_validated_with_usage_and_exact_cost(server, make_client):
    server.script(ok(input_tokens=1234, output_tokens=567))
    client = make_client(server)

    response = client.generate(make_request())

    assert isinstance(response.output, PlanAnswer)
    assert response.output.summary == "planner for Acme Widgets"
    assert [m.title for m in response.output.milestones] == ["Launch product", "Hire a designer"]
    assert response.provider == provider_of(server)
    assert response.model == MODELS[provider_of(server)]
    assert (response.input_tokens, response.output_tokens) == (1234, 567)
    expected = {"openai": Decimal("0.0005253"), "anthropic": Decimal("0.004069")}[provider_of(server)]
    assert response.cost_usd == expected
    assert not response.cached and not response.offline


def test_cost_matches_what_the_server_reported(server, make_client):
    client = make_client(server)
    total = sum((client.generate(make_request(call_id=f"c{n}")).cost_usd for n in range(3)), Decimal(0))

    input_tokens, output_tokens = server.usage_totals()
    assert len(server.usages) == 3
    assert total == cost(MODELS[provider_of(server)], input_tokens, output_tokens)


def test_rate_limited_answer_is_retried_after_retry_after(server, make_client, sleeps):
    server.script(rate_limited(retry_after="0.75"), ok())
    client = make_client(server)

    response = client.generate(make_request())

    assert response.output.summary == "planner for Acme Widgets"
    assert len(server.requests) == 2
    assert sleeps.waits == [0.75]


def test_retry_after_is_capped(server, make_client, sleeps):
    server.script(rate_limited(retry_after="120"), ok())
    client = make_client(server, retry_after_cap=1.5)

    client.generate(make_request())

    assert sleeps.waits == [1.5]


def test_server_errors_are_retried_with_backoff_then_succeed(server, make_client, sleeps):
    server.script(server_error(500), server_error(503), ok())
    client = make_client(server, max_retries=2, backoff_initial_seconds=0.01, backoff_max_seconds=0.05)

    response = client.generate(make_request())

    assert isinstance(response.output, PlanAnswer)
    assert len(server.requests) == 3
    assert len(sleeps.waits) == 2
    assert all(0 < wait <= 0.05 for wait in sleeps.waits)


def test_server_errors_past_the_retry_budget_fail_clearly(server, make_client):
    server.script(*[server_error(500)] * 3)
    client = make_client(server, max_retries=2)

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())

    assert caught.value.code == "provider_unavailable"
    assert caught.value.retryable
    assert "500" in str(caught.value)
    assert len(server.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_permanent_errors_are_not_retried(server, make_client, sleeps, status):
    server.script(client_error(status))
    client = make_client(server, max_retries=3)

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())

    assert caught.value.code == "provider_rejected"
    assert not caught.value.retryable
    assert len(server.requests) == 1
    assert sleeps.waits == []


def test_slow_answer_times_out_is_retried_then_fails(server, make_client):
    server.script(slow(2.0), slow(2.0))
    client = make_client(server, timeout_seconds=0.2, max_retries=1)

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())

    assert caught.value.code == "timeout"
    assert caught.value.retryable
    assert len(server.requests) == 2


def test_slow_answer_then_a_good_one(server, make_client):
    server.script(slow(2.0))
    client = make_client(server, timeout_seconds=0.2, max_retries=1)

    response = client.generate(make_request())

    assert isinstance(response.output, PlanAnswer)
    assert len(server.requests) == 2


def test_failure_after_spending_reports_what_was_spent(server, make_client):
    # The first answer is unusable, the repair attempt then hits a dead provider.
    server.script(ok({"summary": 3}, input_tokens=100, output_tokens=10), *[server_error(500)] * 2)
    client = make_client(server, max_retries=1)

    with pytest.raises(LLMCallError) as caught:
        client.generate(make_request())

    assert (caught.value.input_tokens, caught.value.output_tokens) == (100, 10)
    assert caught.value.cost_usd == cost(MODELS[provider_of(server)], 100, 10)
