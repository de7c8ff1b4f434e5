"""What the AI-spend ledger keeps and reports (services/budgets/ai_ledger.py writes it).

Its tables, the records its operations return (`CallRecord`, with both scopes' `ScopeUsage`), the
refusals it raises (`CapReached`, `UnknownCall`, `UnknownRun`), and the reads: a run's usage, an
organisation's month, whether a run's tokens were estimated, the answer a settled call kept.
Amounts are integers of micro-dollars in storage, `Decimal` dollars here (see `money`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, bindparam, or_, select

from agents.ports import AIBudgetExhausted
from services.budgets.money import MICRO, micros_to_usd, month_of
from services.db import connected, table_of, utcnow
from services.models import Organisation, Run
from services.models.budgets import AICall, AIOrgMonthSpend, AIRunSpend, AIThresholdClaim, OrgBudgetSettings

CALLS = table_of(AICall)
RUN_SPEND = table_of(AIRunSpend)
ORG_SPEND = table_of(AIOrgMonthSpend)
CLAIMS = table_of(AIThresholdClaim)
ORG_SETTINGS = table_of(OrgBudgetSettings)
RUNS = table_of(Run)
ORGS = table_of(Organisation)

RESERVED, SETTLED, RELEASED = "reserved", "settled", "released"


@dataclass(frozen=True)
class ScopeUsage:
    """AI spend against one cap: the run's, or the organisation's for one month."""

    scope: str  # "run" | "org"
    settled: Decimal
    reserved: Decimal
    cap: Decimal | None  # None: an admin chose no monthly cap (a run always has a cap)
    month: str | None = None

    @property
    def committed(self) -> Decimal:
        """What counts against the cap: settled spend plus reservations of calls in flight."""
        return self.settled + self.reserved

    def to_json(self) -> dict[str, Any]:
        data = {
            "used": str(self.settled),
            "reserved": str(self.reserved),
            "cap": None if self.cap is None else str(self.cap.quantize(MICRO)),
        }
        if self.month:
            data["month"] = self.month
        return data


@dataclass(frozen=True)
class CallRecord:
    """A call's ledger row after an operation, with both scopes' usage at that moment."""

    call_key: str
    status: str
    reserved: Decimal
    settled: Decimal
    month: str
    fresh: bool  # False when the operation was a repeat that changed nothing
    run: ScopeUsage
    org: ScopeUsage


@dataclass(frozen=True)
class StoredAnswer:
    """What a settled call answered and cost, as the ledger kept it."""

    call_key: str
    answer: dict[str, Any]
    provider: str
    model: str
    input_tokens: int
    output_tokens: int
    cost: Decimal


class CapReached(AIBudgetExhausted):
    """A reservation refused because it would pass a cap; carries both scopes' usage."""

    def __init__(
        self, scope: str, usage: ScopeUsage, *, requested: Decimal, run: ScopeUsage, org: ScopeUsage
    ):
        super().__init__(scope, usage.committed, usage.cap)
        self.requested = requested
        self.run = run
        self.org = org


class UnknownCall(LookupError):
    """Settling or releasing a call that was never reserved."""


class UnknownRun(LookupError):
    """The run does not exist, so nothing can be reserved for it."""


@dataclass
class Counters:
    reserved: int
    settled: int


# An organisation's counters for one month and its monthly cap, in one statement built once
# (bound: org_id, month): the dashboard reads it on every view.
_ORG_MONTH = (
    select(ORG_SPEND.c.reserved_micros, ORG_SPEND.c.settled_micros, ORG_SETTINGS.c.org_id.label("settings_org"),
           ORG_SETTINGS.c.monthly_ai_cap_usd, ORG_SETTINGS.c.no_monthly_ai_cap)
    .select_from(
        ORGS.outerjoin(ORG_SPEND, and_(ORG_SPEND.c.org_id == ORGS.c.id, ORG_SPEND.c.month == bindparam("month")))
        .outerjoin(ORG_SETTINGS, ORG_SETTINGS.c.org_id == ORGS.c.id)
    )
    .where(ORGS.c.id == bindparam("org_id"))
)  # fmt: skip


