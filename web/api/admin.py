"""Admin budget API: budget settings, AI-spend report (JSON/CSV), audit log, a run's AI cap.

Admins only (403 for everyone else); everything is scoped to the admin's organisation, and a run
of another organisation is 404 whatever its id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from flask import Response
from flask_login import current_user
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from services.budgets import (
    BudgetSettingsError,
    BudgetSettingsPatch,
    RunFinishedError,
    audit_entries,
    get_budget_settings,
    set_run_ai_cap,
    spend_report,
    update_budget_settings,
)
from services.budgets.money import MICRO
from services.db import db
from services.holdings import holdings
from services.models import Run
from web.api import bp
from web.api.spec import documented
from web.api.validation import json_body, query_args
from web.errors import ApiError
from web.lookups import get_or_404
from web.permissions import require_admin


def _moment(value: object) -> object:
    """A query date: `YYYY-MM-DD` (midnight UTC) or an ISO date-time (naive = UTC)."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) == 10:
        return datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


Moment = Annotated[datetime | None, BeforeValidator(_moment, json_schema_input_type=date | datetime | None)]


class _Range(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: Moment = Field(default=None, alias="from")
    until: Moment = Field(default=None, alias="to")

    @model_validator(mode="before")
    @classmethod
    def _whole_last_day(cls, values: object) -> object:
        """`to` given as a bare date includes that whole day."""
        if isinstance(values, dict) and isinstance(values.get("to"), str) and len(values["to"]) == 10:
            try:
                day = date.fromisoformat(values["to"]) + timedelta(days=1)
            except (ValueError, OverflowError):
                return values  # the field reports it
            values = {**values, "to": day.isoformat()}
        return values

    @model_validator(mode="after")
    def _ordered(self) -> _Range:
        if self.since and self.until and self.since >= self.until:
            raise ValueError("`from` must be before `to`")
        return self


class SpendQuery(_Range):
    group_by: Literal["day", "run", "agent", "model", "user"] = "day"
    format: Literal["json", "csv"] = "json"


class AuditQuery(_Range):
    action: str | None = Field(default=None, max_length=64)
    actor: str | None = Field(default=None, max_length=254)
    target: str | None = Field(default=None, max_length=100)
    page: int = Field(default=1, ge=1, le=100_000)
    per_page: int = Field(default=50, ge=1, le=200)


class RunCapIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ai_cap_usd: Decimal = Field(ge=0, decimal_places=6)


class UsageOut(BaseModel):
    month: str | None = None
    used: str = Field(description="Settled AI spend, USD")
    reserved: str = Field(description="Held for calls in flight, USD")
    cap: str | None = Field(description="USD; null only when an admin chose no monthly cap")


class BudgetOut(BaseModel):
    monthly_ai_cap_usd: str
    run_ai_cap_default_usd: str
    run_ai_cap_max_usd: str
    run_budget_max_usd: str
    agent_share_caps: dict[str, str] = Field(description="Specialist → percent of a run's business budget")
    thresholds: list[int] = Field(description="Alert levels, percent of a cap")
    quote_policy: Literal["always", "over_budget", "never"] = Field(
        description="When a run stops at its quote after budgeting: always, only when the plan would be cut, or never"
    )
    overrun_policy: Literal["approve", "trim"] = Field(
        description="Older name of quote_policy, kept for clients: approve = always or over_budget, trim = never"
    )
    no_monthly_ai_cap: bool = Field(description="An admin chose no monthly cap (0 is a cap of zero)")
    decision_deadline_minutes: int | None = Field(
        description="How long a run paused for a decision waits before the fallback applies; null: no deadline"
    )
    decision_fallback: Literal["trim", "cancel"] = Field(
        description="At the deadline: trim the plan to the budget and caps, or cancel the run"
    )
    usage: UsageOut = Field(description="The organisation's AI spend this UTC month")


class SpendRowOut(BaseModel):
    key: str
    label: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: str


class SpendTotalOut(BaseModel):
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: str


class SpendOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    group_by: str
    since: str | None = Field(alias="from")
    until: str | None = Field(alias="to")
    rows: list[SpendRowOut]
    total: SpendTotalOut


class AuditActorOut(BaseModel):
    id: int | None
    email: str


class AuditTargetOut(BaseModel):
    type: str
    id: str


class AuditEntryOut(BaseModel):
    id: int
    action: str
    actor: AuditActorOut
    target: AuditTargetOut
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    created_at: str


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    total: int
    page: int
    per_page: int


class RunCapOut(BaseModel):
    id: str
    status: str
    ai_cap_usd: str
    ai: UsageOut


def _settings_json(org_id: int) -> dict:
    settings = get_budget_settings(org_id, holdings().settings)
    usage = holdings().ai_usage().org_usage(org_id)
    return {**settings.to_json(), "usage": {"month": usage.month, **usage.to_json()}}


def _invalid(exc: BudgetSettingsError) -> ApiError:
    return ApiError(422, str(exc), details=exc.details)


@documented(
    "Your organisation's budget settings and this month's AI spend (admin)", tag="admin",
    responses={200: BudgetOut}, errors=(403,),
)
@bp.get("/admin/budget")
@require_admin
def get_budget():  # noqa: ANN201
    return _settings_json(current_user.org_id)


@documented(
    "Change budget settings; absent fields keep their value (admin)", tag="admin", responses={200: BudgetOut},
    errors=(400, 403), body=BudgetSettingsPatch,
    description="`agent_share_caps` is merged per agent. Every change is audited.",
)
@bp.put("/admin/budget")
@require_admin
def put_budget():  # noqa: ANN201
    patch = json_body(BudgetSettingsPatch)
    try:
        update_budget_settings(current_user.org_id, patch, current_user._get_current_object(), holdings().settings)
    except BudgetSettingsError as exc:
        db.session.rollback()
        raise _invalid(exc) from None
    return _settings_json(current_user.org_id)


@documented(
    "Settled AI spend grouped by day, run, agent, model or user (admin)", tag="admin",
    responses={200: SpendOut}, errors=(403,), query=SpendQuery, alternatives={"text/csv": "text/csv"},
    description="`format=csv` answers text/csv with a header row; `to` as a date includes that day.",
)
@bp.get("/admin/spend")
@require_admin
def get_spend():  # noqa: ANN201
    query = query_args(SpendQuery)
    report = spend_report(current_user.org_id, group_by=query.group_by, since=query.since, until=query.until)
    if query.format == "csv":
        return Response(
            report.to_csv(),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="ai-spend-by-{query.group_by}.csv"'},
        )
    return report.to_json()


@documented(
    "The organisation's audit log, newest first (admin)", tag="admin", responses={200: AuditPageOut},
    errors=(403,), query=AuditQuery,
    description="`action` is exact or a prefix ending in `*`; `actor` an email or user id; "
    "`target` `type` or `type:id`.",
)
@bp.get("/admin/audit")
@require_admin
def get_audit():  # noqa: ANN201
    query = query_args(AuditQuery)
    page = audit_entries(
        current_user.org_id,
        action=query.action,
        actor=query.actor,
        target=query.target,
        since=query.since,
        until=query.until,
        page=query.page,
        per_page=query.per_page,
    )
    return page.to_json()


@documented(
    "Change a run's AI cap (admin)", tag="runs", responses={200: RunCapOut}, errors=(400, 403, 404, 409),
    body=RunCapIn, description="Raise the cap of a run paused at it, then resume the run.",
)
@bp.patch("/runs/<run_id>")
@require_admin
def patch_run(run_id: str):  # noqa: ANN201
    body = json_body(RunCapIn)
    run = get_or_404(Run, run_id, message="No such run.")
    try:
        set_run_ai_cap(run, body.ai_cap_usd, current_user._get_current_object(), holdings().settings)
    except BudgetSettingsError as exc:
        db.session.rollback()
        raise _invalid(exc) from None
    except RunFinishedError as exc:
        db.session.rollback()
        raise ApiError(409, str(exc), code="run_finished") from None
    usage = holdings().ai_usage().run_usage(run.id)
    return {
        "id": run.id,
        "status": run.status.value,
        "ai_cap_usd": str(run.ai_cap_usd.quantize(MICRO)),
        "ai": usage.to_json(),
    }
