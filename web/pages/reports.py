"""The report of a run: rendered page, Markdown download, a print-ready HTML document and a PDF.

Runs that finished with a structured report (agents/report_model.py) render every section from it:
the page, the print document and the PDF only lay its figures out, they never compute one. Older
runs without it render their stored Markdown as before.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Response, current_app, render_template, request
from markupsafe import Markup
from pydantic import ValidationError

from agents.catalogue import default_catalogue
from agents.report_model import Check, KPIRow, ObjectiveRow, StructuredReport, TaskRow
from services.holdings import holdings
from services.models import Run
from services.permissions import VIEW_RUNS
from web.lookups import get_or_404
from web.pages import bp
from web.pages.markdown import render_markdown
from web.pages.queries import last_event
from web.permissions import require_permission

log = logging.getLogger(__name__)


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
    ai_price_set: bool = True
    ai_estimated: bool = False


def _decimal(value: Any, default: str = "0") -> Decimal:
    try:
        return Decimal(str(value if value is not None else default))
    except ArithmeticError:
        return Decimal(default)


def spend_table(run: Run) -> SpendTable | None:
    """Allocated/committed/remaining per agent from the run's last budget snapshot (old runs only)."""
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
    ai = holdings().ai_usage().run_usage(run.id)
    return SpendTable(
        lines=lines,
        allocated=_decimal(snapshot.get("allocated")),
        committed=_decimal(snapshot.get("committed")),
        remaining=_decimal(snapshot.get("remaining")),
        budget=_decimal(snapshot.get("budget"), str(run.budget_usd)),
        ceiling=_decimal(snapshot.get("ceiling"), str(run.budget_usd)),
        ai_used=ai.settled,
        ai_cap=ai.cap,
        ai_price_set=run.ai_price_set,
        ai_estimated=holdings().ai_usage().usage_estimated(run.id),
    )


# --- the structured report -----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanGroup:
    """The tasks serving one objective (`objective` None: work not tied to any single objective)."""

    objective: ObjectiveRow | None
    tasks: list[TaskRow]


@dataclass(frozen=True)
class KPIGroup:
    objective: ObjectiveRow | None
    index: int
    kpis: list[KPIRow]


@dataclass(frozen=True)
class ReportView:
    """The structured report plus the lookups and groupings its layout needs; no figure is new."""

    report: StructuredReport
    tasks_by_id: dict[str, TaskRow]
    agent_titles: dict[str, str]
    plan: list[PlanGroup]
    schedule: list[TaskRow]
    unscheduled: list[TaskRow]
    critical: set[str]
    kpis: list[KPIGroup]
    failed_checks: list[Check]
    summary_html: Markup
    entity_html: Markup
    chart: dict[str, Any] = field(default_factory=dict)
    deliverables_html: list[Markup] = field(default_factory=list)  # agent Markdown, sanitised


def structured_report(run: Run) -> StructuredReport | None:
    """The run's stored structured report, or None (older runs, or one this version cannot read)."""
    if not run.report:
        return None
    try:
        return StructuredReport.model_validate(run.report)
    except ValidationError as exc:
        # Shown from its Markdown instead: a report the page cannot read must still be readable.
        log.warning(
            "structured report does not validate", extra={"run_id": run.id, "errors": exc.error_count()}
        )
        return None


def report_view(report: StructuredReport) -> ReportView:
    tasks_by_id = {task.id: task for task in report.tasks}
    titles = {row.agent: row.agent_title or row.agent for row in report.budget.by_agent}
    for task in report.tasks:
        titles.setdefault(task.agent, task.agent_title or task.agent)
    critical = {task.id for task in report.tasks if task.critical} | set(report.critical_path)

    plan = [
        PlanGroup(objective, [t for t in report.tasks if objective.index in t.objective_indexes])
        for objective in report.objectives
    ]
    known = {objective.index for objective in report.objectives}
    loose = [t for t in report.tasks if not known.intersection(t.objective_indexes)]
    if loose:
        plan.append(PlanGroup(None, loose))

    funded = [t for t in report.tasks if t.status == "funded"]
    schedule = sorted(
        (t for t in funded if t.start_day is not None and t.end_day is not None),
        key=lambda t: (t.start_day, t.end_day, t.id),
    )
    unscheduled = [t for t in funded if t.start_day is None or t.end_day is None]

    objectives = {objective.index: objective for objective in report.objectives}
    kpi_indexes = sorted({kpi.objective_index for kpi in report.kpis})
    kpis = [
        KPIGroup(objectives.get(index), index, [k for k in report.kpis if k.objective_index == index])
        for index in kpi_indexes
    ]
    chart = {
        "timeline_days": report.timeline_days,
        "tasks": [
            {
                "id": t.id,
                "label": f"{t.id} {t.title}",
                "agent": titles.get(t.agent, t.agent),
                "start": t.start_day,
                "end": t.end_day,
                "critical": t.id in critical,
                "recurring": t.recurring,
            }
            for t in schedule
        ],
        "milestones": [m.model_dump(mode="json") for m in report.milestones],
        "spend": [
            row.model_dump(mode="json") | {"title": titles[row.agent]} for row in report.budget.by_agent
        ],
    }
    return ReportView(
        report=report,
        tasks_by_id=tasks_by_id,
        agent_titles=titles,
        plan=plan,
        schedule=schedule,
        unscheduled=unscheduled,
        critical=critical,
        kpis=kpis,
        failed_checks=[check for check in report.checks if not check.passed],
        summary_html=render_markdown(report.executive_summary, shift_headings=2),
        entity_html=render_markdown(report.entity_advice, shift_headings=2)
        if report.entity_advice
        else Markup(""),
        chart=chart,
        deliverables_html=[render_markdown(d.summary_markdown, shift_headings=3) for d in report.deliverables],
    )


