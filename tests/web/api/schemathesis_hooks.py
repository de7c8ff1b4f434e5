"""Schemathesis hooks (loaded with SCHEMATHESIS_HOOKS): the API's rules JSON Schema cannot state.

The document says everything a schema can; a few rules relate two values, which no JSON Schema
keyword does, so a "valid" case generated without them would be refused with 422 and reported as
positive data rejected. Each hook drops only *positive* cases that break such a rule (negative
cases are meant to be refused and are kept):

- a money field sent as a decimal string is held to the bounds of its number form (the string
  branch of `anyOf` can say the syntax, not the range);
- a money field with `x-decimal-places` has at most that many (a string's exponent moves the point,
  which no pattern can weigh, and `multipleOf` on binary floats cannot say it exactly either);
- a date range must not end before it starts (`from`/`to` of the runs list and the admin reports);
- alert thresholds are in increasing order (`uniqueItems` is in the schema; order is no keyword).
- a webhook URL must pass the server's own check (a public host, DNS) and an organisation has at
  most 20 hooks (state the fuzz changes; read back with GET).

Other refusals depend on state that the fuzz itself changes, which no document can hold: the
organisation's budget settings (PUT /api/admin/budget moves the ceiling per run, the AI caps, and
what a change must stay consistent with), a paused run's plan (an edit cuts tasks it lists), and
for a provider change the model registry, the environment's provider and keys, and DNS (a base
URL's host must not be private). For those the hooks read the state as the server holds it (GET
with the fuzz's token) and apply the server's own check, so a case is dropped only when the
server must refuse it.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote

import requests
import schemathesis
from pydantic import Field, TypeAdapter, ValidationError

from agents.state import Brief
from config.settings import load_settings
from services.budgets.settings import BudgetSettings, BudgetSettingsPatch, consistency_problems
from services.llm.config import LLMConfig
from services.llm.environment import environment_llm_config
from services.llm.registry import load_registry
from services.notifications.hooks import MAX_HOOKS_PER_ORG, WebhookInvalid, check_url
from services.provider_settings import KEY_FIELDS, ProviderChange, ProviderSettingsError, _check
from services.runs.errors import RunInvalid
from services.runs.service import APPROVAL_REQUIRED, _check_cut, _paused_tasks
from web.api.admin import RunCapIn
from web.api.runs import DecisionIn


def _is_negative(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_negative


def _resolve(schema: Any, bundle: dict[str, Any]) -> Any:
    """Follow a reference into the operation's bundle of schemas (schemathesis' `x-bundled`)."""
    while isinstance(schema, dict) and "$ref" in schema:
        schema = bundle.get(schema["$ref"].rsplit("/", 1)[-1], {})
    return schema


def _money(schema: Any, bundle: dict[str, Any]) -> dict[str, Any] | None:
    """The money schema (`anyOf` of a number and a decimal string) in `schema`, maybe in an outer anyOf."""
    schema = _resolve(schema, bundle)
    if not isinstance(schema, dict):
        return None
    branches = [_resolve(branch, bundle) for branch in schema.get("anyOf", [])]
    types = {branch.get("type") for branch in branches if isinstance(branch, dict)}
    if "number" in types and any(isinstance(b, dict) and "pattern" in b and b.get("type") == "string" for b in branches):
        return schema
    return next((found for branch in branches if (found := _money(branch, bundle)) is not None), None)


@lru_cache(maxsize=64)
def _amounts(low: float | None, high: float | None, places: int | None) -> TypeAdapter[Decimal]:
    """What the API's own pydantic field does with the amount: the same library, the same verdict."""
    bounds = Field(
        ge=None if low is None else Decimal(str(low)),
        le=None if high is None else Decimal(str(high)),
        decimal_places=places,
    )
    return TypeAdapter(Annotated[Decimal, bounds])


def _money_fits(value: Any, money: dict[str, Any]) -> bool:
    number = next(b for b in money["anyOf"] if isinstance(b, dict) and b.get("type") == "number")
    decimal_string = next(b for b in money["anyOf"] if isinstance(b, dict) and b.get("type") == "string")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return True  # another branch's value (null, a blank string, ...): the schema decides
    if isinstance(value, str) and not re.fullmatch(decimal_string["pattern"], value):
        return True
    try:
        _amounts(number.get("minimum"), number.get("maximum"), money.get("x-decimal-places")).validate_python(value)
    except ValidationError:
        return False
    return True


def _money_in_bounds(value: Any, schema: Any, bundle: dict[str, Any]) -> bool:
    money = _money(schema, bundle)
    if money is not None:
        return _money_fits(value, money)
    schema = _resolve(schema, bundle)
    if not isinstance(schema, dict):
        return True
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        return all(_money_in_bounds(item, properties.get(key, extra), bundle) for key, item in value.items())
    if isinstance(value, list):
        return all(_money_in_bounds(item, schema.get("items"), bundle) for item in value)
    return True


def _day(value: Any, *, end: bool = False) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), datetime.min.time())
            return moment + timedelta(days=1) if end else moment
        return datetime.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        return None


def _range_in_order(query: dict[str, Any] | None, path: str) -> bool:
    start, stop = (query or {}).get("from"), (query or {}).get("to")
    if path == "/api/runs":  # whole days, both ends included
        return not (isinstance(start, str) and isinstance(stop, str)) or start <= stop
    # Admin reports: `to` as a bare date includes that day, and the range must not be empty.
    since, until = _day(start), _day(stop, end=True)
    return since is None or until is None or since < until


