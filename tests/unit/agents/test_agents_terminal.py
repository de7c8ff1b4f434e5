"""The command-line progress display."""

from __future__ import annotations

from agents.state import SPECIALISTS
from agents.terminal import TerminalDisplay, resume_in_terminal, run_in_terminal
from tests.unit.agents.agents_support import EXAMPLE_BRIEF, brief


def test_run_in_terminal_prints_phases_agents_and_the_outcome(make_run) -> None:
    run = make_run()
    lines: list[str] = []
    outcome = run_in_terminal(run.workflow, run.run_id, EXAMPLE_BRIEF, lines.append)

    assert outcome.status == "completed"
    text = "\n".join(lines)
    assert lines[0].startswith(">> Acme: budget $5,000.00 over 90 days")
    for phase in ("intake", "planning", "budgeting", "execution", "review", "report"):
        assert f"== {phase} ==" in text
    for agent in SPECIALISTS:
        assert f"+ {agent}: " in text
    assert "$ committed" in text
    assert lines[-1].startswith("OK completed: committed $")
    assert not run.workflow._observers  # the display is detached afterwards


def test_pause_and_resume_share_one_display(make_run) -> None:
    run = make_run()
    lines: list[str] = []
    display = TerminalDisplay(lines.append)
    paused = run_in_terminal(run.workflow, run.run_id, brief(budget_usd="2500"), lines.append,
                             display)
    assert paused.status == "paused" and lines[-1] == "|| paused: approval_required"
    resume_in_terminal(run.workflow, run.run_id, {"decision": "approve"}, lines.append, display)
    assert sum(line.startswith("   ! approval required") for line in lines) == 1
    assert "   ! decision: approve" in lines
