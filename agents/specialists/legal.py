"""Legal: company formation, trademark filing, contracts and policies for the jurisdiction."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.knowledge import fees
from agents.knowledge.geography import jurisdiction_of
from agents.knowledge.tiers import tier_of
from agents.specialists.base import brief_of, run_specialist


def legal(assignment: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Legal deliverable, grounded in the typical public fees of the company's location."""
    brief = brief_of(assignment)
    place = jurisdiction_of(brief.company.location)
    classes = fees.trademark_classes(
        brief.company.industry, fees.CLASSES_BY_TIER[tier_of(brief.budget_usd)]
    )
    formation = fees.formation_fee(place)
    mark = fees.trademark_fee(place, len(classes))
    context = {
        "jurisdiction": place.label,
        "country": place.country,
        "typical_fees": [
            {"what": formation.description, "usd": str(formation.amount_usd), "note": formation.note},
            {"what": mark.description, "usd": str(mark.amount_usd), "note": mark.note},
        ],
        "suggested_classes": list(classes),
    }
    return run_specialist("legal", assignment, runtime.context, context)