# --- routes --------------------------------------------------------------------------------------


def _filename(run: Run, extension: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (run.company_name or "run").lower()).strip("-")[:60] or "run"
    return f"catalyst-report-{slug}-{run.id[:8]}.{extension}"


def _context(run: Run, shift_headings: int) -> dict[str, Any]:
    structured = structured_report(run)
    view = report_view(structured) if structured else None
    markdown_html = None
    if view is None and run.report_markdown:
        markdown_html = render_markdown(run.report_markdown, shift_headings=shift_headings)
    ai = holdings().ai_usage().run_usage(run.id) if view else None
    return {
        "run": run,
        "company": (run.brief or {}).get("company") or {"name": run.company_name},
        "view": view,
        "report_html": markdown_html,
        "has_report": bool(view or markdown_html),
        "spend": spend_table(run) if view is None else None,
        "ai_used": ai.settled if ai else None,
        "ai_cap": ai.cap if ai else None,
        "ai_price_set": run.ai_price_set,
        "ai_estimated": holdings().ai_usage().usage_estimated(run.id) if ai else False,
        "offline": view.report.offline if view else run.provider == "offline",
        "pdf": False,
    }


@bp.get("/runs/<run_id>/report")
@require_permission(VIEW_RUNS)
def report(run_id: str):  # noqa: ANN201
    run = get_or_404(Run, run_id)
    # The page has its own h1, so the report's headings move one level down.
    return render_template("reports/report.html", **_context(run, shift_headings=1))


@bp.get("/runs/<run_id>/report.md")
@require_permission(VIEW_RUNS)
def report_markdown(run_id: str) -> Response:
    run = get_or_404(Run, run_id)
    if not run.report_markdown:
        return Response("The report is written when the run completes.\n", status=404, mimetype="text/plain")
    return Response(
        run.report_markdown,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{_filename(run, "md")}"'},
    )


@bp.get("/runs/<run_id>/report/print")
@require_permission(VIEW_RUNS)
def report_print(run_id: str):  # noqa: ANN201
    """A self-contained document for printing or saving; `?download=1` saves it as a file."""
    run = get_or_404(Run, run_id)
    context = _context(run, shift_headings=0)
    body = render_template("reports/print.html", **context)
    headers = {}
    if request.args.get("download") == "1":
        headers["Content-Disposition"] = f'attachment; filename="{_filename(run, "html")}"'
    return Response(body, mimetype="text/html", headers=headers, status=200 if context["has_report"] else 404)


@bp.get("/runs/<run_id>/report.pdf")
@require_permission(VIEW_RUNS)
def report_pdf(run_id: str) -> Response:
    """The print document as a PDF, rendered here by WeasyPrint from local files only."""
    run = get_or_404(Run, run_id)
    context = _context(run, shift_headings=0)
    if not context["has_report"]:
        return Response("The report is written when the run completes.\n", status=404, mimetype="text/plain")
    context["pdf"] = True
    html = render_template("reports/print.html", **context)
    return Response(
        render_pdf(html, Path(current_app.static_folder or "static")),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_filename(run, "pdf")}"'},
    )


# --- PDF -----------------------------------------------------------------------------------------


def render_pdf(html: str, static_root: Path) -> bytes:
    """PDF bytes of `html` styled by print.css; nothing outside `static_root` is ever fetched."""
    # Imported here: WeasyPrint loads pango and fonts, which only this route needs.
    from weasyprint import CSS, HTML

    # print.css also serves browsers (media features, print-color-adjust), which WeasyPrint warns
    # about on every render; its errors still reach the logs, and refused URLs are logged below.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = local_fetcher(static_root)
    stylesheet = CSS(filename=str(static_root / "css" / "print.css"), url_fetcher=fetcher)
    document = HTML(string=html, base_url=static_root.resolve().as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet])


def local_fetcher(static_root: Path):  # noqa: ANN201 - a weasyprint.URLFetcher
    """A URL fetcher that serves data: URLs and files under `static_root` and refuses the rest.

    A report holds links the agents wrote; none of them may make the server fetch anything.
    """
    from weasyprint import URLFetcher

    root = static_root.resolve()

    class LocalOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file" and not parts.netloc:
                path = Path(unquote(parts.path)).resolve()
                if path.is_file() and root in path.parents:
                    return super().fetch(url, headers)
            log.warning("PDF render refused a URL", extra={"scheme": parts.scheme, "host": parts.netloc})
            raise ValueError(f"refusing to fetch {parts.scheme or 'relative'} URL while rendering a PDF")

    return LocalOnly(allowed_protocols=("data", "file"), timeout=2)
