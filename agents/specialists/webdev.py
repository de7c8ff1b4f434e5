"""Web development: build approach, page plan, hosting and launch checklist."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.knowledge import web
from agents.knowledge.industries import profile_for
from agents.knowledge.tiers import tier_of
from agents.specialists.base import brief_of, run_specialist


def webdev(assignment: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Website deliverable sized to the budget tier."""
    brief = brief_of(assignment)
    tier = tier_of(brief.budget_usd)
    context = {
        "budget_tier": tier,
        "typical_approach": web.BUILD[tier][0],
        "suggested_pages": web.page_plan(profile_for(brief.company.industry).key),
    }
    return run_specialist("webdev", assignment, runtime.context, context)
