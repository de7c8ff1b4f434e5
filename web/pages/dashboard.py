"""The dashboard: active runs (live), recent runs and this month's AI spend against the cap.

Its own blueprint, so its endpoints keep the names url_for uses everywhere (`dashboard.index`,
`dashboard.root`); `init_pages` registers it with the other pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import bindparam, func, select
from werkzeug.wrappers import Response

from services.budgets import spend_report
from services.db import db
from services.holdings import holdings
from services.models import Run
from services.provider_settings import get_provider_settings
from web.pages.queries import active_runs, recent_runs

bp = Blueprint("dashboard", __name__)


@dataclass(frozen=True)
class MonthSpend:
    used: Decimal
    cap: Decimal | None  # None: no monthly cap, by an admin's choice
    fraction: float
    days: int
    chart: dict[str, Any]
    offline: bool
    unpriced_runs: int = 0  # runs this month on a model without a price: their spend is unknown


def month_spend(org_id: int, today: date | None = None) -> MonthSpend:
    """Settled AI spend this UTC month, cumulative per day for the chart, against the monthly cap."""
    today = today or datetime.now(UTC).date()
    first = today.replace(day=1)
    since = datetime.combine(first, time.min, tzinfo=UTC)
    until = datetime.combine(today + timedelta(days=1), time.min, tzinfo=UTC)
    report = spend_report(org_id, group_by="day", since=since, until=until)
    usage = holdings().ai_usage().org_usage(org_id)
    by_day = {row.key: row.cost_usd for row in report.rows}
    labels: list[str] = []
    cumulative: list[str] = []
    running = Decimal("0")
    day = first
    while day <= today:
        running += by_day.get(day.isoformat(), Decimal("0"))
        labels.append(day.isoformat())
        cumulative.append(str(running))
        day += timedelta(days=1)
    used = usage.settled
    cap = usage.cap
    if cap is None:  # noqa: SIM108 - an admin chose no monthly cap
        fraction = 0.0
    else:
        fraction = float(min(Decimal("1"), used / cap)) if cap > 0 else 1.0  # a 0 cap leaves no room
    return MonthSpend(
        used=used,
        cap=cap,
        fraction=fraction,
        days=len(report.rows),
        chart={"labels": labels, "cumulative": cumulative, "cap": None if cap is None else str(cap)},
        offline=_provider(org_id) == "offline",
        unpriced_runs=_unpriced_runs(org_id, since, until),
    )


# Built once: the dashboard counts on every view (building a statement costs more than this count).
_UNPRICED_RUNS = (
    select(func.count())
    .select_from(Run)
    .where(
        Run.org_id == bindparam("org_id"),
        Run.ai_price_set.is_(False),
        Run.created_at >= bindparam("since", type_=Run.created_at.type),
        Run.created_at < bindparam("until", type_=Run.created_at.type),
    )
)


def _unpriced_runs(org_id: int, since: datetime, until: datetime) -> int:
    return db.session.scalar(_UNPRICED_RUNS, {"org_id": org_id, "since": since, "until": until}) or 0


def _provider(org_id: int) -> str:
    return get_provider_settings(org_id, holdings().run_service().wiring.environment).effective_provider


@bp.get("/")
def root() -> Response:
    """The first page: the dashboard once logged in, else the login page."""
    return redirect(url_for("dashboard.index" if current_user.is_authenticated else "auth.login"))


@bp.get("/dashboard")
@login_required
def index():  # noqa: ANN201
    org_id = current_user.org_id
    return render_template(
        "dashboard/index.html",
        active=active_runs(org_id),
        recent=recent_runs(org_id),
        spend=month_spend(org_id),
    )
