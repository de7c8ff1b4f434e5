"""Runs over HTTP: create, list, read, events, approve/reject, cancel, resume, report.

Every lookup is scoped to the caller's organisation (another organisation's run is a 404 whatever
the id); state changes need an executive or admin (403 for members). Request and response bodies
are pydantic models, which is also where the OpenAPI document gets its schemas.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from flask import Response, current_app, url_for
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field, field_validator

from agents.report_model import StructuredReport
from agents.state import STRIP_SET, Brief
from services.db import db
from services.events import events_after
from services.holdings import holdings
from services.models import Run, RunStatus
from services.pagination import keyset_page, page_count
from services.permissions import CANCEL_RUNS, DECIDE_RUNS, RESUME_RUNS, START_RUNS, VIEW_RUNS
from services.runs import RunActionError, RunFilter, RunService
from services.runs.queries import run_summaries, run_summary
from web.api import bp
from web.api.run_output import RunList, RunOut, RunStatusName, run_json, run_json_sql
from web.api.spec import documented
from web.api.validation import IsoDate, json_body, query_args
from web.errors import ApiError
from web.lookups import get_or_404
from web.permissions import require_permission

# --- request models ------------------------------------------------------------------------------


class RunListQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, str_strip_whitespace=True)

    status: RunStatusName | None = None
    text: str | None = Field(
        None, max_length=200, description="Matches the company name or the objectives",
        # What _printable lets through once the edges are stripped (pydantic strips \x0b-\x0c, not \x1c-\x1f).
        json_schema_extra={"pattern": rf"^[{STRIP_SET}]*(?:[^\x00-\x08\x0b\x0c\x0e-\x1f]*"
                                      rf"[^\x00-\x08\x0b\x0c\x0e-\x1f{STRIP_SET}])?[{STRIP_SET}]*$"},
    )
    date_from: IsoDate | None = Field(None, alias="from", description="Created on or after this day (UTC)")
    date_to: IsoDate | None = Field(None, alias="to", description="Created on or before this day (UTC)")
    page: int = Field(1, ge=1, le=10_000)
    per_page: int = Field(20, ge=1, le=100)

    @field_validator("text")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        if value is not None and _has_control(value):
            raise ValueError("must not contain control characters")
        return value


class EventsQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    after_seq: int = Field(0, ge=0, le=2**31 - 1)
    limit: int = Field(500, ge=1, le=1000)


class ReportQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    format: Literal["markdown", "html", "json"] = Field(
        "markdown", description="markdown (default), sanitised html, or json: the structured report"
    )


# Not blank once stripped: some character that str_strip_whitespace keeps (agents.state STRIP_SET).
TaskId = Annotated[str, Field(min_length=1, max_length=40, json_schema_extra={"pattern": rf"[^{STRIP_SET}]"})]


def _decision_variants(schema: dict[str, Any]) -> None:
    """The body as one schema per kind of decision: only `edit` cuts tasks, at least one and each once
    (the service refuses a cut list with approve or reject, an edit that cuts nothing, and repeats)."""
    fields = schema.pop("properties")
    schema.pop("additionalProperties", None)
    schema.pop("required", None)
    plain = {**fields, "decision": {"enum": ["approve", "accept", "reject"]}, "cut": {**fields["cut"], "maxItems": 0}}
    edit = {**fields, "decision": {"const": "edit"}, "cut": {**fields["cut"], "minItems": 1, "uniqueItems": True}}
    schema["oneOf"] = [
        {"type": "object", "additionalProperties": False, "required": ["decision"], "properties": plain},
        {"type": "object", "additionalProperties": False, "required": ["decision", "cut"], "properties": edit},
    ]


class DecisionIn(BaseModel):
    """A decision on a paused plan or quote; `edit` funds every task except those in `cut` (approving any
    overrun left); `accept` is `approve` (accepting a quote)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_decision_variants)

    decision: Literal["approve", "accept", "reject", "edit"]
    note: str = Field("", max_length=1000)
    cut: list[TaskId] = Field(
        default_factory=list, max_length=40, description="Task ids to leave unfunded (decision edit only)"
    )


