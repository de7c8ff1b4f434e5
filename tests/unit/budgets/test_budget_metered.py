"""The metered LLM client: reserve → call → settle/release, thresholds once, budget events."""

from __future__ import annotations

from decimal import Decimal

import gevent
import pytest
from sqlalchemy import select

from agents.memory import MemoryEventSink
from agents.ports import AIBudgetExhausted, LLMError
from services.budgets import AILedger, MeteredLLMClient, update_budget_settings
from services.db import db
from services.holdings import holdings
from services.llm import LLMCallError
from services.models import User
from services.models.budgets import AICall
from tests.unit.budgets.budget_support import ScriptedLLM, llm_request, make_run

D = Decimal


def metered(
    ledger: AILedger, run_id: str, org_id: int, inner, sink, estimate: str = "0.1"
) -> MeteredLLMClient:
    return MeteredLLMClient(
        inner, ledger, sink, run_id=run_id, org_id=org_id, estimate=lambda request: D(estimate),
        model="gpt-4o-mini", provider="openai",
    )  # fmt: skip


def calls(app, run_id: str) -> list[tuple[str, str, int, int]]:
    with app.app_context():
        rows = db.session.execute(
            select(AICall.call_key, AICall.status, AICall.reserved_micros, AICall.settled_micros)
            .where(AICall.run_id == run_id)
            .order_by(AICall.id)
        ).all()
        return [tuple(row) for row in rows]


def thresholds(sink: MemoryEventSink) -> list[tuple[str, int]]:
    return [(e["data"]["scope"], e["data"]["level"]) for e in sink.of_type("budget.threshold")]


