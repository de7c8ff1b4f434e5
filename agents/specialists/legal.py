"""Legal: the entity to form, trademark filings, sector licences, contracts and policies."""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from agents.context import RunContext
from agents.specialists.base import run_specialist


def legal(assignment: dict[str, Any], runtime: Runtime[RunContext]) -> dict[str, Any]:
    """Legal deliverable, grounded in the run's sourced reference data (fees, offices, licences)."""
    reference = assignment["reference"]
    context = {
        "jurisdiction": reference["jurisdiction"],
        "entity": reference["entity"],
        "trademark": reference["trademark"],
        "licences": reference["licences"],
        "regulators": reference.get("regulators", []),
    }
    return run_specialist("legal", assignment, runtime.context, context)
