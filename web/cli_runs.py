"""`flask --app app runs start ...`: run the workflow in the terminal and write the report to a file."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup
from pydantic import ValidationError

from agents.checkpoint import open_checkpointer
from agents.memory import MemoryEventSink, MemoryLedger
from agents.state import Brief
from agents.terminal import TerminalDisplay, resume_in_terminal, run_in_terminal
from agents.workflow import Workflow
from services.llm import build_llm_client
from services.wiring import llm_config

runs_cli = AppGroup("runs", help="Run the agent workflow from the terminal.")


@runs_cli.command("start")
@click.option("--company", required=True)
@click.option("--industry", required=True)
@click.option("--location", required=True)
@click.option("--objective", "objectives", multiple=True, required=True, help="Repeat for several.")
@click.option("--budget", type=Decimal, required=True, help="Business budget in USD.")
@click.option("--timeline", type=int, required=True, help="Days.")
@click.option("--agent", "agents", multiple=True, help="Limit to these specialists (repeatable).")
@click.option("--policy", type=click.Choice(["approve", "trim"]), default=None, help="When the plan costs more than the budget.")
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
    policy: str | None,
    approve_overrun: bool | None,
    cut: tuple[str, ...],
    out: Path | None,
) -> None:
    """Exit status: 0 completed, 1 failed or cancelled, 2 bad input, 3 paused and left paused."""
    settings = current_app.extensions["catalyst.settings"]
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

    run_id = f"cli-{uuid.uuid4().hex[:12]}"
    llm = build_llm_client(llm_config(settings))
    checkpoints = f"sqlite:///{settings.instance_path / 'cli-checkpoints.sqlite'}"
    display = TerminalDisplay(click.echo)
    click.echo(f"run {run_id} · provider {settings.provider}" + (" (offline rule-based generator)" if settings.provider == "offline" else ""))
    with open_checkpointer(checkpoints) as checkpointer:
        workflow = Workflow(
            llm, MemoryEventSink(run_id), MemoryLedger(), checkpointer, policy=policy or settings.overrun_policy
        )
        outcome = run_in_terminal(workflow, run_id, brief, click.echo, display)
        while outcome.status == "paused" and outcome.reason == "approval_required":
            value = _decision(outcome.payload or {}, approve_overrun, cut)
            outcome = resume_in_terminal(workflow, run_id, value, click.echo, display)

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
