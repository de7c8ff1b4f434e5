"""Run commands: create, cancel, approve or reject an overrun, resume after a raised AI cap.

The service decides and persists; execution happens in the scheduler's background tasks. Every
state change is a compare-and-set UPDATE on the run's status, so two people (or two processes)
acting on the same run at once cannot both win. Events that a command produces itself (a queued or
paused run cancelled) go through the run's event sink after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, update

from agents.memory import MemoryLedger
from agents.ports import BudgetLedger, EventSink, LLMClient
from agents.state import Brief
from config.settings import Settings
from services import audit
from services.db import changed_rows, db, utcnow
from services.events import Publish
from services.llm import LLMConfig, LLMConfigError, build_llm_client, checked_model
from services.models import Run, RunStatus, User
from services.runs.errors import RunConflict, RunForbidden, RunInvalid
from services.runs.executor import ExecutionHooks, RunExecutor
from services.runs.queries import queue_positions
from services.runs.scheduler import ContextFactory, Scheduler, Spawn, process_owner
from services.wiring import llm_config as base_llm_config

log = logging.getLogger(__name__)

APPROVAL_REQUIRED = "approval_required"
AI_BUDGET_EXHAUSTED = "ai_budget_exhausted"
DECISIONS = ("approve", "reject", "edit")
# record_decision(run, user, decision, overrun approved, note, cut tasks [{"id", "title"}])
RecordDecision = Callable[[Run, User, str, Decimal, str, list[dict[str, str]]], Any]


def checkpoint_url(settings: Settings) -> str:
    """PostgreSQL: the app's own database; SQLite: a checkpoint file under the instance path."""
    if settings.is_postgres:
        return settings.sqlalchemy_url
    return f"sqlite:///{settings.instance_path / 'checkpoints.sqlite'}"


