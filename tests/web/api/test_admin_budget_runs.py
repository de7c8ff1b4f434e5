"""Budgets through the real API: a run with a tiny AI cap pauses, an admin raises the cap and
resumes it, and the spend report equals the fake provider's usage × the registry's prices.

The run service's wiring gets an environment LLM configuration that points at the fake OpenAI
server, so every call goes over real HTTP through the metered client.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import pytest
from sqlalchemy import select

from services.db import db
from services.holdings import holdings
from services.llm import LLMConfig, load_registry
from services.models.budgets import AICall
from tests.fakes.openai_server import FakeOpenAIServer
from tests.support.api import JsonClient, brief, execute_queued
from tests.support.wiring import rewire

MODEL = "gpt-4o-mini"
MICRO = Decimal("0.000001")
AGENTS = ["legal", "branding"]


@pytest.fixture
def server():
    with FakeOpenAIServer() as fake:
        yield fake


@pytest.fixture
def service(app, server):
    runs = holdings(app).runs
    rewire(runs, environment=LLMConfig(
        provider="openai", model=MODEL, openai_api_key="sk-test", openai_base_url=server.base_url,
        timeout_seconds=5, max_retries=0, rate_limit="1000/second", breaker_failure_threshold=50,
    ))  # fmt: skip
    yield runs
    runs.stop()


def events(api: JsonClient, run_id: str) -> list[dict]:
    return api.get(f"/api/runs/{run_id}/events?limit=1000").get_json()["events"]


def ceil_cost(input_tokens: int, output_tokens: int) -> Decimal:
    return (
        load_registry().get(MODEL).cost(input_tokens, output_tokens).quantize(MICRO, rounding=ROUND_CEILING)
    )


def test_tiny_cap_pauses_admin_raises_and_resumes_and_spend_adds_up(app, client, make_user, server, service):
    executive = JsonClient(client).login(make_user("executive").email)
    admin = JsonClient(app.test_client()).login(make_user("admin").email)

    # Calibration run with a generous cap: what does the first call reserve?
    # Two specialists: six parallel interrupts make a `run.paused` key longer than the event
    # table's 200 characters on PostgreSQL (reported to the engine and live-runs owners).
    probe = executive.post("/api/runs", brief(ai_cap_usd="5", agents=AGENTS)).get_json()
    execute_queued(app)
    assert executive.get(f"/api/runs/{probe['id']}").get_json()["status"] == "completed"
    with app.app_context():
        calls = db.session.scalars(
            select(AICall).where(AICall.run_id == probe["id"]).order_by(AICall.id)
        ).all()
    # The brief (with its cap) is part of the prompt: allow a few micro-dollars for its length.
    cap = Decimal(calls[0].reserved_micros + 20) / 1_000_000
    assert all(
        calls[0].settled_micros + later.reserved_micros > calls[0].reserved_micros + 20 for later in calls[1:]
    )
    probe_usages = list(server.usages)
    server.reset()

    run = executive.post("/api/runs", brief(ai_cap_usd=str(cap), agents=AGENTS)).get_json()
    execute_queued(app)
    paused = executive.get(f"/api/runs/{run['id']}").get_json()
    assert paused["status"] == "paused" and paused["pause_reason"] == "ai_budget_exhausted"
    assert len(server.requests) == 1
    levels = [
        (e["data"]["scope"], e["data"]["level"])
        for e in events(executive, run["id"])
        if e["type"] == "budget.threshold"
    ]
    assert levels == [("run", 50), ("run", 80), ("run", 100)]

    assert (
        executive.client.patch(
            f"/api/runs/{run['id']}", json={"ai_cap_usd": "1"}, headers={"X-CSRFToken": executive.csrf}
        ).status_code
        == 403
    )
    raised = admin.client.patch(
        f"/api/runs/{run['id']}", json={"ai_cap_usd": "1"}, headers={"X-CSRFToken": admin.csrf}
    )
    assert raised.status_code == 200, raised.get_json()
    assert admin.post(f"/api/runs/{run['id']}/resume").status_code == 200
    execute_queued(app)
    assert executive.get(f"/api/runs/{run['id']}").get_json()["status"] == "completed"

    stream = events(executive, run["id"])
    levels = [(e["data"]["scope"], e["data"]["level"]) for e in stream if e["type"] == "budget.threshold"]
    assert levels == [("run", 50), ("run", 80), ("run", 100)]
    assert [e["seq"] for e in stream] == list(range(1, len(stream) + 1))

    expected = sum((ceil_cost(i, o) for i, o in server.usages), Decimal("0"))
    assert len(server.usages) == len(probe_usages)
    report = admin.get("/api/admin/spend?group_by=run").get_json()
    by_run = {row["key"]: Decimal(row["cost_usd"]) for row in report["rows"]}
    assert by_run[run["id"]] == expected
    assert by_run[probe["id"]] == sum((ceil_cost(i, o) for i, o in probe_usages), Decimal("0"))
    assert Decimal(report["total"]["cost_usd"]) == sum(by_run.values())

    audit = admin.get(f"/api/admin/audit?target=run:{run['id']}").get_json()
    actions = [item["action"] for item in audit["items"]]
    assert "run.ai_cap_changed" in actions and "run.resumed" in actions and "run.created" in actions