def _get(path: str) -> Any:
    """The API's answer to GET `path` as another admin of the fuzz's organisation (None unless 200).

    Another admin's token: the fuzz lists and revokes its own user's tokens, never this one.
    """
    answer = requests.get(
        os.environ["CATALYST_FUZZ_BASE_URL"] + path,
        headers={"Authorization": f"Bearer {os.environ['CATALYST_OBSERVER_TOKEN']}"},
        timeout=30,
    )
    return answer.json() if answer.status_code == 200 else None


def _org_budget() -> BudgetSettings:
    answer = _get("/api/admin/budget")
    return BudgetSettings.model_validate({name: answer[name] for name in BudgetSettings.model_fields})


def _run_within_budget(body: Any) -> bool:
    """POST /api/runs: the budget within the organisation's ceiling per run, the AI cap within its maximum."""
    try:
        brief = Brief.model_validate(body)
    except ValidationError:
        return True  # the schema's verdict stands
    org = _org_budget()
    if brief.budget_usd > org.run_budget_max_usd:
        return False
    return brief.ai_cap_usd is None or brief.ai_cap_usd <= org.run_ai_cap_max_usd


def _cap_within_maximum(body: Any) -> bool:
    """PATCH /api/runs/{run_id}: a run's AI cap within the organisation's maximum per run."""
    try:
        cap = RunCapIn.model_validate(body).ai_cap_usd
    except ValidationError:
        return True
    return cap <= _org_budget().run_ai_cap_max_usd


def _settings_consistent(body: Any) -> bool:
    """PUT /api/admin/budget: the settings after the change do not contradict each other."""
    try:
        changes = BudgetSettingsPatch.model_validate(body).model_dump(exclude_unset=True)
    except ValidationError:
        return True
    current = _org_budget()
    if "agent_share_caps" in changes:
        changes["agent_share_caps"] = {**current.agent_share_caps, **changes["agent_share_caps"]}
    return not consistency_problems(current.model_copy(update=changes))


def _cut_in_plan(run_id: Any, body: Any) -> bool:
    """POST /api/runs/{run_id}/approve: an edit of a run paused for approval cuts tasks its plan lists."""
    try:
        decision = DecisionIn.model_validate(body)
    except ValidationError:
        return True
    run = _get(f"/api/runs/{quote(str(run_id), safe='')}") if decision.decision == "edit" else None
    if not run or run["status"] != "paused" or run["pause_reason"] != APPROVAL_REQUIRED:
        return True  # 404 or 409 comes first
    try:
        _check_cut(decision.cut, _paused_tasks(run["pause_payload"] or {}))
    except RunInvalid:
        return False
    return True


@lru_cache(maxsize=1)
def _environment() -> LLMConfig:
    """The LLM configuration the test app has from the environment (no admin ever saves one here)."""
    return environment_llm_config(load_settings(app_env="test"))


def _provider_change_workable(body: Any) -> bool:
    """POST /api/admin/provider/test: the provider settings' cross-field checks, as a save makes them."""
    try:
        change = ProviderChange.model_validate(body)
    except ValidationError:
        return True
    if not change.model_fields_set:
        return True  # the saved settings are tested
    base = _environment()
    has_key = {
        name: bool(getattr(change, f"{name}_api_key").get_secret_value() or getattr(base, f"{name}_api_key"))
        for name in KEY_FIELDS
    }
    try:
        _check(change, has_key, base, load_registry())
    except ProviderSettingsError:
        return False
    return True


@lru_cache(maxsize=1)
def _test_settings() -> Any:
    return load_settings(app_env="test")


def _webhook_workable(body: Any, *, creating: bool) -> bool:
    """POST/PATCH /api/admin/webhooks: the server's own URL check (DNS, private hosts) and hook count."""
    if not isinstance(body, dict):
        return True
    if isinstance(body.get("url"), str):
        try:
            check_url(body["url"], _test_settings())
        except WebhookInvalid:
            return False
    listed = _get("/api/admin/webhooks") if creating else None
    return listed is None or len(listed["items"]) < MAX_HOOKS_PER_ORG


def _fits_state(case: schemathesis.Case) -> bool:
    path, method = case.operation.path, case.operation.method.upper()
    if (path, method) == ("/api/runs", "POST"):
        return _run_within_budget(case.body)
    if (path, method) == ("/api/runs/{run_id}", "PATCH"):
        return _cap_within_maximum(case.body)
    if (path, method) == ("/api/admin/budget", "PUT"):
        return _settings_consistent(case.body)
    if (path, method) == ("/api/runs/{run_id}/approve", "POST"):
        return _cut_in_plan((case.path_parameters or {}).get("run_id"), case.body)
    if (path, method) == ("/api/admin/provider/test", "POST"):
        return _provider_change_workable(case.body)
    if path.startswith("/api/admin/webhooks") and method in ("POST", "PATCH") and not path.endswith("/test"):
        return _webhook_workable(case.body, creating=method == "POST")
    return True


def _revokes_own_token(case: schemathesis.Case) -> bool:
    """Revoking the token the fuzz authenticates with would turn the rest of the run into 401s."""
    token_id = (case.path_parameters or {}).get("token_id")
    return case.operation.method.upper() == "DELETE" and str(token_id) == os.environ["CATALYST_FUZZ_TOKEN_ID"]


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case) -> bool:
    if _revokes_own_token(case):
        return False
    if _is_negative(case):
        return True
    operation = case.operation
    if not _range_in_order(case.query, operation.path):
        return False
    body = case.body if isinstance(case.body, dict) else {}
    thresholds = body.get("thresholds")
    if operation.path == "/api/admin/budget" and isinstance(thresholds, list) and thresholds != sorted(thresholds):
        return False
    for alternative in operation.body:
        if alternative.media_type == case.media_type and case.body is not None:
            bundle = alternative.definition.get("schema", {}).get("x-bundled", {})
            if not _money_in_bounds(case.body, alternative.resolved_schema, bundle):
                return False
    return _fits_state(case)
