"""Run pages: the new-run form, the live view and the history."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from agents.catalogue import default_catalogue
from agents.state import SPECIALISTS
from services.budgets.settings import get_budget_settings
from services.holdings import holdings
from services.models import Run, RunStatus
from services.permissions import DECIDE_RUNS, START_RUNS, VIEW_RUNS, can_act_on_run, has_permission
from web.lookups import get_or_404
from web.pages import bp
from web.pages.brief_form import MAX_OBJECTIVES, BriefForm
from web.pages.launch import RunNotStarted, start_run
from web.pages.queries import history as history_page
from web.pages.queries import parse_history_args
from web.permissions import require_permission

PHASES = [
    ("intake", "Intake"),
    ("planning", "Planning"),
    ("budgeting", "Budgeting"),
    ("approval", "Approval"),
    ("execution", "Execution"),
    ("review", "Review"),
    ("report", "Report"),
]
LOG_CATEGORIES = [
    ("run", "Run"),
    ("phase", "Phases"),
    ("agent", "Agents"),
    ("budget", "Budget"),
    ("approval", "Approvals"),
    ("guardrail", "Guard rails"),
]


def specialist_choices() -> list[dict[str, str]]:
    catalogue = default_catalogue()
    return [
        {"name": name, "title": catalogue.agents[name].title, "description": catalogue.agents[name].description}
        for name in SPECIALISTS
    ]


@bp.route("/runs/new", methods=["GET", "POST"])
@require_permission(START_RUNS)
def new_run():  # noqa: ANN201
    settings = get_budget_settings(current_user.org_id, holdings().settings)
    form = BriefForm() if request.method == "GET" else BriefForm.from_form(request.form)
    status = 200
    if request.method == "POST":
        brief = form.validate()
        if brief is not None and brief.budget_usd > settings.run_budget_max_usd:
            form.errors["budget_usd"] = f"Your organisation's ceiling per run is ${settings.run_budget_max_usd:,.2f}."
            brief = None
        if brief is not None:
            try:
                run = start_run(brief, current_user._get_current_object())
            except RunNotStarted as exc:
                if exc.details:
                    form.add_errors(exc.details, generic=False)
                else:
                    form.errors["form"] = exc.message
            else:
                return redirect(url_for("pages.run_view", run_id=run.id), code=303)
        status = 422
    return (
        render_template(
            "runs/new.html",
            form=form,
            specialists=specialist_choices(),
            max_objectives=MAX_OBJECTIVES,
            budget_settings=settings,
        ),
        status,
    )


def agent_cards(run: Run) -> list[dict[str, str]]:
    """The cards of the live view: the CFO, the run's specialists, the reviewer and the reporter."""
    catalogue = default_catalogue()
    chosen = (run.brief or {}).get("agents") or list(SPECIALISTS)
    names = ["cfo", *[name for name in SPECIALISTS if name in chosen], "reviewer", "reporter"]
    return [
        {"name": name, "title": catalogue.title(name), "description": catalogue.agents[name].description}
        for name in names
        if name in catalogue.agents
    ]


def can_cancel(run: Run) -> bool:
    """Admins cancel any run of their organisation; executives the runs they started."""
    return not run.status.finished and can_act_on_run(current_user, run)


@bp.get("/runs/<run_id>")
@require_permission(VIEW_RUNS)
def run_view(run_id: str):  # noqa: ANN201
    run = get_or_404(Run, run_id)
    catalogue = default_catalogue()
    thresholds = get_budget_settings(run.org_id, holdings().settings).thresholds
    page_data: dict[str, Any] = {
        "run_id": run.id,
        "status": run.status.value,
        "pause_reason": run.pause_reason if run.status == RunStatus.paused else None,
        "pause_payload": run.pause_payload if run.status == RunStatus.paused else None,
        "ai_cap": str(run.ai_cap_usd),
        "titles": {name: spec.title for name, spec in catalogue.agents.items()},
    }
    return render_template(
        "runs/live.html",
        run=run,
        brief=_brief_view(run),
        offline=run.provider == "offline",
        phases=PHASES,
        categories=LOG_CATEGORIES,
        agents=agent_cards(run),
        thresholds=thresholds,
        can_approve=has_permission(current_user, DECIDE_RUNS),
        can_cancel=can_cancel(run),
        page_data=page_data,
    )


def _brief_view(run: Run) -> dict[str, Any]:
    """The stored brief with every key the templates read, whatever its age."""
    brief = dict(run.brief or {})
    company = dict(brief.get("company") or {})
    company.setdefault("name", run.company_name)
    company.setdefault("industry", "")
    company.setdefault("location", "")
    brief["company"] = company
    brief.setdefault("objectives", [])
    brief.setdefault("timeline_days", "")
    return brief


@bp.get("/runs")
@require_permission(VIEW_RUNS)
def history():  # noqa: ANN201
    filters, errors = parse_history_args(request.args)
    page = history_page(current_user.org_id, filters)
    return render_template(
        "runs/history.html",
        page=page,
        filters=filters,
        errors=errors,
        statuses=[s.value for s in RunStatus],
        args=filters.args(),
    )
