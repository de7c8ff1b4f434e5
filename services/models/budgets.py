"""Budget tables: organisation budget settings, the AI-spend ledger and the business-budget ledger.

Ledger money is stored as integers (AI spend in micro-dollars, business money in cents): exact on
SQLite and PostgreSQL alike, and SQL sums of integers cannot drift the way floats do.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from services.db import Model, UTCDateTime, utcnow


class OrgBudgetSettings(Model):
    """An organisation's caps and alert thresholds; absent until an admin first saves them."""

    __tablename__ = "org_budget_settings"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    monthly_ai_cap_usd: Mapped[Decimal] = mapped_column(Numeric(14, 6))
    # An admin's explicit "no monthly cap" (the amount above is then kept but not enforced); a cap of
    # 0 is a cap of zero, never "no cap".
    no_monthly_ai_cap: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    run_ai_cap_default_usd: Mapped[Decimal] = mapped_column(Numeric(14, 6))
    run_ai_cap_max_usd: Mapped[Decimal] = mapped_column(Numeric(14, 6))
    run_budget_max_usd: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    agent_share_caps: Mapped[dict[str, str]] = mapped_column(JSON)  # agent -> percent, as strings
    thresholds: Mapped[list[int]] = mapped_column(JSON)
    # always | over_budget | never (services/budgets/quote_policy.py); the older overrun_policy
    # column became this one in migration 0011 (approve → over_budget, trim → never).
    quote_policy: Mapped[str] = mapped_column(String(16), default="over_budget", server_default="over_budget")
    # How long a decision may wait (NULL: no deadline) and what then happens to the run.
    decision_deadline_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decision_fallback: Mapped[str | None] = mapped_column(String(8), nullable=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AICall(Model):
    """One metered LLM call: its reservation, then its settlement or release."""

    __tablename__ = "ai_calls"
    __table_args__ = (
        UniqueConstraint("run_id", "call_key", name="uq_ai_calls_run_call"),
        Index("ix_ai_calls_org_created", "org_id", "created_at"),
        Index("ix_ai_calls_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    call_key: Mapped[str] = mapped_column(String(200))
    agent: Mapped[str] = mapped_column(String(40), default="")
    prompt: Mapped[str] = mapped_column(String(80), default="")
    provider: Mapped[str] = mapped_column(String(32), default="")
    model: Mapped[str] = mapped_column(String(100), default="")
    month: Mapped[str] = mapped_column(String(7))  # UTC "YYYY-MM" the call counts against
    status: Mapped[str] = mapped_column(String(16))  # reserved | settled | released
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    reserved_micros: Mapped[int] = mapped_column(BigInteger)
    settled_micros: Mapped[int] = mapped_column(BigInteger, default=0)
    cached: Mapped[bool] = mapped_column(Boolean, default=False)
    # The server reported no usage: the token counts (and the cost) are Catalyst's estimate.
    usage_estimated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    error: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A settled call's validated output and its request's fingerprint: a node that re-runs after a
    # crash gets this answer back instead of paying for the same question twice.
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class AIRunSpend(Model):
    """Running totals of one run's AI spend; its row lock serialises the run's reservations."""

    __tablename__ = "ai_run_spend"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    reserved_micros: Mapped[int] = mapped_column(BigInteger, default=0)
    settled_micros: Mapped[int] = mapped_column(BigInteger, default=0)


class AIOrgMonthSpend(Model):
    """Running totals of an organisation's AI spend in one UTC month, locked like `AIRunSpend`."""

    __tablename__ = "ai_org_month_spend"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    reserved_micros: Mapped[int] = mapped_column(BigInteger, default=0)
    settled_micros: Mapped[int] = mapped_column(BigInteger, default=0)


class AIThresholdClaim(Model):
    """Which run announces an organisation's threshold level in a month (so it is announced once)."""

    __tablename__ = "ai_threshold_claims"

    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RunBusinessBudget(Model):
    """A run's allocated total and any overrun an executive approved on top of its budget."""

    __tablename__ = "run_business_budgets"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    allocated_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    approved_overrun_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BudgetAllocation(Model):
    """The share of a run's business budget allocated to one agent."""

    __tablename__ = "budget_allocations"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), primary_key=True)
    agent: Mapped[str] = mapped_column(String(40), primary_key=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class BudgetLineItem(Model):
    """A line item an agent committed against its allocation (idempotent by item id per run)."""

    __tablename__ = "budget_line_items"
    __table_args__ = (UniqueConstraint("run_id", "item_id", name="uq_budget_line_items_run_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(120))
    agent: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(500))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OverrunDecision(Model):
    """An executive's decision on a plan over budget: who, when, how much, and why."""

    __tablename__ = "budget_overrun_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decision: Mapped[str] = mapped_column(String(16))  # approve | reject
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "run_id": self.run_id,
            "user_id": self.user_id,
            "decision": self.decision,
            "amount_usd": str((Decimal(self.amount_cents) / 100).quantize(Decimal("0.01"))),
            "note": self.note,
            "decided_at": self.decided_at.isoformat(),
        }
