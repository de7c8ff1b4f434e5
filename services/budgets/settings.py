"""Budget settings of an organisation: AI caps, business-budget ceiling, agent share caps, alerts.

Stored per organisation once an admin saves them; until then the defaults come from the app's
settings (`monthly_ai_cap_usd`, `run_ai_cap_default_usd`, `overrun_policy`) and the agent catalogue.
The quote policy is the one setting of when runs stop after budgeting; `overrun_policy` is its older
name, read and written through it (services/budgets/quote_policy.py).
Every change is audited with its before/after.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from config.settings import Settings
from services import audit
from services.budgets.money import MICRO, plain
from services.budgets.quote_policy import OverrunPolicy, QuotePolicy, apply_alias, from_overrun, overrun_alias
from services.db import db
from services.models import Run, User
from services.models.budgets import OrgBudgetSettings

MAX_MONTHLY_AI_CAP = Decimal("1000000")
MAX_RUN_AI_CAP = Decimal("100000")
MIN_RUN_BUDGET = Decimal("100")
MAX_RUN_BUDGET = Decimal("1000000")
DEFAULT_THRESHOLDS = (50, 80, 100)

MonthlyCap = Annotated[Decimal, Field(ge=0, le=MAX_MONTHLY_AI_CAP, decimal_places=6)]
RunCap = Annotated[Decimal, Field(ge=0, le=MAX_RUN_AI_CAP, decimal_places=6)]
RunBudget = Annotated[Decimal, Field(ge=MIN_RUN_BUDGET, le=MAX_RUN_BUDGET, decimal_places=2)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)]
def _whole_number(value: object) -> object:
    """A JSON integer, which JSON Schema says 55.0 is too; never a boolean or a string."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


# The bounds first, so they stay in the int schema (and its JSON Schema says minimum/maximum); the
# before-validator runs ahead of them all the same.
Level = Annotated[int, Field(ge=1, le=100), BeforeValidator(_whole_number)]
# An approval deadline: at least five minutes (the maintenance loops look every minute), at most 30 days.
MIN_DEADLINE_MINUTES = 5
MAX_DEADLINE_MINUTES = 30 * 24 * 60
DeadlineMinutes = Annotated[
    int, Field(ge=MIN_DEADLINE_MINUTES, le=MAX_DEADLINE_MINUTES), BeforeValidator(_whole_number)
]


class BudgetSettingsError(ValueError):
    """Settings or a cap that cannot be accepted; `details` are field/message pairs for the API."""

    def __init__(self, message: str, details: list[dict[str, str]]):
        super().__init__(message)
        self.details = details


class RunFinishedError(ValueError):
    """The run is finished; its caps no longer change."""


def _specialist_caps() -> dict[str, Decimal]:
    """Default share caps (percent) from the agent catalogue, keyed by specialist."""
    from agents.catalogue import default_catalogue

    return {
        name: spec.default_share_cap_percent
        for name, spec in default_catalogue().agents.items()
        if spec.kind == "specialist" and spec.default_share_cap_percent is not None
    }


