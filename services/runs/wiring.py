"""The composition root of a run: every port it executes with, built in one place, in one order.

The web process, the worker and the CLI all execute runs through `RunService`, and the service
gets everything organisation-specific from one `RunWiring`: the LLM configuration (environment
plus the organisation's provider settings), the LLM client wrapped in a visible order (drain →
metering → the provider's client), the business ledger, the AI ledger and the budget rules. It is
immutable; a test or a caller that needs another piece builds another wiring (`dataclasses.replace`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import Engine

from agents.ports import AIPricing, BudgetLedger, EventSink, LLMClient, LLMRequest
from config.settings import Settings
from services.budgets.ai_ledger import AILedger
from services.budgets.business import SqlBudgetLedger, record_overrun_decision
from services.budgets.metered import Estimator, MeteredLLMClient
from services.budgets.settings import check_run_budget, get_budget_settings, resolve_run_ai_cap
from services.events import Publish
from services.llm import (
    LLMConfig,
    LLMConfigError,
    ModelInfo,
    UnknownModelError,
    build_llm_client,
    checked_model,
    estimate_max_cost,
    load_registry,
)
from services.llm.environment import environment_llm_config
from services.models import Run, User
from services.notifications.events import DEADLINE
from services.notifications.notifier import Notifier
from services.provider_settings import llm_config_for
from services.runs.ai_pricing import LedgerPricing
from services.runs.deadlines import Fallbacks
from services.runs.drain import Drain, DrainingLLM
from services.runs.queue import RunQueue

log = logging.getLogger(__name__)

# A hold older than this belongs to a process that died mid-call (finished runs are freed at once).
STALE_HOLD = timedelta(hours=1)

ClientFactory = Callable[[LLMConfig, str], LLMClient]
"""The provider's client for a configuration and a run id (before drain and metering)."""
LedgerFactory = Callable[[Run, AILedger], BudgetLedger]
# record_decision(run, user, decision, overrun approved, note, cut tasks [{"id", "title"}])
RecordDecision = Callable[[Run, User, str, Decimal, str, list[dict[str, str]]], Any]


def provider_client(config: LLMConfig, run_id: str) -> LLMClient:
    """The configured provider's client (offline, or resilient over OpenAI or Anthropic)."""
    return build_llm_client(config)


def sql_ledger(run: Run, ai: AILedger) -> SqlBudgetLedger:
    """The run's business-budget ledger in SQL, reporting AI spend from the AI ledger."""
    return SqlBudgetLedger(ai.engine, run.id, ai)


@dataclass(frozen=True)
class RunPolicy:
    """The organisation's budget rules, as the run service applies them.

    `check_budget` and `resolve_ai_cap` raise ValueError to refuse; `record_decision` None means
    the service's own audit entry.
    """

    check_budget: Callable[[int, Decimal], Any]
    resolve_ai_cap: Callable[[int, Decimal | None], Decimal]
    overrun_policy: Callable[[int], str]
    share_caps: Callable[[int], dict[str, Decimal] | None]
    thresholds: Callable[[int], list[int]]
    record_decision: RecordDecision | None


def organisation_policy(settings: Settings) -> RunPolicy:
    """The rules an admin sets per organisation (Admin → Budgets), with the app's defaults."""
    return RunPolicy(
        check_budget=lambda org_id, budget: check_run_budget(org_id, budget, settings),
        resolve_ai_cap=lambda org_id, requested: resolve_run_ai_cap(org_id, requested, settings),
        # The quote policy (the field keeps its older name; approve/trim are read as aliases).
        overrun_policy=lambda org_id: get_budget_settings(org_id, settings).quote_policy,
        share_caps=lambda org_id: dict(get_budget_settings(org_id, settings).agent_share_caps),
        thresholds=lambda org_id: list(get_budget_settings(org_id, settings).thresholds),
        record_decision=record_overrun_decision,
    )


@dataclass(frozen=True)
class RunPorts:
    """What one execution of a run is built from (never checkpointed)."""

    llm: LLMClient
    ledger: BudgetLedger
    share_caps: dict[str, Decimal] | None
    pricing: AIPricing | None = None
    """Prices the quote's AI-spend forecast and reads the actual for the report."""


