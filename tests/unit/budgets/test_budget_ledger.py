"""The AI-spend ledger: reserve, settle, release against the run and org caps, idempotently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from agents.ports import AIBudgetExhausted
from services.budgets import AILedger, CapReached, update_budget_settings
from services.budgets.ai_usage import UnknownCall
from services.db import db
from services.holdings import holdings
from services.models import RunStatus, User
from services.models.budgets import AICall, AIOrgMonthSpend, AIRunSpend
from tests.unit.budgets.budget_support import make_run

D = Decimal


def totals(app, run_id: str) -> tuple[int, int, int, int]:
    """(reserved, settled) of the run counter, then the same summed over the call rows."""
    with app.app_context():
        counter = db.session.get(AIRunSpend, run_id)
        reserved = db.session.scalar(
            select(func.coalesce(func.sum(AICall.reserved_micros), 0)).where(
                AICall.run_id == run_id, AICall.status == "reserved"
            )
        )
        settled = db.session.scalar(
            select(func.coalesce(func.sum(AICall.settled_micros), 0)).where(AICall.run_id == run_id)
        )
        return counter.reserved_micros, counter.settled_micros, int(reserved), int(settled)


def test_reserve_then_settle_frees_the_rest(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    held = ledger.reserve(run_id, "c1", D("0.40"), agent="legal", model="gpt-4o-mini")
    assert held.fresh and held.status == "reserved"
    assert held.run.reserved == D("0.4") and held.run.settled == 0 and held.run.cap == D("1")
    assert held.org.reserved == D("0.4")

    done = ledger.settle(run_id, "c1", D("0.1234561"), input_tokens=1000, output_tokens=200)
    assert done.status == "settled"
    # Rounded up to the micro-dollar: never less than the call cost.
    assert done.settled == D("0.123457")
    assert done.run.reserved == 0 and done.run.settled == D("0.123457")
    assert totals(bapp, run_id) == (0, 123457, 0, 123457)


def test_reservation_over_the_run_cap_is_refused_before_the_call(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    ledger.reserve(run_id, "a", D("0.6"))
    with pytest.raises(AIBudgetExhausted) as refused:
        ledger.reserve(run_id, "b", D("0.5"))
    assert isinstance(refused.value, CapReached)
    assert refused.value.scope == "run"
    assert refused.value.used == D("0.6") and refused.value.cap == D("1")
    assert refused.value.requested == D("0.5")
    # Nothing was written for the refused call, so it can be retried under the same id later.
    assert totals(bapp, run_id) == (600000, 0, 600000, 0)
    ledger.settle(run_id, "a", D("0.2"))
    assert ledger.reserve(run_id, "b", D("0.5")).fresh


def test_exactly_reaching_the_cap_is_allowed(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "0.000010")
    ledger.reserve(run_id, "a", D("0.000004"))
    ledger.reserve(run_id, "b", D("0.000006"))
    with pytest.raises(CapReached):
        ledger.reserve(run_id, "c", D("0.000001"))


def test_org_monthly_cap_spans_runs(bapp, admin, ledger):
    with bapp.app_context():
        update_budget_settings(
            admin.org_id,
            {"monthly_ai_cap_usd": "1", "run_ai_cap_max_usd": "1", "run_ai_cap_default_usd": "1"},
            db.session.get(User, admin.user_id), app_settings=holdings().settings,
        )
    first, second = make_run(bapp, admin, "1"), make_run(bapp, admin, "1")
    ledger.reserve(first, "a", D("0.7"))
    with pytest.raises(CapReached) as refused:
        ledger.reserve(second, "a", D("0.4"))
    assert refused.value.scope == "org" and refused.value.used == D("0.7") and refused.value.cap == D("1")
    assert refused.value.org.month == datetime.now(UTC).strftime("%Y-%m")
    ledger.reserve(second, "b", D("0.3"))


def test_months_reset_the_org_cap_but_not_the_run_cap(bapp, admin):
    now = [datetime(2026, 1, 31, 23, 59, tzinfo=UTC)]
    with bapp.app_context():
        ledger = AILedger(db.engine, default_monthly_cap=D("1"), clock=lambda: now[0])
    run_a, run_b = make_run(bapp, admin, "5"), make_run(bapp, admin, "5")
    ledger.reserve(run_a, "jan", D("0.9"))
    ledger.settle(run_a, "jan", D("0.9"))
    with pytest.raises(CapReached):
        ledger.reserve(run_b, "jan", D("0.2"))
    now[0] = datetime(2026, 2, 1, 0, 0, tzinfo=UTC)
    feb = ledger.reserve(run_b, "feb", D("0.9"))
    assert feb.org.month == "2026-02" and feb.org.committed == D("0.9")
    assert ledger.org_usage(admin.org_id, "2026-01").settled == D("0.9")
    # A settlement counts in the month the call was reserved in.
    ledger.reserve(run_a, "late", D("0.05"))
    now[0] = datetime(2026, 3, 1, tzinfo=UTC)
    ledger.settle(run_a, "late", D("0.05"))
    assert ledger.org_usage(admin.org_id, "2026-02").settled == D("0.05")
    assert ledger.org_usage(admin.org_id, "2026-03").committed == 0


def test_repeated_operations_change_nothing(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    first = ledger.reserve(run_id, "c", D("0.3"))
    again = ledger.reserve(run_id, "c", D("0.9"))
    assert first.fresh and not again.fresh and again.reserved == D("0.3")
    ledger.settle(run_id, "c", D("0.1"))
    repeat = ledger.settle(run_id, "c", D("0.25"))
    assert not repeat.fresh and repeat.settled == D("0.1")
    assert ledger.release(run_id, "c") is not None and not ledger.release(run_id, "c").fresh
    assert totals(bapp, run_id) == (0, 100000, 0, 100000)
    assert not ledger.reserve(run_id, "c", D("0.3")).fresh


def test_release_frees_the_hold_and_is_idempotent(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    ledger.reserve(run_id, "c", D("0.3"))
    released = ledger.release(run_id, "c", error="timeout")
    assert released.fresh and released.status == "released" and released.run.reserved == 0
    assert not ledger.release(run_id, "c").fresh
    assert ledger.release(run_id, "never") is None
    assert totals(bapp, run_id) == (0, 0, 0, 0)
    with bapp.app_context():
        assert db.session.scalar(select(AICall.error).where(AICall.call_key == "c")) == "timeout"


def test_settling_an_unknown_call_fails_loudly(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "1")
    with pytest.raises(UnknownCall):
        ledger.settle(run_id, "nope", D("0.1"))


def test_a_call_released_as_stale_that_finishes_still_counts(bapp, admin):
    now = [datetime(2026, 5, 1, tzinfo=UTC)]
    with bapp.app_context():
        ledger = AILedger(db.engine, default_monthly_cap=D("100"), clock=lambda: now[0])
    run_id = make_run(bapp, admin, "1")
    ledger.reserve(run_id, "slow", D("0.5"))
    ledger.reserve(run_id, "fresh", D("0.1"))
    now[0] += timedelta(hours=2)
    assert ledger.release_stale(timedelta(hours=1)) == 2
    assert ledger.release_stale(timedelta(hours=1)) == 0
    late = ledger.settle(run_id, "slow", D("0.2"))
    assert late.run.settled == D("0.2") and late.run.reserved == 0
    assert totals(bapp, run_id) == (0, 200000, 0, 200000)
    assert ledger.org_usage(admin.org_id, "2026-05").committed == D("0.2")


def test_holds_of_finished_runs_are_released(bapp, admin, ledger):
    finished = make_run(bapp, admin, "1", status=RunStatus.failed)
    running = make_run(bapp, admin, "1")
    ledger.reserve(finished, "a", D("0.5"))
    ledger.reserve(running, "a", D("0.5"))
    assert ledger.release_finished() == 1
    assert ledger.run_usage(finished).reserved == 0
    assert ledger.run_usage(running).reserved == D("0.5")
    assert ledger.release_open(running) == 1
    with bapp.app_context():
        month = db.session.scalars(select(AIOrgMonthSpend)).one()
        assert month.reserved_micros == 0 and month.settled_micros == 0


def test_raising_the_run_cap_lets_a_refused_call_through(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "0.1")
    with pytest.raises(CapReached):
        ledger.reserve(run_id, "big", D("0.2"))
    from services.budgets import set_run_ai_cap
    from services.models import Run

    with bapp.app_context():
        set_run_ai_cap(db.session.get(Run, run_id), D("0.5"), db.session.get(User, admin.user_id), app_settings=holdings().settings)
    assert ledger.reserve(run_id, "big", D("0.2")).fresh
    assert ledger.run_usage(run_id).cap == D("0.5")
