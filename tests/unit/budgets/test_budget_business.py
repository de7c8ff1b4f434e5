"""The SQL business-budget ledger and recorded overrun decisions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from services.budgets import SqlBudgetLedger, record_overrun_decision
from services.db import db
from services.models import AuditEntry, Run, User
from services.models.budgets import BudgetLineItem, OverrunDecision
from tests.unit.budgets.budget_support import make_run

D = Decimal


def test_allocations_are_replaced_and_commits_are_idempotent(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "2")
    with bapp.app_context():
        books = SqlBudgetLedger(db.engine, run_id, ledger)
    books.record_allocation(
        {"legal": D("1500.00"), "branding": D("1000"), "webdev": D("900.5")}, D("3400.50")
    )
    books.record_allocation({"legal": D("1200.00"), "branding": D("1000")}, D("2200.00"))
    assert books.allocations() == {"legal": D("1200.00"), "branding": D("1000.00")}

    books.record_commit("legal", "legal-1", "LLC filing", D("300"))
    books.record_commit("legal", "legal-2", "Trademark, one class", D("350.00"))
    books.record_commit("legal", "legal-1", "LLC filing", D("300"))  # a resumed node commits again
    books.record_commit("legal", "legal-1", "LLC filing, repriced", D("999"))  # the first one is kept
    books.record_commit("branding", "branding-1", "Logo", D("800.255"))
    assert books.committed_by_agent() == {"legal": D("650.00"), "branding": D("800.26")}
    summary = books.summary()
    assert summary["allocated"] == "2200.00" and summary["committed"] == "1450.26"
    assert summary["by_agent"]["legal"] == {
        "allocated": "1200.00",
        "committed": "650.00",
        "remaining": "550.00",
    }
    with bapp.app_context():
        assert db.session.scalar(select(db.func.count(BudgetLineItem.id))) == 3


def test_ai_spend_reports_the_runs_settled_spend_and_cap(bapp, admin, ledger):
    run_id = make_run(bapp, admin, "2")
    with bapp.app_context():
        books = SqlBudgetLedger(db.engine, run_id, ledger)
    assert books.ai_spend() == (D("0"), D("2"))
    ledger.reserve(run_id, "c", D("0.5"))
    ledger.settle(run_id, "c", D("0.123"))
    assert books.ai_spend() == (D("0.123"), D("2"))


def test_overrun_decisions_record_who_when_how_much_and_why(bapp, admin):
    run_id = make_run(bapp, admin, "2")
    with bapp.app_context():
        run, user = db.session.get(Run, run_id), db.session.get(User, admin.user_id)
        record_overrun_decision(run, user, "approve", D("750.50"), "worth it")
        record_overrun_decision(run, user, "reject", D("100"), "")
        with pytest.raises(ValueError):
            record_overrun_decision(run, user, "maybe", D("1"), "")
        db.session.rollback()
        rows = db.session.scalars(select(OverrunDecision).order_by(OverrunDecision.id)).all()
        assert [(r.decision, r.amount_cents, r.note, r.user_id) for r in rows] == [
            ("approve", 75050, "worth it", admin.user_id),
            ("reject", 10000, "", admin.user_id),
        ]
        assert rows[0].decided_at is not None and rows[0].to_json()["amount_usd"] == "750.50"
        audits = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "run.overrun_decided").order_by(AuditEntry.id)
        ).all()
        assert [a.after["decision"] for a in audits] == ["approve", "reject"]
        assert audits[0].before == {"approved_overrun_usd": "0.00"}
        assert audits[0].after["approved_overrun_usd"] == "750.50" and audits[0].after["note"] == "worth it"
    with bapp.app_context():
        assert SqlBudgetLedger(db.engine, run_id).summary()["approved_overrun"] == "750.50"
