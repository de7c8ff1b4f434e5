"""Content: a calendar over the timeline with themes from the objectives."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.knowledge.content import cadence, weeks_of
from agents.knowledge.industries import profile_for
from agents.knowledge.tiers import tier_of
from agents.specialists.base import brief_of, run_specialist


def content(assignment: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Content deliverable; the cadence follows the budget tier."""
    brief = brief_of(assignment)
    tier = tier_of(brief.budget_usd)
    context = {
        "weeks": weeks_of(brief.timeline_days),
        "typical_cadence": [
            {"format": fmt, "every_weeks": every, "unit_usd": str(cost)}
            for fmt, every, cost in cadence(tier, profile_for(brief.company.industry).story)
        ],
    }
    return run_specialist("content", assignment, runtime.context, context)
