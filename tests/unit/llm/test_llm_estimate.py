"""The reservation bound: never below what a call can really cost, repair attempt included."""

from __future__ import annotations

from decimal import Decimal

from services.llm import estimate_max_cost
from tests.fakes.scripted import CHARS_PER_TOKEN, malformed, ok
from tests.unit.llm.llm_support import MODELS, make_request, provider_of


def test_bound_covers_a_worst_case_call_with_repair(server, make_client):
    request = make_request(max_tokens=300)
    client = make_client(server)
    bound = client.estimate_max_cost(request)
    # First answer uses every output token and is unusable; the repair answer does the same.
    server.script(malformed("x" * 300 * CHARS_PER_TOKEN), ok(output_tokens=300))

    response = client.generate(request)

    assert response.output_tokens == 600
    assert response.cost_usd <= bound
    assert bound == estimate_max_cost(request, MODELS[provider_of(server)])


def test_bound_grows_with_max_tokens_and_is_zero_offline():
    small = estimate_max_cost(make_request(max_tokens=100), "gpt-4.1")
    large = estimate_max_cost(make_request(max_tokens=4000), "gpt-4.1")
    assert Decimal(0) < small < large
    assert estimate_max_cost(make_request(), "offline") == Decimal(0)


def test_bound_grows_with_the_data():
    short = estimate_max_cost(make_request(), "gpt-4o-mini")
    long = estimate_max_cost(
        make_request(data={"objectives": ["a long objective " * 50] * 10}), "gpt-4o-mini"
    )
    assert long > short
