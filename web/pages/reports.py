"""The report of a run: rendered page, Markdown download and a print-ready HTML document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import Response, render_template, request
from flask_login import login_required

from agents.catalogue import default_catalogue
from services.budgets import ai_ledger
from services.models import Run
from web.pages import bp
from web.pages.markdown import render_markdown
from web.pages.queries import last_event, run_or_404


@dataclass(frozen=True)
class SpendLine:
    agent: str
    title: str
    allocated: Decimal
    committed: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class SpendTable:
    lines: list[SpendLine]
    allocated: Decimal
    committed: Decimal
    remaining: Decimal
    budget: Decimal
    ceiling: Decimal
    ai_used: Decimal | None
    ai_cap: Decimal | None


def _decimal(value: Any, default: str = "0") -> Decimal:
    try:
        return Decimal(str(value if value is not None else default))
    except ArithmeticError:
        return Decimal(default)


def spend_table(run: Run) -> SpendTable | None:
    """Allocated/committed/remaining per agent from the run's last budget snapshot."""
    snapshot = last_event(run.id, "budget.updated", having="by_agent")
    if not snapshot:
        return None
    catalogue = default_catalogue()
    lines = [
        SpendLine(
            agent=agent,
            title=catalogue.title(agent),
            allocated=_decimal(values.get("allocated")),
            committed=_decimal(values.get("committed")),
            remaining=_decimal(values.get("remaining")),
        )
        for agent, values in (snapshot.get("by_agent") or {}).items()
    ]
    ai = ai_ledger().run_usage(run.id)
    return SpendTable(
        lines=lines,
        allocated=_decimal(snapshot.get("allocated")),
        committed=_decimal(snapshot.get("committed")),
        remaining=_decimal(snapshot.get("remaining")),
        budget=_decimal(snapshot.get("budget"), str(run.budget_usd)),
        ceiling=_decimal(snapshot.get("ceiling"), str(run.budget_usd)),
        ai_used=ai.settled,
        ai_cap=ai.cap,
    )


def _filename(run: Run, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (run.company_name or "run").lower()).strip("-")[:60] or "run"
    return f"catalyst-report-{slug}-{run.id[:8]}.{extension}"


def _context(run: Run, shift_headings: int) -> dict[str, Any]:
    return {
        "run": run,
        "company": (run.brief or {}).get("company") or {"name": run.company_name},
        "report_html": render_markdown(run.report_markdown, shift_headings=shift_headings) if run.report_markdown else None,
        "spend": spend_table(run),
        "offline": run.provider == "offline",
    }


@bp.get("/runs/<run_id>/report")
@login_required
def report(run_id: str):  # noqa: ANN201
    run = run_or_404(run_id)
    # The page has its own h1, so the report's headings move one level down.
    return render_template("reports/report.html", **_context(run, shift_headings=1))


@bp.get("/runs/<run_id>/report.md")
@login_required
def report_markdown(run_id: str) -> Response:
    run = run_or_404(run_id)
    if not run.report_markdown:
        return Response("The report is written when the run completes.\n", status=404, mimetype="text/plain")
    return Response(
        run.report_markdown,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{_filename(run, "md")}"'},
    )


@bp.get("/runs/<run_id>/report/print")
@login_required
def report_print(run_id: str):  # noqa: ANN201
    """A self-contained document for printing or saving; `?download=1` saves it as a file."""
    run = run_or_404(run_id)
    body = render_template("reports/print.html", **_context(run, shift_headings=0))
    headers = {}
    if request.args.get("download") == "1":
        headers["Content-Disposition"] = f'attachment; filename="{_filename(run, "html")}"'
    return Response(body, mimetype="text/html", headers=headers, status=200 if run.report_markdown else 404)