class LedgerReads:
    """The ledger's queries that change nothing: caps and counters (which its operations read under
    their locks), and the usage and stored answers that pages, the API and resumed runs ask for."""

    def __init__(
        self,
        engine: Engine,
        *,
        default_monthly_cap: Decimal,
        clock: Callable[[], datetime] = utcnow,
        reads_on: Connection | None = None,
    ):
        self.engine = engine
        # Where the usage reads run: the engine, or a request's own connection (`services/db.py connected`).
        self.reads: Engine | Connection = reads_on if reads_on is not None else engine
        self.default_monthly_cap = default_monthly_cap
        self._clock = clock

    def _caps(self, conn: Connection, run_id: str) -> tuple[int, Decimal, Decimal | None]:
        """(org id, run cap, org monthly cap or None for none) in one query."""
        row = conn.execute(
            select(
                RUNS.c.org_id, RUNS.c.ai_cap_usd, ORG_SETTINGS.c.monthly_ai_cap_usd,
                ORG_SETTINGS.c.no_monthly_ai_cap,
            )
            .select_from(RUNS.outerjoin(ORG_SETTINGS, ORG_SETTINGS.c.org_id == RUNS.c.org_id))
            .where(RUNS.c.id == run_id)
        ).first()  # fmt: skip
        if row is None:
            raise UnknownRun(f"no run {run_id!r}")
        org_cap = self._monthly(row.monthly_ai_cap_usd, row.no_monthly_ai_cap)
        return row.org_id, Decimal(row.ai_cap_usd), org_cap

    def _org_month(self, conn: Connection, org_id: int, month: str) -> tuple[Counters, Decimal | None]:
        """The organisation's counters for `month` and its monthly cap, in one statement (from its
        row, which always exists): a page showing the month's spend made one round trip for each."""
        row = conn.execute(_ORG_MONTH, {"org_id": org_id, "month": month}).first()
        if row is None:  # no such organisation: nothing spent, the default cap
            return Counters(0, 0), self.default_monthly_cap
        counters = Counters(row.reserved_micros or 0, row.settled_micros or 0)
        if row.settings_org is None:
            return counters, self.default_monthly_cap
        return counters, self._monthly(row.monthly_ai_cap_usd, row.no_monthly_ai_cap)

    def _monthly(self, cap: Any, none_chosen: bool | None) -> Decimal | None:
        if none_chosen:
            return None
        return self.default_monthly_cap if cap is None else Decimal(cap)

    def _call(self, conn: Connection, run_id: str, call_key: str) -> Any:
        return conn.execute(
            select(CALLS).where(CALLS.c.run_id == run_id, CALLS.c.call_key == call_key)
        ).first()

    def _counters(self, conn: Connection, table: Table, key: dict[str, Any]) -> Counters:
        row = conn.execute(
            select(table.c.reserved_micros, table.c.settled_micros).where(
                *(table.c[name] == value for name, value in key.items())
            )
        ).first()
        return Counters(row.reserved_micros, row.settled_micros) if row else Counters(0, 0)

    @staticmethod
    def _usage(scope: str, counters: Counters, cap: Decimal | None, month: str | None = None) -> ScopeUsage:
        return ScopeUsage(
            scope=scope,
            settled=micros_to_usd(counters.settled),
            reserved=micros_to_usd(counters.reserved),
            cap=cap,
            month=month,
        )

    def run_usage(self, run_id: str) -> ScopeUsage:
        """The run's AI spend against its cap."""
        with connected(self.reads) as conn:
            _, cap, _ = self._caps(conn, run_id)
            return self._usage("run", self._counters(conn, RUN_SPEND, {"run_id": run_id}), cap)

    def usage_estimated(self, run_id: str) -> bool:
        """True when a call of the run had no usage from its server (its tokens are our estimate)."""
        with connected(self.reads) as conn:
            found = conn.execute(
                select(CALLS.c.id).where(CALLS.c.run_id == run_id, CALLS.c.usage_estimated.is_(True)).limit(1)
            ).first()
        return found is not None

    def org_usage(self, org_id: int, month: str | None = None) -> ScopeUsage:
        """The organisation's AI spend in a UTC month (default: this month) against its cap."""
        month = month or month_of(self._clock())
        with connected(self.reads) as conn:
            counters, cap = self._org_month(conn, org_id, month)
            return self._usage("org", counters, cap, month)

    def stored_answer(self, run_id: str, call_id: str) -> StoredAnswer | None:
        """The latest settled attempt of a call (`call_id` or `call_id#n`) that kept its answer."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    CALLS.c.call_key, CALLS.c.answer, CALLS.c.provider, CALLS.c.model, CALLS.c.input_tokens,
                    CALLS.c.output_tokens, CALLS.c.settled_micros,
                )
                .where(
                    CALLS.c.run_id == run_id,
                    or_(
                        CALLS.c.call_key == call_id,
                        CALLS.c.call_key.startswith(f"{call_id}#", autoescape=True),
                    ),
                    CALLS.c.status == SETTLED,
                    CALLS.c.answer.is_not(None),
                )
                .order_by(CALLS.c.id.desc())
                .limit(1)
            ).first()  # fmt: skip
        if row is None or not isinstance(row.answer, dict):
            return None
        return StoredAnswer(
            call_key=row.call_key, answer=row.answer, provider=row.provider, model=row.model,
            input_tokens=row.input_tokens,
            output_tokens=row.output_tokens, cost=micros_to_usd(row.settled_micros),
        )  # fmt: skip
