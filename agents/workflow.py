"""Run the workflow graph for one run: start, resume, and the run lifecycle events around it.

The thread id is the run id, so a run can be resumed from its last checkpoint by any process that
opens the same checkpointer. Custom stream items from nodes are forwarded to the event sink.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.types import Command
from pydantic import BaseModel, ValidationError

from agents.catalogue import Catalogue, default_catalogue
from agents.context import QuotePolicy, RunContext, quote_policy
from agents.events import budget_snapshot
from agents.graph import MAX_FAN_OUT, build_graph
from agents.policies import Policies, default_policies
from agents.ports import AIPricing, BudgetLedger, EventSink, LLMClient, LLMError, RunCancelled
from agents.state import SPECIALISTS, Allocation, Brief, Deliverable, dump

log = logging.getLogger(__name__)

Observer = Callable[[str, dict[str, Any], str | None, str | None, str | None], None]


class Announcement(BaseModel):
    """The terminal event of a call (run.completed, run.paused, run.failed, run.cancelled)."""

    type: str
    data: dict[str, Any]
    key: str


class Outcome(BaseModel):
    """How a call to start/resume ended, and the event that says so."""

    status: Literal["completed", "paused", "failed", "cancelled"]
    reason: str | None = None
    payload: dict[str, Any] | None = None
    report_markdown: str | None = None
    report: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    announcement: Announcement | None = None


class ApprovalDecision(BaseModel):
    decision: Literal["approve", "reject", "edit"]
    note: str = ""
    cut: list[str] = []
    by: Literal["executive", "deadline"] = "executive"  # "deadline": the fallback decided (services/runs/deadlines.py)


class Workflow:
    """The agent workflow bound to one set of ports; safe to reuse for many runs in turn."""

    def __init__(
        self,
        llm: LLMClient,
        sink: EventSink,
        ledger: BudgetLedger,
        checkpointer: BaseCheckpointSaver,
        *,
        policy: str = "over_budget",
        share_caps: Mapping[str, Decimal] | None = None,
        is_cancelled: Callable[[], bool] = lambda: False,
        catalogue: Catalogue | None = None,
        policies: Policies | None = None,
        transient: Callable[[BaseException], bool] = lambda exc: False,
        announce_end: bool = True,
        pricing: AIPricing | None = None,
    ) -> None:
        self.llm = llm
        self.sink = sink
        self.ledger = ledger
        # The quote policy; the older names approve/trim are read as over_budget/never.
        self.policy: QuotePolicy = quote_policy(policy)
        self.pricing = pricing
        self.share_caps = dict(share_caps or {})
        self.is_cancelled = is_cancelled
        self.catalogue = catalogue or default_catalogue()
        self.policies = policies or default_policies()
        # Errors that say "try again later" (storage down): they end this call, not the run.
        self.transient = transient
        # False: the caller records the run's status and sends `Outcome.announcement` with it, so
        # nobody who reacts to the event can see the run in its old state.
        self.announce_end = announce_end
        self.graph = compiled_graph(checkpointer)
        self._observers: list[Observer] = []
        self._context("check").caps_percent()  # a bad share_caps mapping fails here, not mid-run

    def start(self, run_id: str, brief: Brief | Mapping[str, Any]) -> Outcome:
        """Run a new brief until it completes, pauses, fails or is cancelled."""
        brief = brief if isinstance(brief, Brief) else Brief.model_validate(brief)
        if self.graph.get_state(self._config(run_id)).values:
            raise ValueError(f"run {run_id} already has a checkpoint; resume it instead")
        self._emit("run.started", {
            "company": brief.company.name, "budget": str(brief.budget_usd),
            "timeline_days": brief.timeline_days, "policy": self.policy,
            "agents": brief.agents or list(SPECIALISTS),
        }, key="run.started")  # fmt: skip
        return self._drive(run_id, {"run_id": run_id, "brief": dump(brief)})

    def resume(self, run_id: str, value: dict[str, Any] | None = None) -> Outcome:
        """Continue a run: after a crash (value None) or answering its pending interrupts."""
        config = self._config(run_id)
        snapshot = self.graph.get_state(config)
        if not snapshot.values:
            raise LookupError(f"no checkpoint for run {run_id}")
        pending = list(snapshot.interrupts)
        if not snapshot.tasks:
            # Finished: deliver what a process that died before its last events may have lost.
            self._replay(snapshot.values)
            return self._settle(run_id)
        if value is not None and any(
            isinstance(i.value, dict) and i.value.get("reason") in ("approval_required", "quote")
            for i in pending
        ):
            try:
                value = ApprovalDecision.model_validate(value).model_dump()
            except ValidationError as exc:
                raise ValueError(f"invalid approval decision: {exc.errors()[0]['msg']}") from exc
        command: Command[Any] | None = (
            Command(resume={i.id: value for i in pending}) if value is not None and pending else None
        )
        key = _interrupts_key("run.resumed", pending) if command else None
        self._emit("run.resumed", {
            "after": "interrupt" if command else "restart", "value": value,
        }, key=key)  # fmt: skip
        return self._drive(run_id, command)

    @contextmanager
    def observe(self, observer: Observer) -> Iterator[None]:
        """Call `observer(type, data, phase, agent, key)` after each event is handed to the sink."""
        self._observers.append(observer)
        try:
            yield
        finally:
            self._observers.remove(observer)

    def _replay(self, values: dict[str, Any]) -> tuple[_Relay, _BudgetTracker]:
        """Re-send the checkpointed journal and budget updates; the sink keeps what it lacks."""
        relay = _Relay(self)
        relay.journal(values.get("journal"))
        tracker = _BudgetTracker(self, values)
        tracker.replay()
        return relay, tracker

    def _drive(self, run_id: str, graph_input: Any) -> Outcome:
        relay, tracker = self._replay(self.graph.get_state(self._config(run_id)).values)
        try:
            for mode, chunk in self.graph.stream(
                graph_input,
                self._config(run_id),
                context=self._context(run_id),
                stream_mode=["updates", "custom"],
                durability="sync",
            ):
                if mode == "custom":
                    relay.event(chunk)
                    continue
                for update in chunk.values():
                    if isinstance(update, dict):  # cached updates replay a finished node's journal
                        relay.journal(update.get("journal"))
                tracker.observe(chunk)
        except RunCancelled:
            return self._end(Outcome(status="cancelled", reason="cancelled"), "run.cancelled", {})
        except LLMError as exc:
            return self._failed({"code": exc.code, "message": str(exc)})
        except Exception as exc:  # the run must end with a visible failure, then the caller sees it
            if self.transient(exc):
                raise  # the checkpoint is intact: the caller resumes once the cause has passed
            log.exception("run %s failed", run_id)
            return self._failed({"code": "internal_error", "message": f"{type(exc).__name__}: {exc}"})
        return self._settle(run_id)

    def _settle(self, run_id: str) -> Outcome:
        snapshot = self.graph.get_state(self._config(run_id))
        if snapshot.interrupts:
            values = [i.value for i in snapshot.interrupts if isinstance(i.value, dict)]
            first = values[0] if values else {"reason": "interrupted"}
            payload = {**first, "interrupts": values} if len(values) > 1 else dict(first)
            reason = str(first.get("reason", "interrupted"))
            outcome = Outcome(status="paused", reason=reason, payload=payload)
            key = _interrupts_key("run.paused", snapshot.interrupts)
            return self._end(outcome, "run.paused", payload, key)
        report = snapshot.values.get("report")
        if not report:
            return self._failed({"code": "incomplete", "message": "the run stopped without a report"})
        outcome = Outcome(status="completed", report_markdown=report["markdown"],
                          report=report.get("structured") or None)  # fmt: skip
        return self._end(outcome, "run.completed", {
            "committed": report["committed_total"], "budget": report["budget"],
            "agents": report["agents"],
        })  # fmt: skip

    def _failed(self, error: dict[str, str]) -> Outcome:
        outcome = Outcome(status="failed", reason=error["code"], error=error)
        return self._end(outcome, "run.failed", {"error": error})

    def _end(self, outcome: Outcome, type: str, data: dict[str, Any], key: str | None = None) -> Outcome:
        """Attach the terminal event to the outcome; send it here unless the caller sends it."""
        outcome.announcement = Announcement(type=type, data=data, key=key or type)
        if self.announce_end:
            self._emit(type, data, key=outcome.announcement.key)
        return outcome

    def _emit(
        self,
        type: str,
        data: dict[str, Any],
        *,
        phase: str | None = None,
        agent: str | None = None,
        key: str | None = None,
    ) -> None:
        self.sink.emit(type, data, phase=phase, agent=agent, key=key)
        for observer in list(self._observers):
            observer(type, data, phase, agent, key)

    def _config(self, run_id: str) -> dict[str, Any]:
        return {"configurable": {"thread_id": run_id}, "max_concurrency": MAX_FAN_OUT + 1}

    def _context(self, run_id: str) -> RunContext:
        return RunContext(
            run_id=run_id,
            llm=self.llm,
            ledger=self.ledger,
            policy=self.policy,
            share_caps=self.share_caps,
            is_cancelled=self.is_cancelled,
            catalogue=self.catalogue,
            policies=self.policies,
            pricing=self.pricing,
        )


_compiled: weakref.WeakKeyDictionary[BaseCheckpointSaver, Any] = weakref.WeakKeyDictionary()
_compiled_lock = threading.Lock()


def compiled_graph(checkpointer: BaseCheckpointSaver) -> Any:
    """The workflow graph compiled once per checkpointer (compiling costs about a run's own time)."""
    with _compiled_lock:
        graph = _compiled.get(checkpointer)
        if graph is None:
            graph = _compiled[checkpointer] = build_graph().compile(checkpointer=checkpointer)
        return graph


class _Relay:
    """Forwards node events to the sink, each key once per call (the sink dedupes across calls).

    Journals are replayed so that events lost when a process died after its node's results were
    checkpointed still reach the sink (see agents.events).
    """

    def __init__(self, workflow: Workflow) -> None:
        self.workflow = workflow
        self.sent: set[str] = set()

    def event(self, event: dict[str, Any]) -> None:
        key = event.get("key")
        if key is not None:
            if key in self.sent:
                return
            self.sent.add(key)
        self.workflow._emit(event["type"], event["data"], phase=event.get("phase"),
                            agent=event.get("agent"), key=key)

    def journal(self, events: list[dict[str, Any]] | None) -> None:
        for event in events or []:
            self.event(event)


class _BudgetTracker:
    """Emits budget.updated as each specialist's commitments land in the graph state.

    Parallel specialists cannot see each other's commitments, so the totals are kept here from
    the `updates` stream (seeded from the checkpoint on resume).
    """

    def __init__(self, workflow: Workflow, values: dict[str, Any]) -> None:
        self.workflow = workflow
        self.allocation = values.get("allocation")
        self.committed: dict[str, Decimal] = {
            agent: Deliverable.model_validate(raw).committed
            for agent, raw in (values.get("deliverables") or {}).items()
        }

    def replay(self) -> None:
        """Re-send the per-agent budget updates of agents that finished before a restart."""
        if self.allocation is None:
            return
        allocation = Allocation.model_validate(self.allocation)
        seen: dict[str, Decimal] = {}
        for agent in SPECIALISTS:
            if agent in self.committed:
                seen[agent] = self.committed[agent]
                data = budget_snapshot(allocation, dict(seen), self.workflow.ledger.ai_spend())
                self.workflow._emit("budget.updated", data, phase="execution",
                                    key=f"budget.updated:{agent}")

    def observe(self, chunk: dict[str, Any]) -> None:
        for node, update in chunk.items():
            if not isinstance(update, dict):
                continue
            if "allocation" in update:
                self.allocation = update["allocation"]
            for agent, raw in (update.get("deliverables") or {}).items():
                self.committed[agent] = Deliverable.model_validate(raw).committed
                if self.allocation is not None and node == agent:
                    allocation = Allocation.model_validate(self.allocation)
                    data = budget_snapshot(allocation, self.committed,
                                           self.workflow.ledger.ai_spend())
                    self.workflow._emit("budget.updated", data, phase="execution",
                                        key=f"budget.updated:{agent}")


def _interrupts_key(prefix: str, interrupts: Iterable[Any]) -> str:
    """A short stable event key for a set of interrupts (six parallel ids would not fit a column)."""
    ids = ",".join(sorted(i.id for i in interrupts))
    return f"{prefix}:{hashlib.sha256(ids.encode()).hexdigest()[:32]}"