# --- response models -----------------------------------------------------------------------------


class EventOut(BaseModel):
    run_id: str
    seq: int
    ts: datetime
    type: str
    phase: str | None = None
    agent: str | None = None
    data: dict[str, Any]


class EventPage(BaseModel):
    run_id: str
    events: list[EventOut]
    last_seq: int = Field(description="Seq of the last event in this page (after_seq when empty)")
    more: bool = Field(description="More events follow: ask again with after_seq=last_seq")


# --- helpers -------------------------------------------------------------------------------------


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text)


def _control_characters(value: Any, path: str = "") -> str | None:
    """The field of the first string holding a control character (databases refuse NUL)."""
    if isinstance(value, str):
        return path or "body" if _has_control(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _control_characters(item, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def _service() -> RunService:
    return holdings().runs


NO_SUCH_RUN = "No such run."
RUNNERS_ONLY = "Only executives and admins can change runs."


def _runs_path() -> str:
    return url_for("api.list_runs_view")


def _one(run: Run, status: int = 200) -> tuple[dict[str, Any], int]:
    """The run as the API shows it, read afresh (after a command changed it)."""
    summary = run_summary(run.org_id, run.id)
    if summary is None:  # it was there a moment ago; only a concurrent delete could do this
        raise ApiError(404, NO_SUCH_RUN)
    return run_json(summary, _runs_path()), status


def _act(action: Any, *args: Any) -> Run:
    """Call a service command, turning its refusals into the API's error shape."""
    try:
        return action(*args)
    except RunActionError as exc:
        db.session.rollback()
        details = [{"field": exc.field, "message": exc.message}] if exc.field else None
        raise ApiError(exc.status, exc.message, code=exc.code, details=details) from None


# --- routes --------------------------------------------------------------------------------------


@documented(
    "Start a run from a brief", tag="runs", responses={201: RunOut}, errors=(403,), body=Brief,
    description="Queued at once; `queue_position` says how many runs are ahead.",
    headers={201: {"Location": "The new run's URL"}}, links={"run_id": "/id"},
)
@bp.post("/runs")
@require_permission(START_RUNS, message=RUNNERS_ONLY)
def create_run():  # noqa: ANN201
    brief = json_body(Brief)
    bad = _control_characters(brief.model_dump(mode="json"))
    if bad:
        details = [{"field": bad, "message": "contains control characters"}]
        raise ApiError(422, "Some fields are not valid.", details=details)
    run = _act(_service().create, current_user._get_current_object(), brief)
    body, status = _one(run, 201)
    return body, status, {"Location": body["links"]["self"]}


@documented("List your organisation's runs", tag="runs", responses={200: RunList}, query=RunListQuery)
@bp.get("/runs")
@require_permission(VIEW_RUNS)
def list_runs_view():  # noqa: ANN201
    query = query_args(RunListQuery)
    if query.date_from and query.date_to and query.date_from > query.date_to:
        details = [{"field": "to", "message": "is before from"}]
        raise ApiError(422, "Some query parameters are not valid.", details=details)
    rows, total = run_summaries(
        current_user.org_id,
        RunFilter(
            status=RunStatus(query.status) if query.status else None,
            text=query.text or None,
            date_from=query.date_from,
            date_to=query.date_to,
        ),
        page=query.page,
        per_page=query.per_page,
        shape=run_json_sql,
        runs_path=_runs_path(),
    )
    return {
        # Each item is JSON the database wrote; the list is only joined (web/api/run_output.py).
        "items": orjson.Fragment("[" + ",".join(row["item"] for row in rows) + "]"),
        "total": total,
        "page": query.page,
        "per_page": query.per_page,
        "pages": page_count(total, query.per_page),
    }


@documented("One run", tag="runs", responses={200: RunOut}, errors=(404,))
@bp.get("/runs/<run_id>")
@require_permission(VIEW_RUNS)
def get_run(run_id: str):  # noqa: ANN201
    return _one(get_or_404(Run, run_id, message=NO_SUCH_RUN))


@documented(
    "Stored events after a seq", tag="runs", responses={200: EventPage}, errors=(404,), query=EventsQuery
)
@bp.get("/runs/<run_id>/events")
@require_permission(VIEW_RUNS)
def run_events(run_id: str):  # noqa: ANN201
    run = get_or_404(Run, run_id, message=NO_SUCH_RUN)
    query = query_args(EventsQuery)
    found = keyset_page(lambda count: events_after(db.session.connection(), run.id, query.after_seq, count), query.limit)
    return {
        "run_id": run.id,
        "events": found.items,
        "last_seq": found.items[-1]["seq"] if found.items else query.after_seq,
        "more": found.more,
    }


@documented(
    "Approve or reject a budget overrun, or accept, edit or reject a quote", tag="runs", responses={200: RunOut},
    errors=(400, 403, 404, 409), body=DecisionIn,
    description="Answers a run paused with reason approval_required or quote (see the pause payload's `quote`).",
)
@bp.post("/runs/<run_id>/approve")
@require_permission(DECIDE_RUNS, message=RUNNERS_ONLY)
def approve_run(run_id: str):  # noqa: ANN201
    run = get_or_404(Run, run_id, message=NO_SUCH_RUN)
    body = json_body(DecisionIn)
    user = current_user._get_current_object()
    return _one(_act(_service().decide, run, user, body.decision, body.note, body.cut))


@documented(
    "Cancel a run", tag="runs", responses={200: RunOut}, errors=(400, 403, 404, 409),
    description="Queued and paused runs end at once; a running run stops at its next step.",
)
@bp.post("/runs/<run_id>/cancel")
@require_permission(CANCEL_RUNS, message=RUNNERS_ONLY)
def cancel_run(run_id: str):  # noqa: ANN201
    run = get_or_404(Run, run_id, message=NO_SUCH_RUN)  # the service checks it is the caller's to cancel
    return _one(_act(_service().cancel, run, current_user._get_current_object()))


@documented(
    "Resume a run paused at its AI-spend cap (admin)", tag="runs", responses={200: RunOut},
    errors=(400, 403, 404, 409),
)
@bp.post("/runs/<run_id>/resume")
@require_permission(RESUME_RUNS, message="Only admins can resume runs.")
def resume_run(run_id: str):  # noqa: ANN201
    run = get_or_404(Run, run_id, message=NO_SUCH_RUN)
    return _one(_act(_service().resume, run, current_user._get_current_object()))


@documented(
    "The executive report", tag="runs", responses={200: "text/markdown"}, errors=(404,), query=ReportQuery,
    alternatives={"text/html": "text/html", "application/json": StructuredReport},
    description="Markdown; `format=html` gives sanitised HTML; `format=json` gives the structured "
    "report every rendering is made from (money as decimal strings, 404 `report_not_ready` for runs "
    "finished before it existed).",
)
@bp.get("/runs/<run_id>/report")
@require_permission(VIEW_RUNS)
def run_report(run_id: str) -> Response:
    run = get_or_404(Run, run_id, message=NO_SUCH_RUN)
    query = query_args(ReportQuery)
    if query.format == "json":
        # Stored as StructuredReport.model_dump(mode="json"): money is already decimal strings.
        if not run.report:
            message = "The report is written when the run completes." if not run.report_markdown else (
                "This run finished before structured reports existed; ask for markdown or html."
            )
            raise ApiError(404, message, code="report_not_ready")
        return current_app.json.response(run.report)
    if not run.report_markdown:
        raise ApiError(404, "The report is written when the run completes.", code="report_not_ready")
    if query.format == "html":
        from web.pages.markdown import render_markdown

        return Response(str(render_markdown(run.report_markdown)), content_type="text/html; charset=utf-8")
    return Response(run.report_markdown, content_type="text/markdown; charset=utf-8")