def test_thresholds_are_announced_once_each_and_the_cap_refuses_before_calling(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    sink = MemoryEventSink(run_id)
    inner = ScriptedLLM(["0.3", "0.25", "0.3", "0.1"])
    client = metered(ledger, run_id, admin.org_id, inner, sink)
    for n in range(4):
        client.generate(llm_request(f"c{n}"))
        if n == 0:
            assert thresholds(sink) == []
        if n == 1:
            assert thresholds(sink) == [("run", 50)]
    assert thresholds(sink) == [("run", 50), ("run", 80)]
    with pytest.raises(AIBudgetExhausted) as refused:
        client.generate(llm_request("c4"))
    assert refused.value.scope == "run" and refused.value.cap == D("1")
    assert inner.calls == ["c0", "c1", "c2", "c3"]  # the refused call never reached the model
    assert thresholds(sink) == [("run", 50), ("run", 80), ("run", 100)]
    last = sink.of_type("budget.threshold")[-1]
    assert (
        last["data"]["used"] == "0.950000"
        and last["data"]["cap"] == "1.000000"
        and last["data"]["requested"] == "0.100000"
    )

    updates = sink.of_type("budget.updated")
    assert len(updates) == 4 and updates[-1]["data"]["ai"]["used"] == "0.950000"
    assert updates[-1]["data"]["ai"]["org"]["used"] == "0.950000"

    # A resumed process builds a new client: it repeats nothing the sink already has.
    again = metered(ledger, run_id, admin.org_id, ScriptedLLM([]), sink)
    with pytest.raises(AIBudgetExhausted):
        again.generate(llm_request("c4"))
    assert thresholds(sink) == [("run", 50), ("run", 80), ("run", 100)]
    assert [key for _, status, _, _ in calls(bapp, run_id) for key in [status]] == ["settled"] * 4


def test_lower_levels_are_announced_when_the_cap_is_reached_at_once(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "0.05")
    sink = MemoryEventSink(run_id)
    with pytest.raises(AIBudgetExhausted):
        metered(ledger, run_id, admin.org_id, ScriptedLLM(["0.01"]), sink).generate(llm_request("c"))
    assert thresholds(sink) == [("run", 50), ("run", 80), ("run", 100)]
    assert calls(bapp, run_id) == []


def test_a_failed_call_releases_its_reservation(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    sink = MemoryEventSink(run_id)
    client = metered(
        ledger, run_id, admin.org_id, ScriptedLLM([LLMError("down", code="provider_unavailable")]), sink
    )
    with pytest.raises(LLMError):
        client.generate(llm_request("c"))
    assert calls(bapp, run_id) == [("c", "released", 100000, 0)]
    assert ledger.run_usage(run_id).committed == 0
    assert sink.of_type("budget.updated") == []


def test_a_failed_call_that_spent_tokens_is_settled_with_its_cost(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    spent = LLMCallError(
        "invalid twice", code="invalid_output", input_tokens=900, output_tokens=80, cost_usd=D("0.0123")
    )
    client = metered(ledger, run_id, admin.org_id, ScriptedLLM([spent]), MemoryEventSink(run_id))
    with pytest.raises(LLMCallError):
        client.generate(llm_request("c"))
    assert calls(bapp, run_id) == [("c", "settled", 100000, 12300)]
    with bapp.app_context():
        assert db.session.scalar(select(AICall.error)) == "invalid_output"


def test_a_killed_greenlet_leaves_no_reservation(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")

    def slow(request):
        gevent.sleep(10)
        return "0.1"

    client = metered(ledger, run_id, admin.org_id, ScriptedLLM(slow), MemoryEventSink(run_id))
    worker = gevent.spawn(client.generate, llm_request("c"))
    gevent.sleep(0.2)
    assert calls(bapp, run_id)[0][1] == "reserved"
    worker.kill(block=True)
    assert calls(bapp, run_id) == [("c", "released", 100000, 0)]


def test_a_call_interrupted_by_a_crash_is_recorded_as_repeated_and_an_answer_is_not(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    ledger.reserve(run_id, "c", D("0.1"))  # the process died during this call
    sink = MemoryEventSink(run_id)
    inner = ScriptedLLM(["0.02", "0.03"])
    client = metered(ledger, run_id, admin.org_id, inner, sink)
    first = client.generate(llm_request("c"))
    # The dead attempt is closed as interrupted, the repeat is a new attempt: the record says so.
    assert calls(bapp, run_id) == [("c", "released", 100000, 0), ("c#2", "settled", 100000, 20000)]
    with bapp.app_context():
        assert db.session.scalar(select(AICall.error).where(AICall.call_key == "c")) == "interrupted"
    # The node re-runs after another crash, in a new process: the same question is not asked
    # (nor billed) again; the stored answer comes back with what it cost.
    again = metered(ledger, run_id, admin.org_id, inner, MemoryEventSink(run_id)).generate(llm_request("c"))
    assert inner.calls == ["c"]
    assert again.cached and again.cost_usd == D("0.02") and again.output == first.output
    assert (again.input_tokens, again.output_tokens) == (1000, 100)
    assert calls(bapp, run_id) == [("c", "released", 100000, 0), ("c#2", "settled", 100000, 20000)]
    assert ledger.run_usage(run_id).settled == D("0.02") and ledger.run_usage(run_id).reserved == 0


def test_a_changed_question_under_the_same_call_id_is_asked_and_counted_anew(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    inner = ScriptedLLM(["0.02", "0.03"])
    client = metered(ledger, run_id, admin.org_id, inner, MemoryEventSink(run_id))
    client.generate(llm_request("c"))
    changed = llm_request("c").model_copy(update={"data": {"brief": "edited plan"}})
    client.generate(changed)
    assert inner.calls == ["c", "c"]
    assert calls(bapp, run_id) == [("c", "settled", 100000, 20000), ("c#2", "settled", 100000, 30000)]
    assert ledger.run_usage(run_id).settled == D("0.05")
    # The latest answer is the one a further re-run of the changed question gets back.
    client.generate(changed)
    assert inner.calls == ["c", "c"]


def test_org_levels_are_announced_once_per_month_across_runs(bapp, admin, ledger):
    with bapp.app_context():
        update_budget_settings(
            admin.org_id,
            {"monthly_ai_cap_usd": "1", "run_ai_cap_max_usd": "1", "run_ai_cap_default_usd": "1"},
            db.session.get(User, admin.user_id), app_settings=holdings().settings,
        )
    first, second = make_run(bapp, admin, "1"), make_run(bapp, admin, "1")
    sink_a, sink_b = MemoryEventSink(first), MemoryEventSink(second)
    metered(ledger, first, admin.org_id, ScriptedLLM(["0.6"]), sink_a, estimate="0.6").generate(
        llm_request("a")
    )
    metered(ledger, second, admin.org_id, ScriptedLLM(["0.25"]), sink_b, estimate="0.3").generate(
        llm_request("b")
    )
    assert thresholds(sink_a) == [("run", 50), ("org", 50)]
    assert thresholds(sink_b) == [("org", 80)]
    key = sink_b.of_type("budget.threshold")[0]["key"]
    assert key.startswith("budget.threshold:org:") and key.endswith(":80")
    with pytest.raises(AIBudgetExhausted) as refused:
        metered(ledger, second, admin.org_id, ScriptedLLM([]), sink_b, estimate="0.2").generate(
            llm_request("c")
        )
    assert refused.value.scope == "org"
    assert thresholds(sink_b) == [("org", 80), ("org", 100)]
    assert thresholds(sink_a) == [("run", 50), ("org", 50)]


class YieldingSink(MemoryEventSink):
    """Stores like the real sink does: it yields to other greenlets while writing (some writes wait
    longer, as they do behind the run's row lock)."""

    def __init__(self, run_id: str):
        super().__init__(run_id)
        self.writes = 0

    def emit(self, type, data, *, phase=None, agent=None, key=None):
        self.writes += 1
        gevent.sleep(0.02 if self.writes % 2 == 0 else 0.001)
        super().emit(type, data, phase=phase, agent=agent, key=key)


def test_parallel_branches_refused_together_announce_levels_in_order(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "0.05")
    sink = YieldingSink(run_id)
    client = metered(ledger, run_id, admin.org_id, ScriptedLLM([]), sink)

    def branch(n: int) -> Exception | None:
        try:
            client.generate(llm_request(f"agent-{n}"))
        except AIBudgetExhausted as refused:
            return refused
        return None

    branches = [gevent.spawn(branch, n) for n in range(6)]
    gevent.joinall(branches, raise_error=True)
    assert all(isinstance(done.value, AIBudgetExhausted) for done in branches)
    assert thresholds(sink) == [("run", 50), ("run", 80), ("run", 100)]
