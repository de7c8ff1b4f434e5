"""The circuit breaker: opens after N consecutive failures, fails fast, half-opens, closes."""

from __future__ import annotations

import pytest

from agents.ports import LLMError
from services.llm.resilience import CircuitBreaker, CircuitOpen
from tests.fakes.scripted import client_error, server_error
from tests.unit.llm.llm_support import PlanAnswer, make_request


def test_breaker_states(clock):
    breaker = CircuitBreaker("p", failure_threshold=2, reset_seconds=10, clock=clock)
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == "closed"
    breaker.before_call()
    breaker.record_failure()
    assert breaker.state == "open"
    with pytest.raises(CircuitOpen):
        breaker.before_call()

    clock.advance(10)
    assert breaker.state == "half_open"
    breaker.before_call()  # the one trial
    with pytest.raises(CircuitOpen):
        breaker.before_call()  # others still fail fast while it runs
    breaker.record_failure()
    assert breaker.state == "open"  # a failed trial re-opens at once

    clock.advance(10)
    breaker.before_call()
    breaker.record_success()
    assert breaker.state == "closed"
    breaker.before_call()


def test_success_resets_the_consecutive_count(clock):
    breaker = CircuitBreaker("p", failure_threshold=2, reset_seconds=10, clock=clock)
    for _ in range(3):
        breaker.record_failure()
        breaker.record_success()
    assert breaker.state == "closed"


def test_client_opens_fails_fast_half_opens_and_closes(server, make_client, clock):
    client = make_client(server, breaker_failure_threshold=3, breaker_reset_seconds=30, max_retries=0)
    server.script(*[server_error(502)] * 3)
    for _ in range(3):
        with pytest.raises(LLMError) as caught:
            client.generate(make_request())
        assert caught.value.code == "provider_unavailable"
    assert client.breaker.state == "open"

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())
    assert caught.value.code == "circuit_open"
    assert caught.value.retryable
    assert len(server.requests) == 3  # failed fast: the provider was not called

    clock.advance(30)
    assert client.breaker.state == "half_open"
    response = client.generate(make_request())
    assert isinstance(response.output, PlanAnswer)
    assert client.breaker.state == "closed"
    assert len(server.requests) == 4


def test_failed_trial_reopens_the_circuit(server, make_client, clock):
    client = make_client(server, breaker_failure_threshold=1, breaker_reset_seconds=5, max_retries=0)
    server.script(server_error(500), server_error(500))
    with pytest.raises(LLMError):
        client.generate(make_request())
    clock.advance(5)
    with pytest.raises(LLMError) as caught:
        client.generate(make_request())  # the trial, which fails
    assert caught.value.code == "provider_unavailable"
    with pytest.raises(LLMError) as caught:
        client.generate(make_request())
    assert caught.value.code == "circuit_open"
    assert len(server.requests) == 2


def test_retries_stop_when_the_circuit_opens(server, make_client):
    client = make_client(server, breaker_failure_threshold=2, max_retries=5)
    server.script(*[server_error(500)] * 6)

    with pytest.raises(LLMError) as caught:
        client.generate(make_request())

    assert caught.value.code == "circuit_open"
    assert len(server.requests) == 2


def test_permanent_errors_do_not_open_the_circuit(server, make_client):
    client = make_client(server, breaker_failure_threshold=2, max_retries=0)
    server.script(client_error(400), client_error(400), client_error(400))
    for _ in range(3):
        with pytest.raises(LLMError):
            client.generate(make_request())
    assert client.breaker.state == "closed"
