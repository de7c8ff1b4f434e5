"""Cancellation, failed LLM calls and an exhausted AI budget."""

from __future__ import annotations

import threading

from agents.ports import LLMRequest, LLMResponse
from agents.state import SPECIALISTS
from tests.unit.agents.agents_support import (
    EXAMPLE_BRIEF,
    CancelAfter,
    CapClient,
    FailingClient,
    RecordingClient,
)


def test_cancel_stops_at_the_next_boundary(make_run) -> None:
    llm = CancelAfter("cfo")
    run = make_run(llm=llm, is_cancelled=llm.cancelled.is_set)
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert outcome.status == "cancelled"
    assert run.sink.types()[-1] == "run.cancelled"
    assert set(llm.calls) == {"cfo"}
    assert run.events("phase.started")[-1]["phase"] not in ("execution", "report")
    assert run.ledger.commits == {}


def test_cancel_before_an_llm_call_inside_a_node(make_run) -> None:
    llm = CancelAfter("legal")
    run = make_run(llm=llm, is_cancelled=llm.cancelled.is_set)
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert outcome.status == "cancelled"
    assert "reviewer" not in llm.calls and "reporter" not in llm.calls


def test_llm_error_fails_the_agent_then_the_run(make_run) -> None:
    run = make_run(llm=FailingClient("webdev"))
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert outcome.status == "failed"
    assert outcome.error == {"code": "provider_error", "message": "provider rejected the request"}
    failed = run.events("agent.failed")
    assert [e["agent"] for e in failed] == ["webdev"]
    assert failed[0]["data"]["error"]["code"] == "provider_error"
    assert run.sink.types()[-1] == "run.failed"
    assert run.events("run.failed")[0]["data"]["error"]["code"] == "provider_error"
    assert not run.events("run.completed")
    types = run.sink.types()
    assert types.index("agent.failed") < types.index("run.failed")


def test_llm_error_in_the_planner_fails_the_run(make_run) -> None:
    run = make_run(llm=FailingClient("cfo"))
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)
    assert outcome.status == "failed"
    assert [e["agent"] for e in run.events("agent.failed")] == ["cfo"]


def test_ai_budget_exhausted_pauses_then_resumes_the_call(make_run) -> None:
    llm = CapClient({"cfo"})
    run = make_run(llm=llm)
    paused = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert paused.status == "paused" and paused.reason == "ai_budget_exhausted"
    assert paused.payload["scope"] == "run" and paused.payload["cap"] == "0.50"
    assert run.events("run.paused")[0]["data"]["reason"] == "ai_budget_exhausted"

    llm.raise_cap()
    done = run.workflow.resume(run.run_id, {"cap_raised": True})

    assert done.status == "completed"
    assert llm.calls["cfo"] == 1 and llm.refusals["cfo"] == 1
    assert len(run.events("agent.started")) == len(set(e["key"] for e in run.events("agent.started")))


def test_parallel_specialists_out_of_ai_budget_pause_together(make_run) -> None:
    llm = CapClient({"legal", "content"})
    run = make_run(llm=llm)
    paused = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert paused.status == "paused" and paused.reason == "ai_budget_exhausted"
    assert sorted(i["agent"] for i in paused.payload["interrupts"]) == ["content", "legal"]
    finished_first = {e["agent"] for e in run.events("agent.completed")} & set(SPECIALISTS)
    assert finished_first == set(SPECIALISTS) - {"legal", "content"}

    llm.raise_cap()
    done = run.workflow.resume(run.run_id, {})

    assert done.status == "completed"
    for agent in SPECIALISTS:
        assert llm.calls[agent] == 1, agent  # finished agents were not repeated
    assert len(run.events("agent.completed")) == len(SPECIALISTS) + 3


def test_still_exhausted_after_resume_pauses_again(make_run) -> None:
    llm = CapClient({"reporter"})
    run = make_run(llm=llm)
    assert run.workflow.start(run.run_id, EXAMPLE_BRIEF).status == "paused"
    again = run.workflow.resume(run.run_id, {})
    assert again.status == "paused" and again.reason == "ai_budget_exhausted"
    llm.raise_cap()
    assert run.workflow.resume(run.run_id, {}).status == "completed"
    assert len(run.events("run.paused")) == 2 and llm.calls["reporter"] == 1


class CancelDuringSpecialists(RecordingClient):
    """Requests the cancel while all six specialists are inside their model call."""

    def __init__(self) -> None:
        super().__init__()
        self.cancelled = threading.Event()
        self.inside = threading.Barrier(len(SPECIALISTS), timeout=30)

    def generate(self, request: LLMRequest) -> LLMResponse:
        if request.agent in SPECIALISTS:
            self.inside.wait()
            self.cancelled.set()
        return super().generate(request)


def test_cancel_stops_agents_in_flight_before_they_commit(make_run) -> None:
    """The dialog promises that nothing more is committed: answers that land after it are dropped."""
    llm = CancelDuringSpecialists()
    run = make_run(llm=llm, is_cancelled=llm.cancelled.is_set)
    outcome = run.workflow.start(run.run_id, EXAMPLE_BRIEF)

    assert outcome.status == "cancelled"
    assert set(llm.calls) >= set(SPECIALISTS)  # every specialist's call was under way
    assert run.ledger.commits == {}
    assert not [e for e in run.events("agent.completed") if e["agent"] in SPECIALISTS]
