"""A whole workflow run over real HTTP (fake OpenAI server) with a tiny AI cap.

The run must pause at its cap before the model is asked anything the cap cannot pay for, announce
thresholds 50, 80 and 100 once each, resume after an admin raises the cap, and end with an AI
spend equal to the sum of every call's usage × the registry's prices (each call rounded up to the
micro-dollar, as the ledger documents).
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from agents.checkpoint import open_checkpointer
from agents.memory import MemoryEventSink
from agents.workflow import Workflow
from services.budgets import set_run_ai_cap
from services.db import db
from services.holdings import holdings
from services.llm import LLMConfig, build_llm_client, load_registry
from services.models import Run, User
from services.models.budgets import AICall, BudgetLineItem
from tests.fakes.openai_server import FakeOpenAIServer
from tests.unit.budgets.budget_support import BRIEF, budget_app, make_member, make_run

MODEL = "gpt-4o-mini"
MICRO = Decimal("0.000001")


def usage_cost(input_tokens: int, output_tokens: int) -> Decimal:
    """What a call costs by the registry, rounded up to the micro-dollar like the ledger does."""
    return (
        load_registry().get(MODEL).cost(input_tokens, output_tokens).quantize(MICRO, rounding=ROUND_CEILING)
    )


def llm_for(server: FakeOpenAIServer):
    return build_llm_client(
        LLMConfig(
            provider="openai",
            model=MODEL,
            openai_api_key="sk-test",
            openai_base_url=server.base_url,
            timeout_seconds=5,
            max_retries=0,
            rate_limit="1000/second",
            breaker_failure_threshold=50,
        )
    )


def run_workflow(
    app, run_id: str, server: FakeOpenAIServer, checkpoints: Path, sink: MemoryEventSink, resume=None
):
    with app.app_context():
        run = db.session.get(Run, run_id)
        wiring = holdings().run_service().wiring
        llm = wiring.metered(llm_for(server), run, sink)
        ledger = wiring.ledger(run, wiring.ai_ledger)
        db.session.commit()
    with open_checkpointer(f"sqlite:///{checkpoints}") as saver:
        workflow = Workflow(llm, sink, ledger, saver, policy="trim")
        if resume is None:
            return workflow.start(run_id, BRIEF)
        return workflow.resume(run_id, resume)


def call_rows(app, run_id: str) -> list[AICall]:
    with app.app_context():
        rows = db.session.scalars(select(AICall).where(AICall.run_id == run_id).order_by(AICall.id)).all()
        db.session.expunge_all()
        return rows


@pytest.fixture(params=["sqlite", "postgres"])
def wapp(request, tmp_path):
    app = budget_app(tmp_path, request.param)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_tiny_cap_pauses_at_100_percent_then_resumes_and_costs_add_up(wapp, tmp_path):
    admin = make_member(wapp, "admin")
    with FakeOpenAIServer() as server:
        # Calibration: the same brief with a generous cap, to learn what the calls reserve and cost.
        probe = make_run(wapp, admin, "5", model=MODEL)
        outcome = run_workflow(wapp, probe, server, tmp_path / "probe.sqlite", MemoryEventSink(probe))
        assert outcome.status == "completed", outcome
        calls = call_rows(wapp, probe)
        first, later = calls[0], calls[1:]
        # The cap pays for the first call's reservation and nothing after it.
        cap = Decimal(first.reserved_micros) / 1_000_000
        assert all(first.settled_micros + call.reserved_micros > first.reserved_micros for call in later)
        server.reset()

        run_id = make_run(wapp, admin, cap, model=MODEL)
        sink = MemoryEventSink(run_id)
        paused = run_workflow(wapp, run_id, server, tmp_path / "run.sqlite", sink)
        assert paused.status == "paused" and paused.reason == "ai_budget_exhausted"
        assert paused.payload["scope"] == "run" and Decimal(paused.payload["cap"]) == cap
        assert len(server.requests) == 1  # nothing was sent that the cap could not pay for
        levels = [(e["data"]["scope"], e["data"]["level"]) for e in sink.of_type("budget.threshold")]
        assert levels == [("run", 50), ("run", 80), ("run", 100)]
        assert sink.types()[-1] == "run.paused"
        used_at_pause = Decimal(sink.of_type("budget.threshold")[-1]["data"]["used"])
        assert used_at_pause <= cap

        with wapp.app_context():
            set_run_ai_cap(db.session.get(Run, run_id), Decimal("1"), db.session.get(User, admin.user_id), app_settings=holdings().settings)
        done = run_workflow(
            wapp, run_id, server, tmp_path / "run.sqlite", sink, resume={"action": "continue"}
        )
        assert done.status == "completed", done
        assert done.report_markdown

    rows = call_rows(wapp, run_id)
    assert [row.status for row in rows] == ["settled"] * len(rows)
    assert len(rows) == len(server.usages) == len(calls)
    expected = [usage_cost(i, o) for i, o in server.usages]
    assert sorted(Decimal(row.settled_micros) / 1_000_000 for row in rows) == sorted(expected)
    total = sum(expected, Decimal("0"))
    with wapp.app_context():
        usage = holdings().ai_ledger().run_usage(run_id)
    assert usage.settled == total and usage.reserved == 0
    assert sum(i for i, _ in server.usages) == sum(row.input_tokens for row in rows)
    # Thresholds stay announced once each across the pause and the resume.
    levels = [(e["data"]["scope"], e["data"]["level"]) for e in sink.of_type("budget.threshold")]
    assert levels == [("run", 50), ("run", 80), ("run", 100)]
    ai_updates = [e for e in sink.of_type("budget.updated") if set(e["data"]) == {"ai"}]
    assert len(ai_updates) == len(rows) and Decimal(ai_updates[-1]["data"]["ai"]["used"]) == total
    with wapp.app_context():
        assert (
            db.session.scalar(select(db.func.count(BudgetLineItem.id)).where(BudgetLineItem.run_id == run_id))
            > 0
        )
