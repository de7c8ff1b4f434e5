"""What a notification says: the events a hook can subscribe to and the payload of each.

A payload carries what a receiver needs to act (the run, why it stopped, a link to its live page),
never the brief itself: briefs are user-made text, and a receiver that wants more asks the API.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from services.db import utcnow

RUN_PAUSED = "run.paused"
RUN_FAILED = "run.failed"
RUN_COMPLETED = "run.completed"
RUN_CANCELLED = "run.cancelled"
WEBHOOK_TEST = "webhook.test"
# What an admin can choose per hook, in the order the page lists them, with what each means.
SUBSCRIBABLE = {
    RUN_PAUSED: "A run waits for someone: an approval, a quote, a reached AI cap",
    RUN_FAILED: "A run failed",
    RUN_COMPLETED: "A run completed",
    RUN_CANCELLED: "A run was cancelled: by a person, or by a decision deadline nobody met",
}
# The events people are emailed about: the ones that need someone to act (and `emailed` below).
EMAILED = (RUN_PAUSED, RUN_FAILED)
DEADLINE = "deadline"  # who ended a run when nobody decided in time (RunFacts.by)
REASONS = {
    "approval_required": "The plan costs more than its budget: an executive must approve, edit or reject it.",
    "quote": "The run's quote waits for an executive to accept, edit or reject it.",
    "ai_budget_exhausted": "The run reached an AI-spend cap: an admin can raise it and resume the run.",
}


@dataclass(frozen=True)
class RunFacts:
    """The few facts about a run a notification tells (read once, after its status committed)."""

    run_id: str
    org_id: int
    status: str
    company_name: str
    pause_reason: str | None
    error: dict[str, Any] | None
    objectives: tuple[str, ...] = ()
    by: str | None = None  # DEADLINE when a decision deadline's fallback ended the run

    @property
    def event(self) -> str:
        return f"run.{self.status}"

    @property
    def emailed(self) -> bool:
        """Whether the executives and admins are emailed: a run waits for them or failed, or the
        decision they were asked for was never made and the deadline cancelled the run."""
        return self.event in EMAILED or (self.event == RUN_CANCELLED and self.by == DEADLINE)

    @property
    def reason(self) -> str | None:
        """The machine-readable why of a pause, or of a cancellation by a deadline."""
        if self.status == "paused":
            return self.pause_reason
        return "decision_deadline" if self.status == "cancelled" and self.by == DEADLINE else None

    def reason_text(self) -> str:
        """In words, why the run stopped and who can act on it."""
        if self.status == "failed":
            message = str((self.error or {}).get("message") or "no reason was recorded")
            return f"The run failed: {message[:300]}"
        if self.status == "paused":
            return REASONS.get(self.pause_reason or "", f"The run paused ({self.pause_reason or 'no reason given'}).")
        if self.status == "cancelled" and self.by == DEADLINE:
            return ("Nobody decided before the organisation's decision deadline, so its fallback cancelled "
                    "the run. Nothing more will be spent on it; start a new run to try again.")
        return f"The run is {self.status}."


def live_url(base_url: str, run_id: str) -> str:
    """The run's live page, absolute (the base URL setting; no request to build it from)."""
    return f"{base_url.rstrip('/')}/runs/{run_id}"


def new_event_id() -> str:
    return "evt_" + uuid.uuid4().hex


def run_payload(facts: RunFacts, base_url: str, event_id: str) -> dict[str, Any]:
    """The JSON a webhook receives about a run."""
    data: dict[str, Any] = {
        "run": {
            "id": facts.run_id,
            "status": facts.status,
            "company_name": facts.company_name,
            "url": live_url(base_url, facts.run_id),
        },
        "reason": facts.reason,
        "message": facts.reason_text(),
    }
    if facts.status == "failed":
        error = facts.error or {}
        data["error"] = {"code": str(error.get("code") or ""), "message": str(error.get("message") or "")[:500]}
    return envelope(facts.event, facts.org_id, event_id, data)


def test_payload(org_id: int, hook_id: int, event_id: str) -> dict[str, Any]:
    """What "Send test" sends: says it is a test, carries no run."""
    data = {"webhook_id": hook_id, "message": "A test from Catalyst: this endpoint receives its webhooks."}
    return envelope(WEBHOOK_TEST, org_id, event_id, data)


def envelope(event: str, org_id: int, event_id: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event,
        "created_at": utcnow().isoformat(),
        "organisation_id": org_id,
        "data": data,
    }
