"""Racing metered calls against small caps, and the ledger invariants that must hold afterwards.

Used in-process (greenlets) by the race tests and by `race_worker.py` in separate processes.
Every call goes through the real `MeteredLLMClient` and `AILedger`; the "model" sleeps a random
moment, then answers with a cost at most its reservation, fails without cost, fails after
spending tokens, or is killed in the middle of the call (the greenlet dies, as on a cancel).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import gevent
from gevent.event import Event
from sqlalchemy import Engine, func, select

from agents.memory import MemoryEventSink
from agents.ports import AIBudgetExhausted, LLMError, LLMRequest, LLMResponse
from services.budgets import AILedger, MeteredLLMClient
from services.budgets.money import usd_to_micros
from services.llm import LLMCallError
from services.models import Run
from services.models.budgets import AICall, AIOrgMonthSpend, AIRunSpend
from tests.unit.budgets.budget_support import Answer, llm_request

MICRO = Decimal("0.000001")


@dataclass
class Tally:
    """What the racers observed (summed across greenlets)."""

    outcomes: Counter = field(default_factory=Counter)
    settled_micros: int = 0
    violations: list[str] = field(default_factory=list)

    def merge(self, other: dict[str, Any]) -> None:
        self.outcomes.update(other["outcomes"])
        self.settled_micros += other["settled_micros"]
        self.violations.extend(other["violations"])

    def to_json(self) -> dict[str, Any]:
        return {
            "outcomes": dict(self.outcomes),
            "settled_micros": self.settled_micros,
            "violations": self.violations,
        }


class RacingModel:
    """An LLMClient with random latency and random fates, drawn from the racer's own generator."""

    def __init__(self, rng: random.Random, entered: dict[str, Event]):
        self.rng = rng
        self.entered = entered
        self.fates: dict[str, str] = {}

    def generate(self, request: LLMRequest) -> LLMResponse:
        fate = self.fates[request.call_id]
        self.entered[request.call_id].set()
        gevent.sleep(self.rng.uniform(0, 0.004) if fate != "killed" else 5)
        estimate = Decimal(request.data["estimate"])
        cost = (estimate * Decimal(self.rng.randint(0, 100)) / 100).quantize(MICRO)
        if fate == "error":
            raise LLMError("provider down", code="provider_unavailable")
        if fate == "spent_error":
            raise LLMCallError(
                "invalid twice", code="invalid_output", input_tokens=10, output_tokens=5, cost_usd=cost
            )
        return LLMResponse(
            output=Answer(),
            provider="openai",
            model="gpt-4o-mini",
            input_tokens=10,
            output_tokens=5,
            cost_usd=cost,
        )


def _attempt(client: MeteredLLMClient, request: LLMRequest) -> LLMResponse | Exception:
    """The call's response or the exception it raised (kept as a value: gevent logs the others)."""
    try:
        return client.generate(request)
    except Exception as exc:  # noqa: BLE001 - the caller sorts the outcomes
        return exc


def _racer(ledger: AILedger, runs: list[str], org_id: int, seed: int, calls: int, tag: str) -> dict[str, Any]:
    rng = random.Random(seed)
    entered: dict[str, Event] = {}
    model = RacingModel(rng, entered)
    clients = {
        run_id: MeteredLLMClient(
            model,
            ledger,
            MemoryEventSink(run_id),
            run_id=run_id,
            org_id=org_id,
            estimate=lambda request: Decimal(request.data["estimate"]),
        )
        for run_id in runs
    }
    tally = Tally()
    for n in range(calls):
        run_id = rng.choice(runs)
        call_id = f"{tag}-{seed}-{n}"
        estimate = (Decimal(rng.randint(500, 12_000)) * MICRO).quantize(MICRO)
        request = llm_request(call_id, run_id=run_id).model_copy(update={"data": {"estimate": str(estimate)}})
        fate = rng.choices(["ok", "error", "spent_error", "killed"], weights=[70, 10, 10, 10])[0]
        model.fates[call_id] = fate
        entered[call_id] = Event()
        worker = gevent.spawn(_attempt, clients[run_id], request)
        if fate == "killed":
            # Kill it while the model is working (a reservation is held), unless it was refused.
            gevent.wait([entered[call_id], worker], count=1)
            if not worker.dead:
                worker.kill(block=True)
        worker.join()
        outcome = worker.value if worker.successful() else worker.exception
        if isinstance(outcome, gevent.GreenletExit):
            tally.outcomes["killed"] += 1
        elif isinstance(outcome, AIBudgetExhausted):
            tally.outcomes["refused"] += 1
        elif isinstance(outcome, LLMResponse):
            tally.outcomes["ok"] += 1
            tally.settled_micros += usd_to_micros(outcome.cost_usd)
        elif isinstance(outcome, LLMCallError) and outcome.cost_usd > 0:
            tally.outcomes["spent_error"] += 1
            tally.settled_micros += usd_to_micros(outcome.cost_usd)
        elif isinstance(outcome, LLMError):
            tally.outcomes["error"] += 1
        else:
            tally.violations.append(f"{call_id}: unexpected {outcome!r}")
    return tally.to_json()