def _check_agents(value: dict[str, Decimal]) -> dict[str, Decimal]:
    known = _specialist_caps()
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ValueError(f"unknown agent(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return value


def _only_known_agents(schema: dict[str, Any]) -> None:
    """JSON Schema of share caps: one property per specialist, no other key (what `_check_agents` says)."""
    percent = schema.pop("additionalProperties", {})
    schema["properties"] = {name: percent for name in sorted(_specialist_caps())}
    schema["additionalProperties"] = False


def _check_thresholds(value: list[int]) -> list[int]:
    if value != sorted(set(value)):
        raise ValueError("thresholds must be unique and in increasing order, e.g. [50, 80, 100]")
    return value


class BudgetSettings(BaseModel):
    """An organisation's budget settings, complete and consistent."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    monthly_ai_cap_usd: MonthlyCap
    run_ai_cap_default_usd: RunCap
    run_ai_cap_max_usd: RunCap
    run_budget_max_usd: RunBudget
    agent_share_caps: dict[str, Percent]
    thresholds: list[Level] = Field(max_length=10)
    quote_policy: QuotePolicy = "over_budget"
    # An admin's explicit choice: runs still have their own caps, the month has none. A monthly cap
    # of 0 is a cap of zero.
    no_monthly_ai_cap: StrictBool = False
    # How long a run paused for a decision waits (None: for ever), then trim the plan or cancel.
    decision_deadline_minutes: DeadlineMinutes | None = None
    decision_fallback: Literal["trim", "cancel"] = "trim"

    _agents = field_validator("agent_share_caps")(_check_agents)
    _levels = field_validator("thresholds")(_check_thresholds)

    @model_validator(mode="before")
    @classmethod
    def _older_name(cls, data: Any) -> Any:
        """`overrun_policy=` still builds settings: it names the quote policy it is an alias of."""
        if isinstance(data, dict) and "overrun_policy" in data:
            data = dict(data)
            data.setdefault("quote_policy", from_overrun(data.pop("overrun_policy"), ""))
        return data

    @property
    def overrun_policy(self) -> OverrunPolicy:
        """The older name of the quote policy (approve: always or over_budget; trim: never)."""
        return overrun_alias(self.quote_policy)

    def to_json(self) -> dict[str, Any]:
        """JSON shape of the API and the audit log (money as strings, never floats)."""
        return {
            "monthly_ai_cap_usd": plain(self.monthly_ai_cap_usd),
            "run_ai_cap_default_usd": plain(self.run_ai_cap_default_usd),
            "run_ai_cap_max_usd": plain(self.run_ai_cap_max_usd),
            "run_budget_max_usd": plain(self.run_budget_max_usd),
            "agent_share_caps": {
                agent: plain(percent, 0) for agent, percent in sorted(self.agent_share_caps.items())
            },
            "thresholds": list(self.thresholds),
            "quote_policy": self.quote_policy,
            "overrun_policy": self.overrun_policy,
            "no_monthly_ai_cap": self.no_monthly_ai_cap,
            "decision_deadline_minutes": self.decision_deadline_minutes,
            "decision_fallback": self.decision_fallback,
        }


class BudgetSettingsPatch(BaseModel):
    """A partial update as `PUT /api/admin/budget` accepts it; absent fields keep their value.

    `agent_share_caps` is merged per agent. Fields are typed without `None` so an explicit null is
    refused with a field error instead of being mistaken for "unchanged".
    """

    model_config = ConfigDict(extra="forbid")

    monthly_ai_cap_usd: MonthlyCap = None  # type: ignore[assignment]
    run_ai_cap_default_usd: RunCap = None  # type: ignore[assignment]
    run_ai_cap_max_usd: RunCap = None  # type: ignore[assignment]
    run_budget_max_usd: RunBudget = None  # type: ignore[assignment]
    agent_share_caps: dict[str, Percent] = Field(default=None, json_schema_extra=_only_known_agents)  # type: ignore[arg-type]
    # Unique is a schema keyword; increasing order is not (the fuzz hooks hold cases to it).
    thresholds: list[Level] = Field(default=None, max_length=10, json_schema_extra={"uniqueItems": True})  # type: ignore[arg-type]
    quote_policy: QuotePolicy = None  # type: ignore[assignment]
    overrun_policy: OverrunPolicy = Field(default=None, description="Older name of quote_policy")  # type: ignore[arg-type]
    no_monthly_ai_cap: StrictBool = None  # type: ignore[assignment]
    # Here null means something: no deadline (absent keeps the current one).
    decision_deadline_minutes: DeadlineMinutes | None = None
    decision_fallback: Literal["trim", "cancel"] = None  # type: ignore[assignment]

    _agents = field_validator("agent_share_caps")(_check_agents)
    _levels = field_validator("thresholds")(_check_thresholds)


def default_budget_settings(app_settings: Settings) -> BudgetSettings:
    """What an organisation gets before an admin saves anything (from the app's settings)."""
    monthly = app_settings.monthly_ai_cap_usd
    run_max = min(monthly, MAX_RUN_AI_CAP)
    return BudgetSettings(
        monthly_ai_cap_usd=monthly,
        run_ai_cap_default_usd=min(app_settings.run_ai_cap_default_usd, run_max),
        run_ai_cap_max_usd=run_max,
        run_budget_max_usd=MAX_RUN_BUDGET,
        agent_share_caps=_specialist_caps(),
        thresholds=list(DEFAULT_THRESHOLDS),
        quote_policy=from_overrun(app_settings.overrun_policy, ""),
    )


def _from_row(row: OrgBudgetSettings) -> BudgetSettings:
    caps = _specialist_caps()
    # Catalogue defaults fill in specialists added after the row was saved.
    caps.update(
        {agent: Decimal(str(percent)) for agent, percent in row.agent_share_caps.items() if agent in caps}
    )
    return BudgetSettings(
        monthly_ai_cap_usd=row.monthly_ai_cap_usd,
        run_ai_cap_default_usd=row.run_ai_cap_default_usd,
        run_ai_cap_max_usd=row.run_ai_cap_max_usd,
        run_budget_max_usd=row.run_budget_max_usd,
        agent_share_caps=caps,
        thresholds=list(row.thresholds),
        quote_policy=row.quote_policy,
        no_monthly_ai_cap=bool(row.no_monthly_ai_cap),
        decision_deadline_minutes=row.decision_deadline_minutes,
        decision_fallback=row.decision_fallback or "trim",
    )


def get_budget_settings(org_id: int, app_settings: Settings) -> BudgetSettings:
    """The organisation's settings, or the defaults (`app_settings`) when none were saved."""
    row = db.session.get(OrgBudgetSettings, org_id)
    return _from_row(row) if row is not None else default_budget_settings(app_settings)


def consistency_problems(settings: BudgetSettings) -> list[dict[str, str]]:
    """Caps that contradict each other, as field/message pairs."""
    problems = []
    if settings.run_ai_cap_default_usd > settings.run_ai_cap_max_usd:
        problems.append(
            {
                "field": "run_ai_cap_default_usd",
                "message": f"must not exceed run_ai_cap_max_usd ({plain(settings.run_ai_cap_max_usd)}); "
                "change both in the same request",
            }
        )
    if not settings.no_monthly_ai_cap and settings.run_ai_cap_max_usd > settings.monthly_ai_cap_usd:
        problems.append(
            {
                "field": "run_ai_cap_max_usd",
                "message": f"must not exceed monthly_ai_cap_usd ({plain(settings.monthly_ai_cap_usd)}); "
                "change both in the same request",
            }
        )
    return problems


def update_budget_settings(
    org_id: int, patch: BudgetSettingsPatch | dict[str, Any], actor: User | None, app_settings: Settings
) -> BudgetSettings:
    """Apply a partial update, check the result is consistent, store it and audit the change."""
    if not isinstance(patch, BudgetSettingsPatch):
        patch = BudgetSettingsPatch.model_validate(patch)
    current = get_budget_settings(org_id, app_settings)
    changes = patch.model_dump(exclude_unset=True)
    if "agent_share_caps" in changes:
        changes["agent_share_caps"] = {**current.agent_share_caps, **changes["agent_share_caps"]}
    aliased = apply_alias(changes, current.quote_policy)
    updated = current.model_copy(update=changes)
    problems = aliased + consistency_problems(updated)
    if problems:
        raise BudgetSettingsError("The budget settings contradict each other.", problems)
    before, after = current.to_json(), updated.to_json()
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        return current

    row = db.session.get(OrgBudgetSettings, org_id)
    if row is None:
        row = OrgBudgetSettings(org_id=org_id)
        db.session.add(row)
    row.monthly_ai_cap_usd = updated.monthly_ai_cap_usd
    row.run_ai_cap_default_usd = updated.run_ai_cap_default_usd
    row.run_ai_cap_max_usd = updated.run_ai_cap_max_usd
    row.run_budget_max_usd = updated.run_budget_max_usd
    row.agent_share_caps = after["agent_share_caps"]
    row.thresholds = after["thresholds"]
    row.quote_policy = updated.quote_policy
    row.no_monthly_ai_cap = updated.no_monthly_ai_cap
    row.decision_deadline_minutes = updated.decision_deadline_minutes
    row.decision_fallback = updated.decision_fallback
    row.updated_by_id = actor.id if actor else None
    audit.record(
        "budget.settings_updated",
        actor=actor,
        target_type="organisation",
        target_id=org_id,
        org_id=org_id,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    db.session.commit()
    return updated


def resolve_run_ai_cap(org_id: int, requested: Decimal | None, app_settings: Settings) -> Decimal:
    """The AI cap a new run gets: the org default, or the requested cap if within the maximum."""
    settings = get_budget_settings(org_id, app_settings)
    if requested is None:
        return settings.run_ai_cap_default_usd
    _check_run_cap(requested, settings)
    return requested


def check_run_budget(org_id: int, budget_usd: Decimal, app_settings: Settings) -> Decimal:
    """The business budget of a new run, refused above the organisation's ceiling."""
    ceiling = get_budget_settings(org_id, app_settings).run_budget_max_usd
    if budget_usd > ceiling:
        _refuse("budget_usd", f"must be at most {plain(ceiling)} USD, your organisation's ceiling per run")
    return budget_usd


def _refuse(field: str, message: str) -> None:
    # The message names the field: some callers only show str(error).
    raise BudgetSettingsError(f"{field} {message}", [{"field": field, "message": message}])


def _check_run_cap(cap: Decimal, settings: BudgetSettings, field: str = "ai_cap_usd") -> None:
    if not cap.is_finite() or cap < 0:
        _refuse(field, "must be 0 or more")
    if cap > settings.run_ai_cap_max_usd:
        _refuse(
            field,
            f"must be at most {plain(settings.run_ai_cap_max_usd)} USD, your organisation's maximum per run",
        )
    if cap != cap.quantize(MICRO):
        _refuse(field, "must have at most 6 decimal places")


def set_run_ai_cap(run: Run, new_cap: Decimal, actor: User | None, app_settings: Settings) -> Run:
    """Change a run's AI cap (an admin raising it lets a paused run resume); audited."""
    if run.status.finished:
        raise RunFinishedError(f"run is {run.status.value}; its AI cap can no longer change")
    _check_run_cap(new_cap, get_budget_settings(run.org_id, app_settings))
    before = run.ai_cap_usd
    if before == new_cap:
        return run
    run.ai_cap_usd = new_cap
    audit.record(
        "run.ai_cap_changed",
        actor=actor,
        target_type="run",
        target_id=run.id,
        org_id=run.org_id,
        before={"ai_cap_usd": plain(before)},
        after={"ai_cap_usd": plain(new_cap)},
    )
    db.session.commit()
    return run
