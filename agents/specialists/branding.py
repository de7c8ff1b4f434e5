"""Branding: positioning, audience, tone of voice and the identity work to commission."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.knowledge.industries import profile_for
from agents.specialists.base import brief_of, run_specialist


def branding(assignment: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """The brand platform; the industry profile helps the model pick a fitting tone."""
    profile = profile_for(brief_of(assignment).company.industry)
    context = {"industry_profile": profile.key, "typical_tone": profile.tone}
    return run_specialist("branding", assignment, runtime.context, context)
