"""Marketing technology: the tool stack for the budget tier, priced over the timeline."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.knowledge import martech as stacks
from agents.knowledge.tiers import tier_of
from agents.specialists.base import brief_of, run_specialist


def martech(assignment: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Martech deliverable; subscriptions run for the months of the timeline."""
    brief = brief_of(assignment)
    tier = tier_of(brief.budget_usd)
    context = {
        "budget_tier": tier,
        "months": stacks.months_of(brief.timeline_days),
        "typical_stack": [
            {"purpose": purpose, "tool": tool, "usd_per_month": str(price)}
            for purpose, tool, price in stacks.STACKS[tier]
        ],
    }
    return run_specialist("martech", assignment, runtime.context, context)
