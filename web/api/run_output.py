"""How a run looks in the API, and the fast way to write many of them.

`RunOut` documents the shape (the OpenAPI schema comes from it); `run_json` gives the same JSON
from one summary row (`services/runs/queries.py run_summaries`) without building a model per run:
a list of 50 runs cost 50 model validations and 150 `url_for` calls before. Decimals and datetimes
stay as they are: the app's JSON provider (web/json_provider.py) writes them as pydantic does, so
the response is what `RunOut(...).model_dump(mode="json")` gives (tests/web/api/test_run_output.py).
Converting them here first (pydantic-core's `to_jsonable_python`) cost as much as the query.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import RowMapping

from services.runs.deadlines import DECISION_REASONS

RunStatusName = Literal["queued", "running", "paused", "completed", "failed", "cancelled"]


class Person(BaseModel):
    id: int
    name: str


class RunLinks(BaseModel):
    self: str
    events: str
    report: str


class DecisionDeadline(BaseModel):
    due_at: datetime = Field(description="When the decision is due (fixed when the run paused)")
    fallback: Literal["trim", "cancel"] = Field(description="What happens if nobody decides by then")


class RunOut(BaseModel):
    id: str
    status: RunStatusName
    company: str
    brief: dict[str, Any]
    budget_usd: Decimal
    ai_cap_usd: Decimal
    policy: str
    provider: str
    model: str
    ai_price_set: bool = Field(description="False: the model has no price, its AI spend reads 0 but is unknown")
    pause_reason: str | None
    pause_payload: dict[str, Any] | None
    decision_deadline: DecisionDeadline | None = Field(description="While paused for a decision with a deadline")
    error: dict[str, Any] | None
    cancel_requested: bool
    queue_position: int | None = Field(description="1-based place in the queue while queued")
    last_seq: int = Field(description="Seq of the newest stored event")
    has_report: bool
    created_by: Person | None
    created_at: datetime
    queued_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
    links: RunLinks


class RunList(BaseModel):
    items: list[RunOut]
    total: int
    page: int
    per_page: int
    pages: int


def run_json(row: RowMapping, runs_path: str) -> dict[str, Any]:
    """One run summary for the API's JSON; `runs_path` is the collection's URL (`/api/runs`)."""
    run_path = f"{runs_path}/{row['id']}"
    creator = row["created_by_id"]
    return {
        "id": row["id"],
        "status": row["status"].value,
        "company": row["company_name"],
        "brief": row["brief"],
        "budget_usd": row["budget_usd"],
        "ai_cap_usd": row["ai_cap_usd"],
        "policy": row["policy"],
        "provider": row["provider"],
        "model": row["model"],
        "ai_price_set": row["ai_price_set"],
        "pause_reason": row["pause_reason"],
        "pause_payload": row["pause_payload"],
        "decision_deadline": _deadline(row),
        "error": row["error"],
        "cancel_requested": row["cancel_requested"],
        "queue_position": row["queue_position"],
        "last_seq": row["last_seq"],
        "has_report": bool(row["has_report"]),
        "created_by": (
            {"id": creator, "name": row["creator_name"] or row["creator_email"]} if creator is not None else None
        ),
        "created_at": row["created_at"],
        "queued_at": row["queued_at"],
        "started_at": row["started_at"],
        "finished_at": row["finished_at"],
        "updated_at": row["updated_at"],
        "links": {"self": run_path, "events": f"{run_path}/events", "report": f"{run_path}/report"},
    }


def _deadline(row: RowMapping) -> dict[str, Any] | None:
    """The run's decision deadline while it waits for that decision (services/runs/deadlines.py)."""
    due = row.get("decision_due_at")
    if due is None or row["status"].value != "paused" or row["pause_reason"] not in DECISION_REASONS:
        return None
    return {"due_at": due, "fallback": row.get("decision_fallback") or "trim"}
