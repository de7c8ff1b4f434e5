"""A plain-text progress display of a run for the command line (the lead wires it into click)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from agents.state import Brief
from agents.workflow import Outcome, Workflow

Echo = Callable[[str], None]


def _usd(value: Any) -> str:
    return f"${Decimal(str(value)):,.2f}"


class TerminalDisplay:
    """Turns protocol events into one line each; re-emitted events (same key) print once."""

    def __init__(self, echo: Echo) -> None:
        self.echo = echo
        self._seen: set[str] = set()

    def __call__(
        self, type: str, data: dict[str, Any], phase: str | None, agent: str | None,
        key: str | None,
    ) -> None:
        if key is not None:
            if key in self._seen:
                return
            self._seen.add(key)
        line = self.line(type, data, phase, agent)
        if line:
            self.echo(line)

    def line(self, type: str, data: dict[str, Any], phase: str | None, agent: str | None) -> str:
        d = data
        if type == "run.started":
            return (f">> {d['company']}: budget {_usd(d['budget'])} over {d['timeline_days']} "
                    f"days, overrun policy '{d['policy']}'")
        if type == "run.resumed":
            return f">> resumed ({d.get('after')})"
        if type == "phase.started":
            return f"== {phase} =="
        if type == "phase.completed":
            return self._phase_done(phase, d)
        if type == "agent.started":
            extra = f" with {_usd(d['allocation'])}" if "allocation" in d else ""
            return f"   * {agent} started{extra}"
        if type == "agent.progress":
            return f"   * {agent}: {d['message']} ({d['percent']}%, {d['tokens']} tokens)"
        if type == "agent.completed":
            if "committed" in d:
                return f"   + {agent}: {d['title']}, committed {_usd(d['committed'])}"
            return f"   + {agent} done"
        if type == "agent.failed":
            return f"   x {agent} failed: {d['error']['code']}: {d['error']['message']}"
        if type == "budget.updated":
            ai_cap = d["ai"].get("cap")
            ai = f"AI {_usd(d['ai']['used'])}" + (f" of {_usd(ai_cap)}" if ai_cap is not None else "")
            if "committed" not in d:  # the AI ledger's update after one metered call
                return ""
            return (f"   $ committed {_usd(d['committed'])} of {_usd(d['ceiling'])}, "
                    f"remaining {_usd(d['remaining'])}; {ai}")
        if type == "approval.required":
            return (f"   ! approval required: plan {_usd(d['plan_total'])} vs budget "
                    f"{_usd(d['budget'])} (over by {_usd(d['amount'])})")
        if type == "approval.decided":
            cut = f", cut {', '.join(d['cut_titles'])}" if d.get("cut_titles") else ""
            return f"   ! decision: {d['decision']}{cut}" + (f" ({d['note']})" if d.get("note") else "")
        if type == "guardrail.violation":
            return f"   ! guard rail {d['rule']} ({d['agent']}): {d['detail']}"
        if type == "run.paused":
            return f"|| paused: {d.get('reason')}"
        if type == "run.completed":
            return f"OK completed: committed {_usd(d['committed'])} of {_usd(d['budget'])}"
        if type == "run.failed":
            return f"XX failed: {d['error']['code']}: {d['error']['message']}"
        if type == "run.cancelled":
            return "XX cancelled"
        return ""

    @staticmethod
    def _phase_done(phase: str | None, d: dict[str, Any]) -> str:
        if phase == "intake" and d.get("objectives"):
            marks = {"ok": "ok", "refused": "REFUSED", "unclear": "UNCLEAR"}
            return "\n".join(
                f"   objective {o['index']} [{marks.get(o['status'], o['status'])}] {o['text']}"
                + (f" — {o['reason']}" if o["status"] != "ok" else f" ({o['kind_label']})")
                for o in d["objectives"])
        if phase == "planning":
            tasks = d["tasks"]
            return f"   plan: {tasks} {'task' if tasks == 1 else 'tasks'}, {_usd(d['total'])}"
        if phase == "budgeting":
            cut = d.get("cut")
            if cut is None:
                dropped = ", ".join(d["dropped"]) or "none"
            else:
                dropped = "; ".join(f"{c['id']} {c['title']} ({c['reason'].replace('_', ' ')}, "
                                    f"{_usd(c['cost_usd'])})" for c in cut) or "none"
            return (f"   allocated {_usd(d['allocated'])} (ceiling {_usd(d['ceiling'])}); "
                    f"cut: {dropped}")
        if phase == "report" and d.get("checks"):
            failed = [name for name, ok in d["checks"].items() if not ok]
            return "   quality checks: " + ("all passed" if not failed else "FAILED " + ", ".join(failed))
        if phase == "review":
            counts = d["findings"]
            return "   findings: " + ", ".join(f"{n} {level}" for level, n in counts.items())
        return ""


def run_in_terminal(
    workflow: Workflow,
    run_id: str,
    brief: Brief | Mapping[str, Any],
    echo: Echo,
    display: TerminalDisplay | None = None,
) -> Outcome:
    """Start a run and print its progress as events arrive.

    Pass the same `display` to `resume_in_terminal` so events re-emitted on resume print once.
    """
    with workflow.observe(display or TerminalDisplay(echo)):
        return workflow.start(run_id, brief)


def resume_in_terminal(
    workflow: Workflow,
    run_id: str,
    value: dict[str, Any] | None,
    echo: Echo,
    display: TerminalDisplay | None = None,
) -> Outcome:
    """Resume a run (after a pause or a crash) and print its progress."""
    with workflow.observe(display or TerminalDisplay(echo)):
        return workflow.resume(run_id, value)
