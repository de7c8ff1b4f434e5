"""Decisions on a quote: the pauses a decision answers, its aliases, and its audit entry.

A run paused at its `quote` (policy `always`, nothing to cut) is decided on the same path as an
`approval_required` pause (`RunService.decide`): accept (= approve), edit (cut tasks) or reject
(nothing runs). A quote raises no spending ceiling, so it records its own audit action instead of an
overrun decision.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from services import audit
from services.models import Run, User

QUOTE = "quote"
DECISION_PAUSES = ("approval_required", QUOTE)
DECISION_ALIASES = {"accept": "approve"}


def forecast_summary(payload: dict[str, Any] | None) -> dict[str, Any]:
    """The quoted AI-spend range as the audit log keeps it (the full quote stays in the events)."""
    quote = (payload or {}).get("quote") or {}
    forecast = quote.get("forecast") or {}
    return {key: forecast.get(key) for key in ("low_usd", "high_usd", "priced", "model")}


def record_quote_decision(
    run: Run, user: User, decision: str, amount: Decimal, note: str, cut: list[dict[str, str]]
) -> None:
    """Audit an executive's decision on a quote (the caller commits with the run's requeue)."""
    audit.record(
        "run.quote_decided",
        actor=user,
        target_type="run",
        target_id=run.id,
        org_id=run.org_id,
        before={"status": "paused", "pause_reason": QUOTE, "forecast": forecast_summary(run.pause_payload)},
        after={
            "decision": decision,
            "note": note,
            "cut": [task["id"] for task in cut],
            "cut_titles": [task["title"] for task in cut],
            "executed": decision != "reject",
        },
    )
