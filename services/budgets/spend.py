"""AI-spend reporting: settled calls of an organisation grouped by day, run, agent, model or user.

Sums are taken in SQL over integer micro-dollars and turned into `Decimal` once, so a report's
total is exactly the sum of the settled calls' costs (never a float along the way).
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, bindparam, func, literal, select
from sqlalchemy.orm import QueryableAttribute

from services.budgets.money import micros_to_usd
from services.db import db
from services.models import Run, User
from services.models.budgets import AICall

GroupBy = Literal["day", "run", "agent", "model", "user"]
GROUPS: tuple[str, ...] = ("day", "run", "agent", "model", "user")
CSV_HEADER = ("group_by", "key", "label", "calls", "input_tokens", "output_tokens", "cost_usd")
# Spreadsheets run cells starting with these as formulas; a company name must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A grouping's key or label: a model column or an SQL expression.
_Column = QueryableAttribute[Any] | ColumnElement[Any]


@dataclass(frozen=True)
class SpendRow:
    key: str
    label: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "calls": self.calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": str(self.cost_usd),
        }


@dataclass(frozen=True)
class SpendReport:
    group_by: str
    since: datetime | None
    until: datetime | None
    rows: list[SpendRow]
    total_usd: Decimal
    calls: int
    input_tokens: int
    output_tokens: int

    def to_json(self) -> dict[str, Any]:
        return {
            "group_by": self.group_by,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
            "rows": [row.to_json() for row in self.rows],
            "total": {
                "calls": self.calls,
                "input_tokens": self.input_tokens,
                "output_tokens": self.output_tokens,
                "cost_usd": str(self.total_usd),
            },
        }

    def to_csv(self) -> str:
        """One header row, then one row per group (no total row: summing the column gives it)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for row in self.rows:
            writer.writerow(
                (
                    self.group_by,
                    _cell(row.key),
                    _cell(row.label),
                    row.calls,
                    row.input_tokens,
                    row.output_tokens,
                    row.cost_usd,
                )
            )
        return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _day(column: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.date(column)  # SQLite keeps UTC timestamps as ISO text


def _grouping(group_by: str, dialect: str) -> tuple[_Column, _Column, list[tuple[Any, Any]]]:
    """(key expression, label expression, outer joins) of a grouping."""
    if group_by == "day":
        day = _day(AICall.created_at, dialect)
        return day, day, []
    if group_by == "run":
        return AICall.run_id, func.coalesce(Run.company_name, ""), [(Run, Run.id == AICall.run_id)]
    if group_by == "agent":
        return AICall.agent, AICall.agent, []
    if group_by == "model":
        return AICall.model, AICall.provider, []
    if group_by == "user":
        return (
            func.coalesce(AICall.user_id, literal(0)),
            func.coalesce(User.email, "system"),
            [(User, User.id == AICall.user_id)],
        )
    raise ValueError(f"group_by must be one of {', '.join(GROUPS)}")


@functools.cache
def _spend_query(dialect: str, group_by: str, since: bool, until: bool) -> Select[Any, Any, int, int, int, int]:
    """The statement of one kind of report, built once (bound: org_id, since, until): the dashboard
    asks for one on every view, and building it cost more than running it. An unknown grouping
    raises from `_grouping`, and nothing is cached for it."""
    key, label, joins = _grouping(group_by, dialect)
    query = select(
        key.label("key"),
        label.label("label"),
        func.count(AICall.id).label("calls"),
        func.coalesce(func.sum(AICall.input_tokens), 0).label("input_tokens"),
        func.coalesce(func.sum(AICall.output_tokens), 0).label("output_tokens"),
        func.coalesce(func.sum(AICall.settled_micros), 0).label("micros"),
    ).select_from(AICall)
    for target, on in joins:
        query = query.outerjoin(target, on)
    query = query.where(AICall.org_id == bindparam("org_id"), AICall.status == "settled")
    if since:
        query = query.where(AICall.created_at >= bindparam("since", type_=AICall.created_at.type))
    if until:
        query = query.where(AICall.created_at < bindparam("until", type_=AICall.created_at.type))
    return query.group_by(key, label).order_by(key)


def spend_report(
    org_id: int, *, group_by: str = "day", since: datetime | None = None, until: datetime | None = None
) -> SpendReport:
    """Settled AI spend of an organisation in [since, until), grouped by `group_by`."""
    query = _spend_query(db.engine.dialect.name, group_by, since is not None, until is not None)
    values: dict[str, Any] = {"org_id": org_id}
    if since is not None:
        values["since"] = since
    if until is not None:
        values["until"] = until
    result = db.session.execute(query, values).all()
    rows = [
        SpendRow(
            key=str(row.key),
            label=str(row.label or ""),
            calls=int(row.calls),
            input_tokens=int(row.input_tokens),
            output_tokens=int(row.output_tokens),
            cost_usd=micros_to_usd(int(row.micros)),
        )
        for row in result
    ]
    return SpendReport(
        group_by=group_by,
        since=since,
        until=until,
        rows=rows,
        total_usd=micros_to_usd(sum(int(row.micros) for row in result)),
        calls=sum(row.calls for row in rows),
        input_tokens=sum(row.input_tokens for row in rows),
        output_tokens=sum(row.output_tokens for row in rows),
    )
