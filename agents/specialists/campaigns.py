"""Campaigns: the channel mix for the industry and the split of paid media across channels."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.knowledge.industries import profile_for
from agents.specialists.base import brief_of, run_specialist


def campaigns(assignment: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Campaign deliverable; the industry's usual channel mix is offered as a starting point."""
    profile = profile_for(brief_of(assignment).company.industry)
    context = {
        "audience": profile.audience,
        "typical_channel_mix": [{"channel": c, "percent": p} for c, p in profile.channels],
    }
    return run_specialist("campaigns", assignment, runtime.context, context)
