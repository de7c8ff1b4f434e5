"""The AI-spend ledger: a reservation before every LLM call, a settlement (or release) after it.

A reservation holds the call's upper-bound cost against the run's AI cap and the organisation's
monthly cap *at once*; the settlement replaces it with the real cost from the usage and frees the
rest. Every operation is idempotent by call key (a retried reserve, settle or release changes
nothing), and a call that would pass either cap is refused before it starts (`CapReached`, an
`AIBudgetExhausted`).

Why row-locked SQL and not a Redis Lua script:
- One durable source of truth. The call rows the caps are checked against are the rows the spend
  report sums, so the report matches the caps to the micro-dollar; no Redis counter to reconcile
  with the database after a crash or an eviction.
- It works in the embedded default (SQLite, no Redis) with the same code.
- It is correct across processes on PostgreSQL. Each counter (the run's, the organisation's for
  the UTC month) changes in one conditional `UPDATE … WHERE reserved + settled + amount <= cap
  RETURNING …`: the check and the increment are one statement under the row's lock, and both
  counters change in one transaction, so either both scopes accept a call or neither does. Every
  operation takes its locks in the same order (call row, run counter, organisation counter), so
  racing calls serialise per run and per organisation without deadlocks. On SQLite
  `BEGIN IMMEDIATE` takes the write lock before the first statement, so nothing interleaves.
- The price is about five round trips per operation: milliseconds, against calls of seconds
  (`bench/ledger.py` measures it).

Amounts are integers of micro-dollars (see `money`): reservations and settlements round up, so
rounding never lets spend pass a cap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from services.budgets.ai_usage import (
    CALLS,
    CLAIMS,
    ORG_SPEND,
    RELEASED,
    RESERVED,
    RUN_SPEND,
    RUNS,
    SETTLED,
    CallRecord,
    CapReached,
    Counters,
    LedgerReads,
    ScopeUsage,
    UnknownCall,
)
from services.budgets.money import micros_to_usd, month_of, usd_to_micros
from services.db import utcnow
from services.models import RunStatus

log = logging.getLogger(__name__)


class AILedger(LedgerReads):
    """Row-locked AI-spend accounting over a SQLAlchemy engine (no Flask needed): reservations,
    settlements and releases; the reads it shares with reports are `LedgerReads`'."""

    def __init__(
        self,
        engine: Engine,
        *,
        default_monthly_cap: Decimal,
        clock: Callable[[], datetime] = utcnow,
    ):
        super().__init__(engine, default_monthly_cap=default_monthly_cap, clock=clock)
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    # --- transactions and locks -------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                # Take the write lock before reading, so no other writer can slip in between.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def _take(
        self,
        conn: Connection,
        table: Table,
        key: dict[str, Any],
        extra: dict[str, Any],
        amount: int,
        cap: int | None,
    ) -> Counters | None:
        """Add `amount` to a counter's reservations if that keeps it within `cap` (None: no cap)."""
        where = [table.c[name] == value for name, value in key.items()]
        within = [] if cap is None else [table.c.reserved_micros + table.c.settled_micros + amount <= cap]
        take = (
            update(table)
            .where(*where, *within)
            .values(reserved_micros=table.c.reserved_micros + amount)
            .returning(table.c.reserved_micros, table.c.settled_micros)
        )
        row = conn.execute(take).first()
        if row is None:
            # Maybe the scope's first call: make sure its counter exists, then try once more. Not
            # "if no counter is visible": on PostgreSQL another transaction's counter can become
            # visible between the two statements, and the cap was then refused for nothing.
            conn.execute(
                self._insert(table)
                .values(**key, **extra, reserved_micros=0, settled_micros=0)
                .on_conflict_do_nothing()
            )
            row = conn.execute(take).first()
        return Counters(row.reserved_micros, row.settled_micros) if row else None

    def _add(
        self, conn: Connection, table: Table, key: dict[str, Any], *, reserved: int, settled: int
    ) -> Counters:
        row = conn.execute(
            update(table)
            .where(*(table.c[name] == value for name, value in key.items()))
            .values(
                reserved_micros=table.c.reserved_micros + reserved,
                settled_micros=table.c.settled_micros + settled,
            )
            .returning(table.c.reserved_micros, table.c.settled_micros)
        ).one()
        return Counters(row.reserved_micros, row.settled_micros)

    def _unchanged(
        self, conn: Connection, call: Any, run_cap: Decimal, org_cap: Decimal | None
    ) -> CallRecord:
        """The record of a repeated operation, which changed nothing."""
        run = self._counters(conn, RUN_SPEND, {"run_id": call.run_id})
        org = self._counters(conn, ORG_SPEND, {"org_id": call.org_id, "month": call.month})
        return CallRecord(
            call_key=call.call_key,
            status=call.status,
            reserved=micros_to_usd(call.reserved_micros),
            settled=micros_to_usd(call.settled_micros),
            month=call.month,
            fresh=False,
            run=self._usage("run", run, run_cap),
            org=self._usage("org", org, org_cap, call.month),
        )

    # --- operations ---------------------------------------------------------------------------

    def reserve(
        self,
        run_id: str,
        call_key: str,
        amount: Decimal,
        *,
        user_id: int | None = None,
        agent: str = "",
        prompt: str = "",
        provider: str = "",
        model: str = "",
    ) -> CallRecord:
        """Hold `amount` for a call, or raise `CapReached` if it would pass the run or org cap."""
        wanted = usd_to_micros(amount)
        if wanted < 0:
            raise ValueError("a reservation cannot be negative")
        with self._transaction() as conn:
            org_id, run_cap, org_cap = self._caps(conn, run_id)
            now = self._clock()
            month = month_of(now)
            created = conn.execute(
                self._insert(CALLS)
                .values(
                    org_id=org_id, run_id=run_id, user_id=user_id, call_key=call_key, agent=agent[:40],
                    prompt=prompt[:80], provider=provider[:32], model=model[:100], month=month,
                    status=RESERVED, input_tokens=0, output_tokens=0, reserved_micros=wanted,
                    settled_micros=0, cached=False, created_at=now,
                )
                .on_conflict_do_nothing()
                .returning(CALLS.c.id)
            ).first()  # fmt: skip
            if created is None:  # a repeat: the call already has its row
                return self._unchanged(conn, self._call(conn, run_id, call_key), run_cap, org_cap)
            org_key = {"org_id": org_id, "month": month}
            run = self._take(
                conn, RUN_SPEND, {"run_id": run_id}, {"org_id": org_id}, wanted, usd_to_micros(run_cap)
            )
            org = (
                None
                if run is None
                else self._take(
                    conn, ORG_SPEND, org_key, {}, wanted, None if org_cap is None else usd_to_micros(org_cap)
                )
            )
            if run is None or org is None:
                # Read before the rollback undoes this transaction's own changes: as others see it.
                conn.rollback()
                run_usage = self._usage("run", self._counters(conn, RUN_SPEND, {"run_id": run_id}), run_cap)
                org_usage = self._usage("org", self._counters(conn, ORG_SPEND, org_key), org_cap, month)
                scope, usage = ("run", run_usage) if run is None else ("org", org_usage)
                raise CapReached(scope, usage, requested=micros_to_usd(wanted), run=run_usage, org=org_usage)
            return CallRecord(
                call_key=call_key,
                status=RESERVED,
                reserved=micros_to_usd(wanted),
                settled=micros_to_usd(0),
                month=month,
                fresh=True,
                run=self._usage("run", run, run_cap),
                org=self._usage("org", org, org_cap, month),
            )

    def _finish(
        self, conn: Connection, run_id: str, call_key: str, values: dict[str, Any]
    ) -> tuple[Any, int] | None:
        """Move a call out of `reserved` (or `released`, for a late settlement); (row, amount held)."""
        for status in (RESERVED, RELEASED) if values["status"] == SETTLED else (RESERVED,):
            row = conn.execute(
                update(CALLS)
                .where(CALLS.c.run_id == run_id, CALLS.c.call_key == call_key, CALLS.c.status == status)
                .values(**values)
                .returning(*CALLS.c)
            ).first()
            if row is not None:
                return row, row.reserved_micros if status == RESERVED else 0
        return None

    def settle(
        self,
        run_id: str,
        call_key: str,
        cost: Decimal,
        *,
        input_tokens: int = 0,
        output_tokens: int = 0,
        provider: str | None = None,
        model: str | None = None,
        cached: bool = False,
        error: str | None = None,
        answer: dict[str, Any] | None = None,
        usage_estimated: bool = False,
    ) -> CallRecord:
        """Record the real cost of a reserved call and free the rest of its reservation.

        `answer` (the call's output and request fingerprint) is kept for `stored_answer`.
        """
        spent = usd_to_micros(cost)
        if spent < 0:
            raise ValueError("a cost cannot be negative")
        values: dict[str, Any] = {
            "status": SETTLED,
            "settled_micros": spent,
            "input_tokens": max(0, input_tokens),
            "output_tokens": max(0, output_tokens),
            "cached": cached,
            "usage_estimated": usage_estimated,
            "error": error[:64] if error else None,
            "finished_at": self._clock(),
            "answer": answer,
        }
        if provider:
            values["provider"] = provider[:32]
        if model:
            values["model"] = model[:100]
        with self._transaction() as conn:
            _, run_cap, org_cap = self._caps(conn, run_id)
            finished = self._finish(conn, run_id, call_key, values)
            if finished is None:
                call = self._call(conn, run_id, call_key)
                if call is None:
                    raise UnknownCall(f"call {call_key!r} of run {run_id} was never reserved")
                return self._unchanged(conn, call, run_cap, org_cap)
            # A call released as stale that finishes after all still spent its money.
            call, held = finished
            run = self._add(conn, RUN_SPEND, {"run_id": run_id}, reserved=-held, settled=spent)
            org = self._add(
                conn, ORG_SPEND, {"org_id": call.org_id, "month": call.month}, reserved=-held, settled=spent
            )
            return self._record(
                call, run=self._usage("run", run, run_cap), org=self._usage("org", org, org_cap, call.month)
            )

    def release(self, run_id: str, call_key: str, *, error: str | None = None) -> CallRecord | None:
        """Free a reservation whose call did not happen or failed without cost; None if unknown."""
        values = {"status": RELEASED, "error": error[:64] if error else None, "finished_at": self._clock()}
        with self._transaction() as conn:
            _, run_cap, org_cap = self._caps(conn, run_id)
            finished = self._finish(conn, run_id, call_key, values)
            if finished is None:
                call = self._call(conn, run_id, call_key)
                return None if call is None else self._unchanged(conn, call, run_cap, org_cap)
            call, held = finished
            run = self._add(conn, RUN_SPEND, {"run_id": run_id}, reserved=-held, settled=0)
            org = self._add(
                conn, ORG_SPEND, {"org_id": call.org_id, "month": call.month}, reserved=-held, settled=0
            )
            return self._record(
                call, run=self._usage("run", run, run_cap), org=self._usage("org", org, org_cap, call.month)
            )

    @staticmethod
    def _record(call: Any, *, run: ScopeUsage, org: ScopeUsage) -> CallRecord:
        return CallRecord(
            call_key=call.call_key,
            status=call.status,
            reserved=micros_to_usd(call.reserved_micros),
            settled=micros_to_usd(call.settled_micros),
            month=call.month,
            fresh=True,
            run=run,
            org=org,
        )

    def release_open(self, run_id: str, *, error: str = "run_finished") -> int:
        """Release every reservation a run still holds (the run ended or its process died)."""
        with self.engine.connect() as conn:
            keys = (
                conn.execute(
                    select(CALLS.c.call_key).where(CALLS.c.run_id == run_id, CALLS.c.status == RESERVED)
                )
                .scalars()
                .all()
            )
        released = sum(
            1 for key in keys if (record := self.release(run_id, key, error=error)) and record.fresh
        )
        if released:
            log.info("released %d open AI reservation(s) of run %s", released, run_id)
        return released

    def release_stale(self, older_than: timedelta, *, error: str = "stale") -> int:
        """Release reservations older than `older_than`, left behind by processes that died."""
        cutoff = self._clock() - older_than
        with self.engine.connect() as conn:
            stale = conn.execute(
                select(CALLS.c.run_id, CALLS.c.call_key).where(
                    CALLS.c.status == RESERVED, CALLS.c.created_at < cutoff
                )
            ).all()
        released = sum(
            1
            for row in stale
            if (record := self.release(row.run_id, row.call_key, error=error)) and record.fresh
        )
        if released:
            log.warning("released %d stale AI reservation(s)", released)
        return released

    def release_finished(self) -> int:
        """Release reservations still held by runs that ended (their process died mid-call)."""
        finished = [status for status in RunStatus if status.finished]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(CALLS.c.run_id, CALLS.c.call_key)
                .join(RUNS, RUNS.c.id == CALLS.c.run_id)
                .where(CALLS.c.status == RESERVED, RUNS.c.status.in_(finished))
            ).all()
        return sum(
            1
            for row in rows
            if (record := self.release(row.run_id, row.call_key, error="run_finished")) and record.fresh
        )

    def claim_org_threshold(self, org_id: int, month: str, level: int, run_id: str) -> bool:
        """Make `run_id` the announcer of an org threshold level, unless another run already is."""
        with self._transaction() as conn:
            conn.execute(
                self._insert(CLAIMS)
                .values(org_id=org_id, month=month, level=level, run_id=run_id, created_at=self._clock())
                .on_conflict_do_nothing()
            )
            owner = conn.execute(
                select(CLAIMS.c.run_id).where(
                    CLAIMS.c.org_id == org_id, CLAIMS.c.month == month, CLAIMS.c.level == level
                )
            ).scalar_one()
        return owner == run_id