@dataclass(frozen=True)
class RunWiring:
    """Where everything a run needs comes from, for every process that executes or queues runs."""

    settings: Settings
    engine: Engine
    environment: LLMConfig
    """The LLM configuration the environment sets; an organisation's admin settings apply on top."""
    drain: Drain
    ai_ledger: AILedger
    policy: RunPolicy
    client: ClientFactory = provider_client
    ledger: LedgerFactory = sql_ledger
    queue: RunQueue | None = None
    """The workers' job queue (RUN_EXECUTOR=queue); None: this process's scheduler executes runs."""
    announce: Callable[[str], None] | None = None
    """Tells dashboards of a run queued or queued again (the web layer's `run.summary`)."""
    notifier: Notifier | None = None
    """Tells the people who can act (webhooks, email) that a run paused, failed or completed."""

    def llm_config(self, org_id: int | None) -> LLMConfig:
        """The environment's LLM configuration with the organisation's admin settings applied."""
        if org_id is None:
            return self.environment
        return llm_config_for(org_id, self.environment, secret_key=self.settings.secret_key or "")

    def llm(self, run: Run, sink: EventSink) -> LLMClient:
        """The run's LLM client, outermost first: drain → metering → the provider's client.

        Draining is outermost so that a stopping process starts no call, not even a reservation;
        metering sits directly on the provider so that every call it reserves is one really made.
        """
        inner = self.client(self.llm_config(run.org_id), run.id)
        metered = self.metered(inner, run, sink)
        return DrainingLLM(metered, self.drain)

    def metered(self, inner: LLMClient, run: Run, sink: EventSink) -> MeteredLLMClient:
        """`inner` with every call reserved against the run's and organisation's AI caps."""
        model = getattr(getattr(inner, "model", None), "name", None) or run.model
        return MeteredLLMClient(
            inner,
            self.ai_ledger,
            sink,
            run_id=run.id,
            org_id=run.org_id,
            user_id=run.created_by_id,
            provider=run.provider,
            model=model,
            estimate=estimator_for(inner, model),
            thresholds=self.policy.thresholds(run.org_id),
        )

    def ports(self, run: Run, sink: EventSink) -> RunPorts:
        """Everything one execution of `run` needs, publishing through `sink`."""
        return RunPorts(
            llm=self.llm(run, sink),
            ledger=self.ledger(run, self.ai_ledger),
            share_caps=self.policy.share_caps(run.org_id),
            pricing=self.pricing(run),
        )

    def pricing(self, run: Run) -> LedgerPricing:
        """The run's forecast prices: its provider's model as the client is built for it."""
        config = self.llm_config(run.org_id)
        return LedgerPricing(self.ai_ledger, run.id, run.org_id, self.registered_model(config),
                             provider=config.provider, model_name=config.model)

    @staticmethod
    def registered_model(config: LLMConfig) -> ModelInfo | None:
        """The registry's entry for the model `config` calls; None outside the registry (no price)."""
        try:
            return load_registry().get("offline") if config.provider == "offline" else checked_model(config)[0]
        except (LLMConfigError, UnknownModelError):
            return None

    def maintenance(self, publish: Publish | None = None) -> int:
        """Periodic housekeeping: free AI-spend holds left by dead processes, and apply the fallback
        of decisions past their deadline (`services/runs/deadlines.py`; events go out by `publish`)."""
        freed = self.ai_ledger.release_finished() + self.ai_ledger.release_stale(STALE_HOLD)
        expired = Fallbacks(self.engine, publish, self.queue, self.announce,
                            notify=self.notify_deadline_cancel).expire_due()  # fmt: skip
        return freed + expired

    @property
    def notify_deadline_cancel(self) -> Callable[[str], object] | None:
        """Tells hooks and people that a decision deadline cancelled a run (None: no notifier)."""
        notifier = self.notifier
        return None if notifier is None else partial(notifier.run_ended, by=DEADLINE)


def estimator_for(inner: LLMClient, model: str) -> Estimator:
    """The upper-bound cost of a call: the client's own estimate, else the registry's for `model`."""
    own = getattr(inner, "estimate_max_cost", None)
    if callable(own):
        return own
    try:
        info = load_registry().get(model)
    except UnknownModelError:
        log.warning("model %r has no registry price; its calls reserve nothing before they run", model)
        return lambda request: Decimal("0")

    def estimate(request: LLMRequest) -> Decimal:
        return estimate_max_cost(request, info)

    return estimate


def build_run_wiring(
    settings: Settings, engine: Engine, *, announce: Callable[[str], None] | None = None
) -> RunWiring:
    """The wiring every process builds from the app's settings (web, worker and CLI alike)."""
    return RunWiring(
        settings=settings,
        engine=engine,
        environment=environment_llm_config(settings),
        drain=Drain(),
        ai_ledger=AILedger(engine, default_monthly_cap=settings.monthly_ai_cap_usd),
        policy=organisation_policy(settings),
        queue=job_queue(settings),
        announce=announce,
        notifier=Notifier.from_settings(settings, engine),
    )


def job_queue(settings: Any) -> RunQueue | None:
    """With RUN_EXECUTOR=queue, runs go to the workers' job queue."""
    if settings.run_executor != "queue":
        return None
    if not settings.redis_url:
        log.error("RUN_EXECUTOR=queue needs REDIS_URL (job queue, message queue); runs will not execute")
        return None
    return RunQueue.from_url(settings.redis_url)
