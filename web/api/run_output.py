"""How a run looks in the API, and the fast way to write many of them.

`RunOut` documents the shape (the OpenAPI schema comes from it); `run_json` writes the same JSON
from one summary row (`services/runs/queries.py run_summaries`) without building a model per run:
a list of 50 runs cost 50 model validations and 150 `url_for` calls before. Values pydantic would
convert (decimals, datetimes) go through pydantic-core's own `to_jsonable_python`, so the output is
byte for byte what `RunOut(...).model_dump(mode="json")` gives (tests/web/api/test_run_output.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic_core import to_jsonable_python
from sqlalchemy import RowMapping

RunStatusName = Literal["queued", "running", "paused", "completed", "failed", "cancelled"]


class Person(BaseModel):
    id: int
    name: str


class RunLinks(BaseModel):
    self: str
    events: str
    report: str


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
    """One run summary as the API writes it; `runs_path` is the collection's URL (`/api/runs`)."""
    run_path = f"{runs_path}/{row['id']}"
    creator = row["created_by_id"]
    return to_jsonable_python({
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
    })
