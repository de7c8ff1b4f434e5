"""A dry run on the offline provider reports its AI spend as what it is: every call made, none paid.

The corpus and the CLI run without the services' ledger; their reports said "Price not set for
unknown" and counted 0 of 6 calls, which an executive reads as a broken meter.
"""

from __future__ import annotations

from agents.dry_run import run_brief
from agents.report_model import StructuredReport
from tests.unit.agents.agents_support import EXAMPLE_BRIEF


def test_the_offline_dry_run_counts_its_calls_and_costs_nothing() -> None:
    outcome = run_brief(EXAMPLE_BRIEF).outcome
    ai = StructuredReport.model_validate(outcome.report).ai_spend
    assert ai is not None and ai.offline and ai.priced
    assert ai.calls_actual == ai.calls_forecast > 0
    assert ai.actual_usd == ai.low_usd == ai.high_usd == 0
    assert ai.tokens_low <= ai.tokens_actual <= ai.tokens_high
    assert all(row.calls_actual == row.calls_forecast and row.verdict == "inside" for row in ai.rows)
    assert "The offline provider costs nothing" in outcome.report_markdown
    assert "Price not set" not in outcome.report_markdown
