"""`flask --app app runs start ...`: run the workflow in the terminal and write the report to a file."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask.cli import AppGroup
from pydantic import ValidationError
from sqlalchemy import func, select

from agents.checkpoint import open_checkpointer
from agents.memory import MemoryEventSink, MemoryLedger, MemoryPricing
from agents.state import Brief
from agents.terminal import TerminalDisplay, resume_in_terminal, run_in_terminal
from agents.workflow import Outcome, Workflow
from services.db import db
from services.events import Publish
from services.holdings import holdings
from services.llm import LLMConfig, LLMConfigError, checked_model
from services.models import Run, User
from services.runs import RunConflict, RunForbidden, RunInvalid, lease
from services.runs.ai_pricing import model_price

runs_cli = AppGroup("runs", help="Run the agent workflow from the terminal.")


@runs_cli.command("start")
@click.option("--company", required=True)
@click.option("--industry", required=True)
@click.option("--location", required=True)
@click.option("--objective", "objectives", multiple=True, required=True, help="Repeat for several.")
@click.option("--budget", type=Decimal, required=True, help="Business budget in USD.")
@click.option("--timeline", type=int, required=True, help="Days.")
@click.option("--agent", "agents", multiple=True, help="Limit to these specialists (repeatable).")
@click.option("--as", "as_email", default=None,
              help="Run as this executive or admin: stored like a web run, visible in the web app.")
@click.option("--policy", type=click.Choice(["approve", "trim"]), default=None,
              help="When the plan costs more than the budget (dry runs; stored runs use the org's policy).")
@click.option("--approve-overrun/--reject-overrun", default=None, help="Answer an approval pause without asking.")
@click.option("--cut", "cut", multiple=True, help="Approve an edited plan: task id to cut (repeatable).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Report file (Markdown).")
def start(
    company: str,
    industry: str,
    location: str,
    objectives: tuple[str, ...],
    budget: Decimal,
    timeline: int,
    agents: tuple[str, ...],
    as_email: str | None,
    policy: str | None,
    approve_overrun: bool | None,
    cut: tuple[str, ...],
    out: Path | None,
) -> None:
    """Exit status: 0 completed, 1 failed or cancelled, 2 bad input, 3 paused and left paused.

    With --as, the run is created, executed and stored exactly as one started in the browser (same
    database, event log, ledgers and report), so the team sees it live in the web app. Without it,
    the run is a local dry run in memory, and the CLI says so.
    """
    settings = holdings().settings
    try:
        brief = Brief.model_validate(
            {
                "company": {"name": company, "industry": industry, "location": location},
                "objectives": list(objectives),
                "budget_usd": budget,
                "timeline_days": timeline,
                "agents": list(agents) or None,
            }
        )
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            click.echo(f"error: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}", err=True)
        raise SystemExit(2) from None

    display = TerminalDisplay(click.echo)
    if as_email:
        run_id, outcome = _stored_run(as_email, brief, display, approve_overrun, cut)
    else:
        run_id, outcome = _dry_run(settings, brief, policy, display, approve_overrun, cut)

    if outcome.status == "completed":
        path = out or Path(f"report-{run_id}.md")
        path.write_text(outcome.report_markdown or "", encoding="utf-8")
        json_path = path.with_suffix(".json")
        json_path.write_text(json.dumps(outcome.report or {}, indent=2, ensure_ascii=False), encoding="utf-8")
        for line in summary_lines(outcome.report or {}):
            click.echo(line)
        click.echo(f"completed · report written to {path} (structured: {json_path})")
        return
    if outcome.status == "paused":
        click.echo(f"paused: {outcome.reason} {outcome.payload or ''}", err=True)
        raise SystemExit(3)
    message = (outcome.error or {}).get("message", outcome.status)
    click.echo(f"{outcome.status}: {message}", err=True)
    raise SystemExit(1)


def _provider_line(config: LLMConfig) -> str:
    """Which provider and model the run will call, as the terminal shows it."""
    if config.provider == "offline":
        return "provider offline (offline rule-based generator)"
    where = f" at {config.base_url}" if config.base_url else ""
    try:
        model, mode = checked_model(config)
    except LLMConfigError:
        return f"provider {config.provider} · model {config.model}{where}"  # the build says what is wrong
    price = "" if model.priced else ", price not set"
    return f"provider {config.provider} · model {config.model}{where} (structured output {mode}{price})"


def _dry_run(
    settings: Any, brief: Brief, policy: str | None, display: TerminalDisplay, approve: bool | None,
    cut: tuple[str, ...],
) -> tuple[str, Outcome]:
    """The workflow in memory, on the environment's provider: nothing is stored or metered, nothing
    appears in the web app (no organisation: its settings and caps do not apply)."""
    run_id = f"cli-{uuid.uuid4().hex[:12]}"
    wiring = holdings().run_service().wiring
    config = wiring.llm_config(None)
    provider = _provider_line(config)
    try:
        llm = wiring.client(config, run_id)
    except LLMConfigError as exc:
        click.echo(f"error: the AI provider is not set up correctly: {exc}", err=True)
        raise SystemExit(2) from None
    # Nothing is metered in a dry run; the report's AI spend counts the calls at the model's price.
    pricing = MemoryPricing(model_price(wiring.registered_model(config), provider=config.provider,
                                        model_name=config.model))
    llm = pricing.client(llm)
    checkpoints = f"sqlite:///{settings.instance_path / 'cli-checkpoints.sqlite'}"
    click.echo(f"run {run_id} · {provider} · local dry run: not stored, not shown in the web app "
               "(use --as EMAIL to store it)")
    with open_checkpointer(checkpoints) as checkpointer:
        workflow = Workflow(
            llm, MemoryEventSink(run_id), MemoryLedger(), checkpointer, policy=policy or settings.overrun_policy,
            pricing=pricing,
        )
        outcome = run_in_terminal(workflow, run_id, brief, click.echo, display)
        while outcome.status == "paused" and outcome.reason == "approval_required":
            value = _decision(outcome.payload or {}, approve, cut)
            outcome = resume_in_terminal(workflow, run_id, value, click.echo, display)
    return run_id, outcome


def _stored_run(
    email: str, brief: Brief, display: TerminalDisplay, approve: bool | None, cut: tuple[str, ...]
) -> tuple[str, Outcome]:
    """Create the run as `email` and execute it here, through the same service as the web app."""
    service = holdings().runs
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.is_active:
        click.echo(f"error: no active user {email}", err=True)
        raise SystemExit(2)
    try:
        run = service.create(user, brief)
    except (RunInvalid, RunForbidden, RunConflict) as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    run_id = run.id
    provider = _provider_line(service.wiring.llm_config(user.org_id))
    click.echo(f"run {run_id} · {provider} · stored as {user.email}; in the web app at /runs/{run_id}")
    service.executor.publish = _shown(display, service.executor.publish)
    while True:
        if not lease.claim(service.engine, run_id, service.owner):
            click.echo("the run was taken by a running server; follow it in the web app", err=True)
            raise SystemExit(0)
        service.executor.execute(run_id)
        db.session.expire_all()
        run = db.session.get(Run, run_id)
        outcome = _outcome_of(run)
        if outcome.status != "paused" or run.pause_reason != "approval_required":
            return run_id, outcome
        value = _decision(run.pause_payload or {}, approve, cut)
        service.decide(run, user, value["decision"], value["note"], value["cut"] or None)


def _shown(display: TerminalDisplay, publish: Publish | None) -> Publish:
    """Publish as the server does, and print each event in the terminal."""

    def both(run_id: str, event: dict[str, Any]) -> None:
        data, seq = event.get("data") or {}, str(event["seq"])
        display(event["type"], data, event.get("phase"), event.get("agent"), seq)
        if publish is not None:
            publish(run_id, event)

    return both


def _outcome_of(run: Run) -> Outcome:
    status = run.status.value
    if status == "completed":
        return Outcome(status="completed", report_markdown=run.report_markdown, report=run.report)
    if status == "paused":
        return Outcome(status="paused", reason=run.pause_reason, payload=run.pause_payload)
    if status == "running":  # left for recovery (storage was away): the server will finish it
        return Outcome(status="failed", reason="interrupted",
                       error={"code": "interrupted", "message": "the run will be resumed by a server"})
    return Outcome(status=status, reason=(run.error or {}).get("code"), error=run.error)  # type: ignore[arg-type]


def _decision(payload: dict[str, Any], approve: bool | None, cut: tuple[str, ...]) -> dict[str, Any]:
    """The answer to an approval pause: from the flags, or asked in the terminal task by task."""
    for task in payload.get("tasks", []):
        objectives = "; ".join(task.get("objectives") or []) or "no objective"
        click.echo(f"   {task['id']:>4}  ${Decimal(task['cost_usd']):>11,.2f}  p{task['priority']}  "
                   f"{task['title']} ({task.get('agent_title', task['agent'])}) — {objectives}")
    known = {task["id"] for task in payload.get("tasks", [])}
    if cut:
        unknown = sorted(set(cut) - known)
        if unknown:
            click.echo(f"error: --cut names unknown tasks {', '.join(unknown)}", err=True)
            raise SystemExit(2)
        return {"decision": "edit", "note": "edited in the terminal", "cut": list(dict.fromkeys(cut))}
    if approve is None:
        approve = click.confirm(
            f"The plan costs {payload.get('plan_total')} USD against a budget of {payload.get('budget')} USD. "
            "Approve it as planned?", default=False)
    return {"decision": "approve" if approve else "reject", "note": "decided in the terminal", "cut": []}


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The report's coverage, money and checks in a few lines, read from the structured report."""
    if not report:
        return []
    budget = report["budget"]
    lines = [f"objective {o['index']}: {o['status'].replace('_', ' ')} · {o['text']}" for o in report["objectives"]]
    lines.append(f"committed ${Decimal(budget['committed_usd']):,.2f} of ${Decimal(budget['total_usd']):,.2f} "
                 f"(unspent ${Decimal(budget['unspent_usd']):,.2f})")
    failed = [c["name"] for c in report.get("checks", []) if not c["passed"]]
    lines.append("quality checks: " + ("all passed" if not failed else "FAILED " + ", ".join(failed)))
    return lines
