"""Read-only, organisation-scoped lookups the pages need (runs, their events, history pages)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, bindparam, select

from services.db import db
from services.models import Run, RunEvent, RunStatus
from services.pagination import last_page_if_beyond, page_count
from services.runs.queries import RunFilter, list_runs

ACTIVE = (RunStatus.queued, RunStatus.running, RunStatus.paused)
PER_PAGE = 20


# What the dashboard's lists show of a run (templates/dashboard/index.html, runs/_table.html).
_LISTED = (
    Run.id, Run.status, Run.company_name, Run.brief, Run.budget_usd, Run.pause_reason, Run.last_seq, Run.created_at,
)  # fmt: skip


@functools.cache
def _newest_runs(active: bool) -> Select[Any]:
    """The organisation's newest active (or finished) runs, as columns: built once, because
    building a statement and loading models cost more than the query (issue 15)."""
    status = Run.status.in_(ACTIVE) if active else Run.status.not_in(ACTIVE)
    return (
        select(*_LISTED)
        .where(Run.org_id == bindparam("org_id"), status)
        .order_by(Run.created_at.desc())
        .limit(bindparam("limit"))
    )


def active_runs(org_id: int, limit: int = 10) -> list[Row[Any]]:
    return _newest(True, org_id, limit)


def recent_runs(org_id: int, limit: int = 8) -> list[Row[Any]]:
    return _newest(False, org_id, limit)


def _newest(active: bool, org_id: int, limit: int) -> list[Row[Any]]:
    return list(
        db.session.connection().execute(_newest_runs(active), {"org_id": org_id, "limit": limit}).all()
    )


def last_event(run_id: str, type_: str, having: str | None = None) -> dict[str, Any] | None:
    """The data of the newest event of one type (whose data has the key `having`, if given).

    budget.updated comes in two shapes: the engine's business snapshot (`by_agent`) and the AI
    ledger's spend update (`ai` only), so the report asks for the one with `by_agent`.
    """
    events = db.session.scalars(
        select(RunEvent).where(RunEvent.run_id == run_id, RunEvent.type == type_).order_by(RunEvent.seq.desc())
    )
    for event in events:
        if having is None or having in (event.data or {}):
            return event.data
    return None


@dataclass(frozen=True)
class HistoryFilters:
    status: str = ""
    q: str = ""
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1

    def args(self) -> dict[str, str]:
        """The filters as query arguments (for pagination links), without empty ones."""
        values = {
            "status": self.status,
            "q": self.q,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class HistoryPage:
    runs: list[Run]
    total: int
    page: int
    pages: int


def parse_history_args(args: Any) -> tuple[HistoryFilters, dict[str, str]]:
    """Filters from the query string, with a message per field that could not be read."""
    errors: dict[str, str] = {}
    status = args.get("status", "")
    if status and status not in {s.value for s in RunStatus}:
        errors["status"] = "Choose a status from the list."
        status = ""
    dates: dict[str, date | None] = {}
    for name in ("from", "to"):
        raw = args.get(name, "").strip()
        try:
            dates[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            errors[name] = "Use a date like 2026-11-21."
            dates[name] = None
    if dates["from"] and dates["to"] and dates["from"] > dates["to"]:
        errors["to"] = "The end date is before the start date."
    try:
        page = max(1, min(int(args.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    query = args.get("q", "").strip()[:120]
    return HistoryFilters(status, query, dates["from"], dates["to"], page), errors


def history(org_id: int, filters: HistoryFilters, per_page: int = PER_PAGE) -> HistoryPage:
    """One page of the organisation's runs, newest first (a page past the end shows the last)."""
    run_filter = RunFilter(
        status=RunStatus(filters.status) if filters.status else None,
        text=filters.q or None,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    found = last_page_if_beyond(
        lambda number: list_runs(org_id, run_filter, page=number, per_page=per_page), filters.page
    )
    return HistoryPage(found.items, found.total, found.page, page_count(found.total, per_page))
