"""The business-budget ledger of a run in SQL, and executives' decisions on overruns.

`SqlBudgetLedger` implements the engine's `BudgetLedger` port: allocations per agent, line items
committed per agent (idempotent by item id, so a node re-run after a resume commits nothing twice),
and the run's AI spend for `budget.updated` events. It writes through the engine in short
transactions of its own, because it is called from the workflow's nodes, outside any request.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services import audit
from services.budgets.ai_ledger import AILedger
from services.budgets.money import cents_to_usd, usd_to_cents
from services.db import db, table_of, utcnow
from services.models import Run, User
from services.models.budgets import BudgetAllocation, BudgetLineItem, OverrunDecision, RunBusinessBudget

log = logging.getLogger(__name__)

ALLOCATIONS = table_of(BudgetAllocation)
LINE_ITEMS = table_of(BudgetLineItem)
RUN_BUDGETS = table_of(RunBusinessBudget)
DECISIONS = ("approve", "reject", "edit")
RAISING = ("approve", "edit")  # decisions that approve (some of) the overrun


class SqlBudgetLedger:
    """`agents.ports.BudgetLedger` for one run, stored in the app's database."""

    def __init__(self, engine: Engine, run_id: str, ai: AILedger | None = None):
        self.engine = engine
        self.run_id = run_id
        self.ai = ai
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    def record_allocation(self, allocations: dict[str, Decimal], total: Decimal) -> None:
        """Replace the run's allocation (a trimmed or re-approved plan allocates again)."""
        now = utcnow()
        with self.engine.begin() as conn:
            upsert = self._insert(RUN_BUDGETS).values(
                run_id=self.run_id,
                allocated_cents=usd_to_cents(total),
                approved_overrun_cents=0,
                updated_at=now,
            )
            conn.execute(
                upsert.on_conflict_do_update(
                    index_elements=[RUN_BUDGETS.c.run_id],
                    set_={"allocated_cents": upsert.excluded.allocated_cents, "updated_at": now},
                )
            )
            conn.execute(
                delete(ALLOCATIONS).where(
                    ALLOCATIONS.c.run_id == self.run_id, ALLOCATIONS.c.agent.not_in(list(allocations))
                )
            )
            for agent, amount in allocations.items():
                row = self._insert(ALLOCATIONS).values(
                    run_id=self.run_id, agent=agent, amount_cents=usd_to_cents(amount), updated_at=now
                )
                conn.execute(
                    row.on_conflict_do_update(
                        index_elements=[ALLOCATIONS.c.run_id, ALLOCATIONS.c.agent],
                        set_={"amount_cents": row.excluded.amount_cents, "updated_at": now},
                    )
                )

    def record_commit(self, agent: str, item_id: str, description: str, amount: Decimal) -> None:
        """Commit a line item once; a repeat with the same item id changes nothing."""
        cents = usd_to_cents(amount)
        with self.engine.begin() as conn:
            inserted = conn.execute(
                self._insert(LINE_ITEMS)
                .values(
                    run_id=self.run_id,
                    item_id=item_id[:120],
                    agent=agent[:40],
                    description=description[:500],
                    amount_cents=cents,
                    created_at=utcnow(),
                )
                .on_conflict_do_nothing()
            ).rowcount
            if not inserted:
                kept = conn.execute(
                    select(LINE_ITEMS.c.amount_cents).where(
                        LINE_ITEMS.c.run_id == self.run_id, LINE_ITEMS.c.item_id == item_id[:120]
                    )
                ).scalar()
                if kept != cents:
                    log.warning(
                        "line item %s of run %s re-committed with another amount; the first is kept",
                        item_id,
                        self.run_id,
                    )

    def ai_spend(self) -> tuple[Decimal, Decimal | None]:
        """(settled AI spend, AI cap) of the run."""
        if self.ai is None:
            return Decimal("0"), None
        usage = self.ai.run_usage(self.run_id)
        return usage.settled, usage.cap

    # --- reads ------------------------------------------------------------------------------------

    def allocations(self) -> dict[str, Decimal]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(ALLOCATIONS.c.agent, ALLOCATIONS.c.amount_cents).where(
                    ALLOCATIONS.c.run_id == self.run_id
                )
            ).all()
        return {row.agent: cents_to_usd(row.amount_cents) for row in rows}

    def committed_by_agent(self) -> dict[str, Decimal]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(LINE_ITEMS.c.agent, func.sum(LINE_ITEMS.c.amount_cents).label("cents"))
                .where(LINE_ITEMS.c.run_id == self.run_id)
                .group_by(LINE_ITEMS.c.agent)
            ).all()
        return {row.agent: cents_to_usd(int(row.cents)) for row in rows}

    def summary(self) -> dict[str, Any]:
        """The run's business budget by agent: allocated, committed, remaining (USD strings)."""
        allocated = self.allocations()
        committed = self.committed_by_agent()
        with self.engine.connect() as conn:
            row = conn.execute(select(RUN_BUDGETS).where(RUN_BUDGETS.c.run_id == self.run_id)).first()
        by_agent = {
            agent: {
                "allocated": str(allocated.get(agent, Decimal("0.00"))),
                "committed": str(committed.get(agent, Decimal("0.00"))),
                "remaining": str(
                    allocated.get(agent, Decimal("0.00")) - committed.get(agent, Decimal("0.00"))
                ),
            }
            for agent in sorted(set(allocated) | set(committed))
        }
        return {
            "allocated": str(cents_to_usd(row.allocated_cents if row else 0)),
            "approved_overrun": str(cents_to_usd(row.approved_overrun_cents if row else 0)),
            "committed": str(sum(committed.values(), Decimal("0.00"))),
            "by_agent": by_agent,
        }


def record_overrun_decision(
    run: Run,
    user: User,
    decision: str,
    amount: Decimal,
    note: str = "",
    cut: Sequence[Mapping[str, str]] = (),
) -> OverrunDecision:
    """Record an executive's decision on a plan over budget (who, when, how much, why, what was cut); audited.

    An approval raises the run's spending ceiling by the approved amount; so does an edit (fund all
    but the `cut` tasks, [{"id", "title"}]), by the overrun the edited plan still has.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    if amount < 0:
        raise ValueError("an overrun amount cannot be negative")
    cuts = [{"id": str(task["id"]), "title": str(task.get("title") or task["id"])} for task in cut]
    if cuts and decision != "edit":
        raise ValueError("only an edited plan cuts tasks")
    cents = usd_to_cents(amount)
    raises = decision in RAISING
    row = OverrunDecision(
        run_id=run.id,
        org_id=run.org_id,
        user_id=user.id if user else None,
        decision=decision,
        amount_cents=cents,
        note=(note or "")[:2000],
        decided_at=utcnow(),
    )
    db.session.add(row)
    budget = db.session.get(RunBusinessBudget, run.id)
    before = budget.approved_overrun_cents if budget else 0
    if raises:
        if budget is None:
            budget = RunBusinessBudget(run_id=run.id, allocated_cents=0, approved_overrun_cents=0)
            db.session.add(budget)
        budget.approved_overrun_cents = before + cents
    audit.record(
        "run.overrun_decided",
        actor=user,
        target_type="run",
        target_id=run.id,
        org_id=run.org_id,
        before={"approved_overrun_usd": str(cents_to_usd(before))},
        after={
            "decision": decision,
            "amount_usd": str(cents_to_usd(cents)),
            "note": row.note,
            "approved_overrun_usd": str(cents_to_usd(before + (cents if raises else 0))),
            "cut": [task["id"] for task in cuts],
            "cut_titles": [task["title"] for task in cuts],
        },
    )
    db.session.commit()
    return row