class RunService:
    """Start, cancel, approve and resume runs; owns this process's scheduler and executor.

    Replaceable hooks (plain attributes), so other packages plug in without changing this one:
    `make_llm(run, sink) -> LLMClient`, `make_ledger(run, sink) -> BudgetLedger`,
    `share_caps(run) -> {agent: percent} | None`, `resolve_ai_cap(org_id, requested) -> Decimal`
    (raise ValueError to refuse), `overrun_policy(org_id) -> "approve" | "trim"`,
    `record_decision(run, user, decision, amount, note, cut)` (cut: [{"id", "title"}]),
    `on_queued(run_id, reason)`.
    """

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        publish: Publish | None,
        spawn: Spawn,
        context: ContextFactory,
        owner: str | None = None,
        poll_seconds: float = 1.0,
        heartbeat_seconds: float = 5.0,
        stale_after_seconds: float = 30.0,
    ) -> None:
        self.engine = engine
        self.settings = settings
        self.publish = publish
        self.owner = owner or process_owner()
        self.make_llm: Callable[[Run, EventSink], LLMClient] = self._configured_llm
        self.make_ledger: Callable[[Run, EventSink], BudgetLedger] = _memory_ledger
        self.share_caps: Callable[[Run], dict[str, Any] | None] = lambda run: None
        self.resolve_ai_cap: Callable[[int, Decimal | None], Decimal] = self._default_ai_cap
        # Refuses (ValueError) a business budget above the organisation's per-run ceiling.
        self.check_budget: Callable[[int, Decimal], Any] = lambda org_id, budget: budget
        self.overrun_policy: Callable[[int], str] = lambda org_id: settings.overrun_policy
        self.record_decision: RecordDecision | None = None
        self.llm_config: Callable[[int], LLMConfig] = self._llm_config
        # Called after a run was committed as queued (reason: queued|approved|resumed); a job
        # queue plugs in here (RUN_EXECUTOR=queue). The default wakes this process's scheduler.
        self.on_queued: Callable[[str, str], None] = lambda run_id, reason: self.scheduler.wake()
        self._cancelled: set[str] = set()
        self.executor = RunExecutor(
            engine,
            owner=self.owner,
            checkpoint_url=checkpoint_url(settings),
            publish=publish,
            hooks=lambda: ExecutionHooks(self.make_llm, self.make_ledger, self.share_caps),
            cancelled=self._cancelled,
        )
        self.scheduler = Scheduler(
            engine,
            self.executor.execute,
            spawn=spawn,
            context=context,
            max_concurrent=settings.max_concurrent_runs,
            owner=self.owner,
            poll_seconds=poll_seconds,
            heartbeat_seconds=heartbeat_seconds,
            stale_after_seconds=stale_after_seconds,
            on_crash_loop=lambda run_id: self.executor.fail(
                run_id, "crash_loop", "the run stopped its process repeatedly and was not restarted"
            ),
        )

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> bool:
        """Start executing runs in this process (idempotent)."""
        return self.scheduler.start()

    def stop(self, grace_seconds: float = 0.0) -> set[str]:
        """Stop claiming runs, wait for active ones up to the grace; the rest resume elsewhere later."""
        left = self.scheduler.stop(grace_seconds)
        if not left:
            self.executor.close()
        return left

    # --- hooks' defaults -----------------------------------------------------------------------

    def _llm_config(self, org_id: int) -> LLMConfig:
        base = base_llm_config(self.settings)
        try:
            from services.provider_settings import llm_config_for
        except ImportError:  # the admin provider settings are optional
            return base
        return llm_config_for(org_id, base, secret_key=self.settings.secret_key or "")

    def _configured_llm(self, run: Run, sink: EventSink) -> LLMClient:
        return build_llm_client(self.llm_config(run.org_id))

    def _default_ai_cap(self, org_id: int, requested: Decimal | None) -> Decimal:
        return requested if requested is not None else self.settings.run_ai_cap_default_usd

    # --- commands ------------------------------------------------------------------------------

    def create(self, user: User, brief: Brief) -> Run:
        """Queue a new run from a validated brief."""
        if not user.can_run:
            raise RunForbidden("Only executives and admins can start runs.")
        try:
            self.check_budget(user.org_id, brief.budget_usd)
        except ValueError as exc:
            raise RunInvalid(str(exc), field="budget_usd") from None
        try:
            cap = self.resolve_ai_cap(user.org_id, brief.ai_cap_usd)
        except ValueError as exc:
            raise RunInvalid(str(exc), field="ai_cap_usd") from None
        config = self.llm_config(user.org_id)
        price_set = True
        if config.provider != "offline":
            try:
                price_set = checked_model(config)[0].priced
            except LLMConfigError as exc:
                raise RunConflict(
                    f"The AI provider is not set up correctly: {exc}. An admin can fix it on the provider page.",
                    code="provider_not_configured",
                ) from None
        now = utcnow()
        run = Run(
            org_id=user.org_id,
            created_by_id=user.id,
            status=RunStatus.queued,
            brief=brief.model_dump(mode="json"),
            company_name=brief.company.name,
            budget_usd=brief.budget_usd,
            ai_cap_usd=cap,
            policy=self.overrun_policy(user.org_id),
            provider=config.provider,
            model=config.model,
            ai_price_set=price_set,
            queued_at=now,
            created_at=now,
        )
        db.session.add(run)
        db.session.flush()
        audit.record(
            "run.created",
            actor=user,
            target_type="run",
            target_id=run.id,
            org_id=run.org_id,
            after={"company": run.company_name, "budget_usd": str(run.budget_usd), "ai_cap_usd": str(cap)},
        )
        db.session.commit()
        self.on_queued(run.id, "queued")
        return run

    def cancel(self, run: Run, user: User) -> Run:
        """Cancel at once when queued or paused; ask a running run to stop at its next boundary."""
        if not (user.is_admin or (user.can_run and run.created_by_id == user.id)):
            raise RunForbidden("Only the run's creator or an admin can cancel it.")
        for _ in range(3):  # the status can move under us (claimed, paused); try with the new one
            status = run.status
            if status.finished:
                raise RunConflict(f"The run is already {status.value}.", code="run_finished")
            if status == RunStatus.running:
                if self._set(run, RunStatus.running, cancel_requested=True):
                    self._audit("run.cancel_requested", user, run, status)
                    db.session.commit()
                    self._cancelled.add(run.id)
                    return self._reload(run)
            elif self._set(
                run,
                status,
                status=RunStatus.cancelled,
                cancel_requested=True,
                finished_at=utcnow(),
                owner=None,
                resume_value=None,
                pause_reason=None,
                pause_payload=None,
            ):
                self._audit("run.cancelled", user, run, status)
                db.session.commit()
                self.executor.sink(run.id).emit("run.cancelled", {"while": status.value}, key="run.cancelled")
                return self._reload(run)
            db.session.rollback()
            run = self._reload(run)
        raise RunConflict("The run changed while cancelling; try again.")

    def decide(
        self, run: Run, user: User, decision: str, note: str = "", cut: Sequence[str] | None = None
    ) -> Run:
        """Approve, reject or edit (fund all but `cut`) a paused run's over-budget plan; the run queues.

        `cut` is checked against the tasks the pause listed, so the engine only ever resumes with ids
        it knows; an edit that cuts every task is a reject in disguise and is refused.
        """
        if not user.can_run:
            raise RunForbidden("Only executives and admins can approve or reject overruns.")
        if decision not in DECISIONS:
            raise RunInvalid("decision must be approve, reject or edit", field="decision")
        if isinstance(cut, str):
            raise RunInvalid("cut must be a list of task ids", field="cut")
        cut_ids = list(cut or [])
        if cut_ids and decision != "edit":
            raise RunInvalid(f"Only an edited plan cuts tasks; {decision} takes no cut list.", field="cut")
        if run.status != RunStatus.paused or run.pause_reason != APPROVAL_REQUIRED:
            raise RunConflict("The run is not waiting for an approval.", code="not_awaiting_approval")
        payload = run.pause_payload or {}
        tasks = _paused_tasks(payload)
        if decision == "edit":
            _check_cut(cut_ids, tasks)
            amount = _edited_overrun(payload, cut_ids)
        else:
            amount = _amount(payload.get("amount"))
        cut_tasks = [{"id": task_id, "title": tasks[task_id]} for task_id in cut_ids]
        value = {"decision": decision, "note": note, "cut": cut_ids}
        if not self._requeue(run, APPROVAL_REQUIRED, value):
            raise RunConflict("The run is no longer waiting for an approval.", code="not_awaiting_approval")
        if self.record_decision is not None:
            self.record_decision(run, user, decision, amount, note, cut_tasks)
        else:
            audit.record(
                "run.overrun_decided",
                actor=user,
                target_type="run",
                target_id=run.id,
                org_id=run.org_id,
                after={
                    "decision": decision,
                    "amount": str(amount),
                    "note": note,
                    "cut": cut_ids,
                    "cut_titles": [task["title"] for task in cut_tasks],
                },
            )
        db.session.commit()
        self.on_queued(run.id, "approved")
        return self._reload(run)

    def resume(self, run: Run, user: User) -> Run:
        """Continue a run paused at an AI-spend cap (after an admin raised it)."""
        if not user.is_admin:
            raise RunForbidden("Only admins can resume a run paused at its AI-spend cap.")
        if run.status != RunStatus.paused or run.pause_reason != AI_BUDGET_EXHAUSTED:
            raise RunConflict("Only a run paused at its AI-spend cap can be resumed.", code="not_resumable")
        if not self._requeue(run, AI_BUDGET_EXHAUSTED, {"action": "continue"}):
            raise RunConflict("The run is not paused any more.", code="not_resumable")
        self._audit("run.resumed", user, run, RunStatus.paused)
        db.session.commit()
        self.on_queued(run.id, "resumed")
        return self._reload(run)

    def queue_position(self, run: Run) -> int | None:
        if run.status != RunStatus.queued:
            return None
        return queue_positions([run.id]).get(run.id)

    # --- helpers -------------------------------------------------------------------------------

    def _set(self, run: Run, expected: RunStatus, **values: Any) -> bool:
        """Compare-and-set the run's columns (caller commits). False when its status moved meanwhile."""
        updated = changed_rows(db.session.execute(
            update(Run)
            .where(Run.id == run.id, Run.status == expected)
            .values(updated_at=utcnow(), **values)
            .execution_options(synchronize_session=False)
        ))
        return updated == 1

    def _requeue(self, run: Run, reason: str, value: dict[str, Any]) -> bool:
        now = utcnow()
        updated = changed_rows(db.session.execute(
            update(Run)
            .where(Run.id == run.id, Run.status == RunStatus.paused, Run.pause_reason == reason)
            .values(
                status=RunStatus.queued,
                queued_at=now,
                updated_at=now,
                resume_value=value,
                pause_reason=None,
                pause_payload=None,
            )
            .execution_options(synchronize_session=False)
        ))
        return updated == 1

    def _audit(self, action: str, user: User, run: Run, before: RunStatus) -> None:
        audit.record(
            action,
            actor=user,
            target_type="run",
            target_id=run.id,
            org_id=run.org_id,
            before={"status": before.value},
        )

    @staticmethod
    def _reload(run: Run) -> Run:
        db.session.refresh(run)
        return run


