"""Spend reports sum the settled calls of the ledger to the micro-dollar, however they are grouped."""

from __future__ import annotations

import csv
import io
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.budgets import GROUPS, AILedger, spend_report
from services.db import db
from services.models.budgets import AICall
from tests.unit.budgets.budget_support import make_member, make_run

D = Decimal
START = datetime(2026, 10, 28, 22, 0, tzinfo=UTC)


def seed_calls(app, admin, rng: random.Random) -> None:
    """Calls over several days, runs, agents, models and users; settled, released and in flight."""
    other_user = make_member(app, "executive")
    runs = [
        make_run(app, admin, "1000", company="Acme"),
        make_run(app, other_user, "1000", company='=HYPERLINK("x")'),
        make_run(app, admin, "1000", company="Initech"),
    ]
    now = [START]
    with app.app_context():
        ledger = AILedger(db.engine, default_monthly_cap=D("100000"), clock=lambda: now[0])
    for n in range(120):
        now[0] = START + timedelta(minutes=47 * n)
        run_id = rng.choice(runs)
        key = f"call-{n}"
        ledger.reserve(
            run_id, key, D("0.5"), agent=rng.choice(["legal", "branding", "cfo"]),
            model=rng.choice(["gpt-4o-mini", "gpt-4.1"]), provider="openai",
        )  # fmt: skip
        fate = rng.random()
        if fate < 0.8:
            cost = D(rng.randint(1, 499_999)) / D(1_000_000) + D("0.0000004")  # rounds up to the micro
            ledger.settle(
                run_id, key, cost, input_tokens=rng.randint(1, 5000), output_tokens=rng.randint(1, 900)
            )
        elif fate < 0.9:
            ledger.release(run_id, key, error="timeout")


def settled_rows(app, org_id: int):
    with app.app_context():
        return (
            db.session.execute(select(AICall).where(AICall.org_id == org_id, AICall.status == "settled"))
            .scalars()
            .all()
        )


@pytest.mark.parametrize("group_by", GROUPS)
def test_report_totals_equal_the_ledger_for_every_grouping(bapp, admin, group_by):
    seed_calls(bapp, admin, random.Random(7))
    rows = settled_rows(bapp, admin.org_id)
    ledger_total = sum(row.settled_micros for row in rows)
    expected: dict[str, int] = defaultdict(int)
    for row in rows:
        key = {
            "day": row.created_at.astimezone(UTC).strftime("%Y-%m-%d"),
            "run": row.run_id,
            "agent": row.agent,
            "model": row.model,
            "user": str(row.user_id or 0),
        }[group_by]
        expected[key] += row.settled_micros

    with bapp.app_context():
        report = spend_report(admin.org_id, group_by=group_by)
    assert report.total_usd == D(ledger_total) / D(1_000_000)
    assert sum(r.cost_usd for r in report.rows) == report.total_usd
    assert {r.key: r.cost_usd for r in report.rows} == {k: D(v) / D(1_000_000) for k, v in expected.items()}
    assert report.calls == len(rows)
    assert all(isinstance(r.cost_usd, Decimal) for r in report.rows)

    parsed = list(csv.reader(io.StringIO(report.to_csv())))
    assert parsed[0] == ["group_by", "key", "label", "calls", "input_tokens", "output_tokens", "cost_usd"]
    assert sum(D(line[6]) for line in parsed[1:]) == report.total_usd
    assert not any(cell.startswith("=") for line in parsed for cell in line)


def test_report_respects_the_date_range_and_the_organisation(bapp, admin):
    seed_calls(bapp, admin, random.Random(11))
    stranger = make_member(bapp, "admin", org="Globex")
    foreign = make_run(bapp, stranger, "10")
    with bapp.app_context():
        ledger = AILedger(db.engine, default_monthly_cap=D("100"))
    ledger.reserve(foreign, "x", D("1"))
    ledger.settle(foreign, "x", D("0.777"))

    since, until = datetime(2026, 10, 30, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    rows = [r for r in settled_rows(bapp, admin.org_id) if since <= r.created_at < until]
    with bapp.app_context():
        report = spend_report(admin.org_id, group_by="day", since=since, until=until)
        foreign_report = spend_report(stranger.org_id, group_by="run")
    assert [r.key for r in report.rows] == ["2026-10-30", "2026-10-31"]
    assert report.total_usd == D(sum(r.settled_micros for r in rows)) / D(1_000_000)
    assert foreign_report.total_usd == D("0.777000") and [r.key for r in foreign_report.rows] == [foreign]
