"""Reading runs, always scoped to the reader's organisation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from services.db import db
from services.models import Run, RunStatus
from services.pagination import Page, paginate


def run_for_org(run_id: object, org_id: int) -> Run | None:
    """The run if it belongs to the organisation; None for any other id (never says which)."""
    return Run.get_by_id_and_org(run_id, org_id)


@dataclass(frozen=True)
class RunFilter:
    status: RunStatus | None = None
    text: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive: the whole day counts


def list_runs(org_id: int, filters: RunFilter, page: int = 1, per_page: int = 20) -> Page[Run]:
    """Newest first, filtered by status, company/objective text and creation dates."""
    query = select(Run).where(Run.org_id == org_id)
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
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time.min, tzinfo=UTC)
        query = query.where(Run.created_at >= start)
    if filters.date_to is not None:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        query = query.where(Run.created_at < end)
    return paginate(
        query.options(selectinload(Run.created_by)).order_by(Run.created_at.desc(), Run.id),
        page=page,
        per_page=per_page,
    )


def queue_positions(run_ids: list[str]) -> dict[str, int]:
    """1-based place of each queued run in the FIFO queue (all organisations share the slots)."""
    if not run_ids:
        return {}
    queued = select(Run.id, Run.queued_at, Run.created_at).where(Run.status == RunStatus.queued).subquery()
    order = (queued.c.queued_at, queued.c.created_at, queued.c.id)
    position = func.row_number().over(order_by=order).label("position")
    ranked = select(queued.c.id, position).subquery()
    rows = db.session.execute(select(ranked.c.id, ranked.c.position).where(ranked.c.id.in_(run_ids))).all()
    return {row.id: int(row.position) for row in rows}
