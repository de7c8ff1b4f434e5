"""Reading runs, always scoped to the reader's organisation."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    RowMapping,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    cast,
    func,
    or_,
    select,
)
from sqlalchemy.orm import selectinload

from services.db import db
from services.models import Run, RunStatus, User
from services.pagination import Page, paginate

QUEUE_ORDER = (Run.queued_at, Run.created_at, Run.id)
"""The shared FIFO queue's order (all organisations share the slots)."""


def run_for_org(run_id: object, org_id: int) -> Run | None:
    """The run if it belongs to the organisation; None for any other id (never says which)."""
    return Run.get_by_id_and_org(run_id, org_id)


@dataclass(frozen=True)
class RunFilter:
    status: RunStatus | None = None
    text: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive: the whole day counts


def _filtered(query: Select[Any], org_id: int, filters: RunFilter) -> Select[Any]:
    """The organisation's runs matching status, company/objective text and creation dates."""
    query = query.where(Run.org_id == org_id)
    if filters.status is not None:
        query = query.where(Run.status == filters.status)
    if filters.text:
        needle = filters.text.lower()
        # The brief is JSON; its text form contains the objectives, whatever the backend.
        brief_text = func.lower(cast(Run.brief, String))
        company = func.lower(Run.company_name)
        query = query.where(
            or_(company.contains(needle, autoescape=True), brief_text.contains(needle, autoescape=True))
        )
    bounds = _day_bounds(filters)
    if "start" in bounds:
        query = query.where(Run.created_at >= bounds["start"])
    if "end" in bounds:
        query = query.where(Run.created_at < bounds["end"])
    return query


NEWEST_FIRST = (Run.created_at.desc(), Run.id)


def list_runs(org_id: int, filters: RunFilter, page: int = 1, per_page: int = 20) -> Page[Run]:
    """Newest first, as models (the pages' lists)."""
    query = _filtered(select(Run), org_id, filters).options(selectinload(Run.created_by)).order_by(*NEWEST_FIRST)
    return paginate(query, page=page, per_page=per_page)


# What a run summary shows, under the names the API gives them; no stored report is read.
_SUMMARY_COLUMNS = (
    Run.id, Run.status, Run.company_name, Run.brief, Run.budget_usd, Run.ai_cap_usd, Run.policy,
    Run.provider, Run.model, Run.ai_price_set, Run.pause_reason, Run.pause_payload, Run.error,
    Run.decision_due_at, Run.decision_fallback,
    Run.cancel_requested, Run.last_seq, Run.created_by_id, Run.created_at, Run.queued_at,
    Run.started_at, Run.finished_at, Run.updated_at,
)  # fmt: skip


SummaryShape = Callable[[ColumnElement[Any], ColumnElement[bool]], tuple[Any, ...]]
"""What a summary row holds, given the run's queue position and whether it has a report: the
columns of `summary_columns`, or one JSON object per run written by the database (the API's list,
web/api/run_output.py `run_json_sql`). Runs and their creators (`User`) are joined to select from."""


def summary_columns(
    queue_position: ColumnElement[Any], has_report: ColumnElement[bool]
) -> tuple[Any, ...]:
    """The run's columns, under the names the API gives them, its creator's name and email."""
    return (
        *_SUMMARY_COLUMNS,
        has_report.label("has_report"),
        User.name.label("creator_name"),
        User.email.label("creator_email"),
        queue_position.label("queue_position"),
    )


def _summaries(
    query_filter: Callable[[Select[Any]], Select[Any]], shape: SummaryShape = summary_columns
) -> Select[Any]:
    """One SELECT for run summaries: the run's columns, whether it has a report (without reading
    it: `!= ''` compares lengths first), its creator and its place in the shared queue."""
    queued = _queue_places()
    has_report = and_(Run.report_markdown.is_not(None), Run.report_markdown != "")
    query = (
        select(*shape(queued.c.position, has_report))
        .select_from(Run)
        .outerjoin(User, User.id == Run.created_by_id)
        .outerjoin(queued, queued.c.run_id == Run.id)
    )
    return query_filter(query)