def _memory_ledger(run: Run, sink: EventSink) -> BudgetLedger:
    return MemoryLedger(ai_cap=run.ai_cap_usd)


def _amount(value: object) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal("0")
    except ArithmeticError:
        return Decimal("0")


def _paused_tasks(payload: dict[str, Any]) -> dict[str, str]:
    """The paused plan's tasks as {id: title}, in plan order (old payloads list none)."""
    tasks = payload.get("tasks")
    found: dict[str, str] = {}
    for task in tasks if isinstance(tasks, list) else []:
        if isinstance(task, dict) and isinstance(task.get("id"), str):
            found[task["id"]] = str(task.get("title") or task["id"])
    return found


def _check_cut(cut: list[str], tasks: dict[str, str]) -> None:
    """Refuse an edit the engine could not apply: nothing cut, repeats, unknown ids, everything cut."""
    if not cut:
        raise RunInvalid("Choose at least one task to cut, or approve or reject the plan.", field="cut")
    if not all(isinstance(task_id, str) for task_id in cut):
        raise RunInvalid("Task ids must be strings.", field="cut")
    repeated = sorted({task_id for task_id in cut if cut.count(task_id) > 1})
    if repeated:
        raise RunInvalid(f"Each task can be cut once; repeated: {', '.join(repeated)}.", field="cut")
    if not tasks:
        raise RunInvalid("This approval does not list its tasks; approve or reject the plan.", field="cut")
    unknown = [task_id for task_id in cut if task_id not in tasks]
    if unknown:
        shown = ", ".join(unknown[:5]) + (", …" if len(unknown) > 5 else "")
        raise RunInvalid(f"The plan has no task {shown}.", field="cut")
    if len(cut) >= len(tasks):
        raise RunInvalid("Cutting every task leaves nothing to fund; reject the plan instead.", field="cut")


def _edited_overrun(payload: dict[str, Any], cut: list[str]) -> Decimal:
    """What an edited plan still costs above the budget (approved with the edit), by the pause's figures."""
    options = payload.get("options")
    approve = options.get("approve") if isinstance(options, dict) else None
    funded = approve.get("funded_usd") if isinstance(approve, dict) else None
    total = _amount(funded if funded is not None else payload.get("plan_total"))
    costs = {
        task.get("id"): _amount(task.get("cost_usd"))
        for task in payload.get("tasks") or []
        if isinstance(task, dict)
    }
    edited = total - sum((costs.get(task_id, Decimal("0")) for task_id in cut), Decimal("0"))
    return max(Decimal("0.00"), edited - _amount(payload.get("budget"))).quantize(Decimal("0.01"))
