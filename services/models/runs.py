"""Runs and their stored event log."""

from __future__ import annotations

import enum
import re
import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.db import Model, UTCDateTime, utcnow
from services.models.accounts import User
from services.models.mixins import OrgScoped

# What a run id can look like (new ones are uuid4 hex): anything else is no run, never a query.
RUN_ID_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


class RunStatus(str, enum.Enum):
    queued = "queued"
    running = "running"
    paused = "paused"
    completed = "completed"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (RunStatus.completed, RunStatus.failed, RunStatus.cancelled)


def new_run_id() -> str:
    # Random, not sequential: ids reveal nothing about other runs (access is still checked).
    return uuid.uuid4().hex


class Run(OrgScoped, Model):
    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_status_queued_at", "status", "queued_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_run_id)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    status: Mapped[RunStatus] = mapped_column(
        Enum(RunStatus, native_enum=False, length=16, validate_strings=True), default=RunStatus.queued, index=True
    )
    brief: Mapped[dict[str, Any]] = mapped_column(JSON)
    company_name: Mapped[str] = mapped_column(String(200), default="")  # copied from the brief for search
    budget_usd: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    ai_cap_usd: Mapped[Decimal] = mapped_column(Numeric(14, 6))
    # The quote policy the run was created under (always | over_budget | never; before migration
    # 0011 approve | trim, which the engine still reads as over_budget | never).
    policy: Mapped[str] = mapped_column(String(16), default="over_budget")
    provider: Mapped[str] = mapped_column(String(32), default="offline")
    model: Mapped[str] = mapped_column(String(100), default="offline")
    # False when the model has no price (outside the registry, none configured): spend is unknown.
    ai_price_set: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    pause_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    pause_payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # A decision pause's deadline and what happens when it passes (trim|cancel), stamped at pause
    # time from the organisation's setting (migration 0012, services/runs/deadlines.py).
    decision_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    decision_fallback: Mapped[str | None] = mapped_column(String(8), nullable=True)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    report_markdown: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The StructuredReport JSON (agents/report_model.py): the one source of every figure a report shows.
    # The structured report is tens of kilobytes: loaded only when a report is asked for, not by lists.
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, deferred=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    # The highest event seq handed out; incremented under a row lock so seqs never gap or repeat.
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    # Which process executes the run and when it last said so (dead owners are detected by age).
    owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The run scheduler's queue (migration 0003_live): FIFO by queued_at; the value a paused run
    # resumes with (approval decision, "continue" after a cap was raised) waits here until a
    # process claims the run; recoveries counts restarts after a dead owner (crash-loop guard).
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resume_value: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    recoveries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # last_seq when the run was last recovered: a crash after progress is not a crash loop.
    recovered_at_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    created_by: Mapped[User | None] = relationship()

    @classmethod
    def accepts_id(cls, object_id: object) -> bool:
        return isinstance(object_id, str) and RUN_ID_SHAPE.fullmatch(object_id) is not None


class RunEvent(Model):
    __tablename__ = "run_events"
    __table_args__ = (
        UniqueConstraint("run_id", "seq", name="uq_run_events_run_seq"),
        UniqueConstraint("run_id", "key", name="uq_run_events_run_key"),
        Index("ix_run_events_run_type", "run_id", "type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    # Deterministic id of an event emitted inside a graph node: a node re-run after a resume
    # re-emits the same keys and the duplicates are dropped.
    key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    type: Mapped[str] = mapped_column(String(40))
    phase: Mapped[str | None] = mapped_column(String(20), nullable=True)
    agent: Mapped[str | None] = mapped_column(String(20), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    ts: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