def run_summaries(
    org_id: int, filters: RunFilter, page: int = 1, per_page: int = 20, shape: SummaryShape = summary_columns,
    **values: Any,
) -> tuple[list[RowMapping], int]:
    """A page of summaries, newest first, and how many match in all: one query (the count is a
    window over the filtered rows), and a second only for a page past the end. `values` bind the
    shape's own parameters."""
    values.update(org_id=org_id, offset=(page - 1) * per_page, limit=per_page)
    if filters.text:  # LIKE with SQLAlchemy's autoescape wants the needle itself: built each time
        query = _paged(lambda query: _filtered(query, org_id, filters), shape)
    else:
        by = (filters.status is not None, filters.date_from is not None, filters.date_to is not None)
        query = _summary_page(*by, shape)
        values.update(status=filters.status, **_day_bounds(filters))
    # Core on the session's connection: the same transaction, without the ORM's result layer
    # (a fifth of the query's cost for a page of 50).
    rows = list(db.session.connection().execute(query, values).mappings().all())
    if rows:
        return rows, int(rows[0]["matching"])
    counted = _filtered(select(func.count()).select_from(Run), org_id, filters)
    return rows, int(db.session.scalar(counted) or 0)


_PAGE_IDS: tuple[Any, ...] = (Run.id, func.count().over().label("matching"))


def _paged(query_filter: Callable[[Select[Any]], Select[Any]], shape: SummaryShape) -> Select[Any]:
    """The page's runs picked first (ids only, newest first, counted), then summarised: a shape is
    worked out for the runs on the page, not for every run that matches (a JSON object each)."""
    page = (
        query_filter(select(*_PAGE_IDS))
        .order_by(*NEWEST_FIRST)
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
        .subquery("page")
    )
    summaries = _summaries(lambda query: query.join(page, page.c.id == Run.id), shape)
    return summaries.add_columns(page.c.matching).order_by(*NEWEST_FIRST)


@functools.cache
def _summary_page(by_status: bool, since: bool, until: bool, shape: SummaryShape) -> Select[Any]:
    """The summaries statement for one combination of filters, built once: building and keying a
    statement this size cost more than running it (1 ms of 1.7 for a page of 50 on SQLite)."""

    def narrowed(query: Select[Any]) -> Select[Any]:
        query = query.where(Run.org_id == bindparam("org_id"))
        if by_status:
            query = query.where(Run.status == bindparam("status", type_=Run.status.type))
        if since:
            query = query.where(Run.created_at >= bindparam("start", type_=Run.created_at.type))
        if until:
            query = query.where(Run.created_at < bindparam("end", type_=Run.created_at.type))
        return query

    return _paged(narrowed, shape)


def _day_bounds(filters: RunFilter) -> dict[str, datetime]:
    """The UTC instants the date filters mean: from the first day's start to the last day's end."""
    bounds = {}
    if filters.date_from is not None:
        bounds["start"] = datetime.combine(filters.date_from, time.min, tzinfo=UTC)
    if filters.date_to is not None:
        bounds["end"] = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=UTC)
    return bounds


@functools.cache
def _one_summary() -> Select[Any]:
    return _summaries(lambda query: query.where(Run.org_id == bindparam("org_id"), Run.id == bindparam("run_id")))


def run_summary(org_id: int, run_id: str) -> RowMapping | None:
    """One run's summary (as `run_summaries` gives them), in the organisation."""
    return db.session.connection().execute(_one_summary(), {"org_id": org_id, "run_id": run_id}).mappings().first()


def _queue_places() -> Subquery:
    """Every queued run's 1-based place in the shared FIFO queue (`run_id`, `position`)."""
    return (
        select(Run.id.label("run_id"), func.row_number().over(order_by=QUEUE_ORDER).label("position"))
        .where(Run.status == RunStatus.queued)
        .subquery()
    )


def queue_positions(run_ids: list[str]) -> dict[str, int]:
    """1-based place of each queued run in the FIFO queue (all organisations share the slots)."""
    if not run_ids:
        return {}
    places = _queue_places()
    rows = db.session.execute(select(places.c.run_id, places.c.position).where(places.c.run_id.in_(run_ids))).all()
    return {row.run_id: int(row.position) for row in rows}
