"""Plugging the budgets package into the run service: metered LLM, SQL ledger, org settings.

`install(run_service)` sets every hook the run service exposes. The factories keep the
signatures the service calls (`make_llm(run, sink)`, `make_ledger(run, sink)`) and need an app
context (the executor runs in one).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from agents.ports import EventSink, LLMClient, LLMRequest
from services.budgets.ai_ledger import AILedger
from services.budgets.business import SqlBudgetLedger, record_overrun_decision
from services.budgets.metered import Estimator, MeteredLLMClient
from services.budgets.settings import check_run_budget, get_budget_settings, resolve_run_ai_cap
from services.db import db
from services.holdings import holdings
from services.models import Run

log = logging.getLogger(__name__)

MakeLLM = Callable[[Run, EventSink], LLMClient]


def ai_ledger(engine: Engine | None = None) -> AILedger:
    """The AI-spend ledger on the app's database (org caps not yet saved use the app default)."""
    settings = holdings().settings
    return AILedger(engine or db.engine, default_monthly_cap=settings.monthly_ai_cap_usd)


def estimator_for(inner: LLMClient, model: str) -> Estimator:
    """The upper-bound cost of a call: the client's own estimate, else the registry's for `model`."""
    own = getattr(inner, "estimate_max_cost", None)
    if callable(own):
        return own
    from services.llm import UnknownModelError, estimate_max_cost, load_registry

    try:
        info = load_registry().get(model)
    except UnknownModelError:
        log.warning("model %r has no registry price; its calls reserve nothing before they run", model)
        return lambda request: Decimal("0")

    def estimate(request: LLMRequest) -> Decimal:
        return estimate_max_cost(request, info)

    return estimate


def _configured_client(run: Run, sink: EventSink) -> LLMClient:
    from services.llm import build_llm_client
    from services.wiring import llm_config

    return build_llm_client(llm_config(holdings().settings))


def make_llm(run: Run, sink: EventSink, inner: LLMClient | None = None) -> MeteredLLMClient:
    """The run's metered LLM client around `inner` (default: the app's configured client)."""
    inner = inner if inner is not None else _configured_client(run, sink)
    model = getattr(getattr(inner, "model", None), "name", None) or run.model
    return MeteredLLMClient(
        inner,
        ai_ledger(),
        sink,
        run_id=run.id,
        org_id=run.org_id,
        user_id=run.created_by_id,
        provider=run.provider,
        model=model,
        estimate=estimator_for(inner, model),
        thresholds=get_budget_settings(run.org_id).thresholds,
    )


def metered(make_inner: MakeLLM) -> Callable[[Run, EventSink], MeteredLLMClient]:
    """Wrap a `make_llm(run, sink)` factory so every client it builds is metered."""

    def make(run: Run, sink: EventSink) -> MeteredLLMClient:
        return make_llm(run, sink, make_inner(run, sink))

    return make


def make_ledger(run: Run, sink: EventSink) -> SqlBudgetLedger:
    """The run's business-budget ledger in SQL (reporting AI spend from the AI ledger)."""
    return SqlBudgetLedger(db.engine, run.id, ai_ledger())


def share_caps(run: Run) -> dict[str, Decimal]:
    """The organisation's per-agent share caps (percent of the run's business budget)."""
    return dict(get_budget_settings(run.org_id).agent_share_caps)


def overrun_policy(org_id: int) -> str:
    return get_budget_settings(org_id).overrun_policy


def install(service: Any) -> None:
    """Set the run service's hooks to the budgets package (metering wraps its current LLM hook).

    Idempotent: installing twice must not meter every call twice.
    """
    if getattr(service, "budgets_installed", False):
        return
    service.budgets_installed = True
    service.make_llm = metered(service.make_llm)
    service.make_ledger = make_ledger
    service.share_caps = share_caps
    service.resolve_ai_cap = resolve_run_ai_cap
    service.check_budget = check_run_budget
    service.overrun_policy = overrun_policy
    service.record_decision = record_overrun_decision


def sweep_reservations(older_than: timedelta = timedelta(hours=1)) -> int:
    """Free holds left by dead processes: of finished runs at once, of any run after `older_than`."""
    ledger = ai_ledger()
    return ledger.release_finished() + ledger.release_stale(older_than)
