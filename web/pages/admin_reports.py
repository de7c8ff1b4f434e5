"""Admin pages that read: the spend report (chart, table, CSV) and the audit log with filters."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from services.budgets import audit_entries, spend_report
from services.db import db
from services.models import AuditEntry
from services.pagination import last_page_if_beyond, page_count
from web.pages import admin_bp
from web.permissions import require_admin

GROUPS = [("day", "Day"), ("run", "Run"), ("agent", "Agent"), ("model", "Model"), ("user", "User")]
AUDIT_PER_PAGE = 50


def _date_arg(name: str, errors: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = "Use a date like 2026-11-21."
        return None


def _utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@admin_bp.get("/spend")
@require_admin
def spend():  # noqa: ANN201
    errors: dict[str, str] = {}
    today = datetime.now(UTC).date()
    date_from = _date_arg("from", errors) or today.replace(day=1)
    date_to = _date_arg("to", errors) or today
    group_by = request.args.get("group_by", "day")
    if group_by not in dict(GROUPS):
        errors["group_by"] = "Choose how to group the spend."
        group_by = "day"
    if date_from > date_to:
        errors["to"] = "The end date is before the start date."
        date_to = date_from
    report = spend_report(
        current_user.org_id, group_by=group_by, since=_utc(date_from), until=_utc(date_to + timedelta(days=1))
    )
    query = {"from": date_from.isoformat(), "to": date_to.isoformat(), "group_by": group_by}
    rows = [
        {
            "key": row.key,
            "label": _label(group_by, row.key, row.label),
            "calls": row.calls,
            "tokens": row.input_tokens + row.output_tokens,
            "cost": row.cost_usd,
            "link": url_for("pages.run_view", run_id=row.key) if group_by == "run" else None,
        }
        for row in report.rows
    ]
    chart = {"labels": [r["label"] for r in rows], "values": [str(r["cost"]) for r in rows], "group_by": group_by}
    return render_template(
        "admin/spend.html",
        query=query,
        groups=GROUPS,
        errors=errors,
        report=report,
        rows=rows,
        chart=chart,
        csv_url=url_for("api.get_spend") + "?" + urlencode({**query, "format": "csv"}),
    )


def _label(group_by: str, key: str, label: str) -> str:
    if group_by == "model":
        return f"{key} ({label})" if label else key
    if group_by == "run":
        return label or key[:8]
    if group_by == "agent":
        return key or "unattributed"
    return label or key


@admin_bp.get("/audit")
@require_admin
def audit():  # noqa: ANN201
    errors: dict[str, str] = {}
    filters: dict[str, Any] = {
        "action": request.args.get("action", "").strip()[:64],
        "actor": request.args.get("actor", "").strip()[:254],
        "target": request.args.get("target", "").strip()[:100],
        "from": _date_arg("from", errors),
        "to": _date_arg("to", errors),
    }
    if filters["from"] and filters["to"] and filters["from"] > filters["to"]:
        errors["to"] = "The end date is before the start date."
        filters["to"] = None
    try:
        page_number = max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        page_number = 1

    def fetch(number: int):  # noqa: ANN202
        return audit_entries(
            current_user.org_id,
            action=filters["action"] or None,
            actor=filters["actor"] or None,
            target=filters["target"] or None,
            since=_utc(filters["from"]) if filters["from"] else None,
            until=_utc(filters["to"] + timedelta(days=1)) if filters["to"] else None,
            page=number,
            per_page=AUDIT_PER_PAGE,
        )

    page = last_page_if_beyond(fetch, page_number)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.org_id == current_user.org_id).distinct().order_by(AuditEntry.action)
    ).all()
    args = {key: (value.isoformat() if isinstance(value, date) else value) for key, value in filters.items() if value}
    return render_template(
        "admin/audit.html",
        entries=[_entry_view(item) for item in page.items],
        filters=filters,
        errors=errors,
        actions=actions,
        total=page.total,
        page=page.page,
        pages=page_count(page.total, page.per_page),
        args=args,
    )


def _entry_view(item: dict[str, Any]) -> dict[str, Any]:
    """An entry with its before/after as short JSON text (escaped by Jinja when shown)."""
    return {
        **item,
        "created_at": datetime.fromisoformat(item["created_at"]),
        "before_text": _json_text(item.get("before")),
        "after_text": _json_text(item.get("after")),
    }


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 400 else text[:399] + "…"
