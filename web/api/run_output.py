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
from sqlalchemy import ColumnElement, RowMapping, String, and_, bindparam, case, func, null, or_

from services.json_sql import json_bool, json_decimal, json_embedded, json_instant, json_object, json_text
from services.models import Run, RunStatus, User
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


def run_json_sql(
    queue_position: ColumnElement[Any], has_report: ColumnElement[bool]
) -> tuple[ColumnElement[Any]]:
    """`run_json`, written by the database (services/json_sql.py), as the column `item`: a
    summary shape (services/runs/queries.py) for lists, bound with `runs_path`. The API's list
    is this text, unparsed; the test of this module holds it to `run_json` key by key."""
    run_path = bindparam("runs_path", type_=String) + "/" + Run.id
    deadline = case(
        (
            # Equalities, not IN: an IN list is expanded into the SQL on every execution.
            and_(Run.decision_due_at.is_not(None), Run.status == RunStatus.paused,
                 or_(*(Run.pause_reason == reason for reason in DECISION_REASONS))),
            json_object({"due_at": json_instant(Run.decision_due_at),
                         "fallback": func.coalesce(func.nullif(Run.decision_fallback, ""), "trim")}),
        ),
        else_=null(),
    )  # fmt: skip
    creator = case(
        (Run.created_by_id.is_(None), null()),
        else_=json_object(
            {"id": Run.created_by_id, "name": func.coalesce(func.nullif(User.name, ""), User.email)}
        ),
    )
    item = json_object({
        "id": Run.id,
        "status": Run.status,
        "company": Run.company_name,
        "brief": json_embedded(Run.brief),
        "budget_usd": json_decimal(Run.budget_usd),
        "ai_cap_usd": json_decimal(Run.ai_cap_usd),
        "policy": Run.policy,
        "provider": Run.provider,
        "model": Run.model,
        "ai_price_set": json_bool(Run.ai_price_set),
        "pause_reason": Run.pause_reason,
        "pause_payload": json_embedded(Run.pause_payload),
        "decision_deadline": json_embedded(deadline),
        "error": json_embedded(Run.error),
        "cancel_requested": json_bool(Run.cancel_requested),
        "queue_position": queue_position,
        "last_seq": Run.last_seq,
        "has_report": json_bool(has_report),
        "created_by": json_embedded(creator),
        "created_at": json_instant(Run.created_at),
        "queued_at": json_instant(Run.queued_at),
        "started_at": json_instant(Run.started_at),
        "finished_at": json_instant(Run.finished_at),
        "updated_at": json_instant(Run.updated_at),
        "links": json_object({"self": run_path, "events": run_path + "/events", "report": run_path + "/report"}),
    })  # fmt: skip
    return (json_text(item).label("item"),)


def _deadline(row: RowMapping) -> dict[str, Any] | None:
    """The run's decision deadline while it waits for that decision (services/runs/deadlines.py)."""
    due = row.get("decision_due_at")
    if due is None or row["status"].value != "paused" or row["pause_reason"] not in DECISION_REASONS:
        return None
    return {"due_at": due, "fallback": row.get("decision_fallback") or "trim"}