def caps_hold(engine: Engine, runs: list[str], org_id: int) -> list[str]:
    """Violations of `settled + reserved <= cap` right now, for every run and the organisation."""
    problems = []
    with engine.connect() as conn:
        caps = dict(conn.execute(select(Run.id, Run.ai_cap_usd).where(Run.id.in_(runs))).all())
        for row in conn.execute(select(AIRunSpend).where(AIRunSpend.run_id.in_(runs))):
            if row.reserved_micros + row.settled_micros > usd_to_micros(Decimal(caps[row.run_id])):
                problems.append(f"run {row.run_id}: {row.reserved_micros}+{row.settled_micros} over its cap")
            if row.reserved_micros < 0 or row.settled_micros < 0:
                problems.append(f"run {row.run_id}: negative counter")
        for row in conn.execute(select(AIOrgMonthSpend).where(AIOrgMonthSpend.org_id == org_id)):
            if row.reserved_micros + row.settled_micros > usd_to_micros(ORG_CAP):
                problems.append(f"org {row.month}: {row.reserved_micros}+{row.settled_micros} over its cap")
    return problems


ORG_CAP = Decimal("0.5")
RUN_CAPS = (Decimal("0.2"), Decimal("0.15"), Decimal("0.25"))


def race(
    ledger: AILedger,
    runs: list[str],
    org_id: int,
    *,
    seed: int,
    greenlets: int = 50,
    calls: int = 12,
    tag: str = "p",
) -> tuple[Tally, list[str]]:
    """`greenlets` racers making `calls` calls each; a monitor checks the caps while they race."""
    rng = random.Random(seed)
    sampled: list[str] = []
    done = Event()

    def monitor() -> None:
        while not done.is_set():
            sampled.extend(caps_hold(ledger.engine, runs, org_id))
            gevent.sleep(0.005)

    watcher = gevent.spawn(monitor)
    racers = [
        gevent.spawn(_racer, ledger, runs, org_id, rng.randrange(1 << 30), calls, f"{tag}{i}")
        for i in range(greenlets)
    ]
    gevent.joinall(racers, raise_error=True)
    done.set()
    watcher.join()
    tally = Tally()
    for racer in racers:
        tally.merge(racer.value)
    return tally, sampled


def ledger_state(engine: Engine, runs: list[str], org_id: int) -> dict[str, Any]:
    """Counters and call rows, for the invariants checked after a race."""
    with engine.connect() as conn:
        statuses = dict(
            conn.execute(
                select(AICall.status, func.count()).where(AICall.run_id.in_(runs)).group_by(AICall.status)
            ).all()
        )
        row_settled = conn.execute(
            select(func.coalesce(func.sum(AICall.settled_micros), 0)).where(AICall.run_id.in_(runs))
        ).scalar_one()
        row_reserved = conn.execute(
            select(func.coalesce(func.sum(AICall.reserved_micros), 0)).where(
                AICall.run_id.in_(runs), AICall.status == "reserved"
            )
        ).scalar_one()
        run_counters = conn.execute(
            select(func.sum(AIRunSpend.reserved_micros), func.sum(AIRunSpend.settled_micros)).where(
                AIRunSpend.run_id.in_(runs)
            )
        ).one()
        org_counters = conn.execute(
            select(func.sum(AIOrgMonthSpend.reserved_micros), func.sum(AIOrgMonthSpend.settled_micros)).where(
                AIOrgMonthSpend.org_id == org_id
            )
        ).one()
    return {
        "statuses": statuses,
        "row_settled": int(row_settled),
        "row_reserved": int(row_reserved),
        "run_reserved": int(run_counters[0] or 0),
        "run_settled": int(run_counters[1] or 0),
        "org_reserved": int(org_counters[0] or 0),
        "org_settled": int(org_counters[1] or 0),
    }


def check_invariants(state: dict[str, Any], tally: Tally, sampled: list[str]) -> None:
    """Nothing over a cap at any sampled moment, nothing dangling, every cent accounted for."""
    assert sampled == [], sampled[:5]
    assert tally.violations == [], tally.violations[:5]
    assert state["statuses"].get("reserved", 0) == 0, "a reservation was left dangling"
    assert state["row_reserved"] == state["run_reserved"] == state["org_reserved"] == 0, "a release was lost"
    assert state["row_settled"] == state["run_settled"] == state["org_settled"] == tally.settled_micros
    assert state["org_settled"] <= usd_to_micros(ORG_CAP)
    settled_calls = tally.outcomes["ok"] + tally.outcomes["spent_error"]
    assert state["statuses"].get("settled", 0) == settled_calls
    assert state["statuses"].get("released", 0) == tally.outcomes["error"] + tally.outcomes["killed"]
    # The caps really were in the way, and calls really raced each other past them.
    assert tally.outcomes["refused"] > 0 and settled_calls > 0 and tally.outcomes["killed"] > 0
