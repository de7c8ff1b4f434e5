"""Run commands: create, cancel, approve or reject an overrun, resume after a raised AI cap.

The service decides and persists; execution happens in the scheduler's background tasks. Every
state change is a compare-and-set UPDATE on the run's status, so two people (or two processes)
acting on the same run at once cannot both win. Events that a command produces itself (a queued or
paused run cancelled) go through the run's event sink after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import update

from agents.state import Brief
from config.settings import Settings
from services import audit
from services.db import changed_rows, db, utcnow
from services.events import Publish
from services.llm import LLMConfigError, checked_model
from services.models import Run, RunStatus, User
from services.permissions import DECIDE_RUNS, RESUME_RUNS, START_RUNS, can_act_on_run, has_permission
from services.runs import lease
from services.runs.deadlines import refuse_late_decision
from services.runs.drain import ShutdownRequested
from services.runs.errors import RunConflict, RunForbidden, RunInvalid
from services.runs.executor import RunExecutor
from services.runs.queries import queue_positions
from services.runs.quotes import DECISION_ALIASES, DECISION_PAUSES, QUOTE, record_quote_decision
from services.runs.scheduler import ContextFactory, Scheduler, Spawn, process_owner
from services.runs.wiring import RunWiring

log = logging.getLogger(__name__)

APPROVAL_REQUIRED = "approval_required"
AI_BUDGET_EXHAUSTED = "ai_budget_exhausted"
DECISIONS = ("approve", "reject", "edit")


def checkpoint_url(settings: Settings) -> str:
    """PostgreSQL: the app's own database; SQLite: a checkpoint file under the instance path."""
    if settings.is_postgres:
        return settings.sqlalchemy_url
    return f"sqlite:///{settings.instance_path / 'checkpoints.sqlite'}"


class RunService:
    """Start, cancel, approve and resume runs; owns this process's scheduler and executor.

    Everything organisation-specific (the LLM client, ledgers, budget rules, where queued runs go)
    comes from one immutable `RunWiring` (`services/runs/wiring.py`), the composition root.
    """

    def __init__(
        self,
        wiring: RunWiring,
        *,
        publish: Publish | None,
        spawn: Spawn,
        context: ContextFactory,
        owner: str | None = None,
        poll_seconds: float = 1.0,
        heartbeat_seconds: float = 5.0,
        stale_after_seconds: float = 30.0,
    ) -> None:
        self.wiring = wiring
        self.engine = wiring.engine
        self.settings = wiring.settings
        self.publish = publish
        self.owner = owner or process_owner()
        self._cancelled: set[str] = set()
        self.executor = RunExecutor(
            self.engine,
            owner=self.owner,
            checkpoint_url=checkpoint_url(self.settings),
            publish=publish,
            ports=lambda run, sink: self.wiring.ports(run, sink),
            cancelled=self._cancelled,
            notify=wiring.notifier.run_ended if wiring.notifier is not None else None,
        )
        self.scheduler = Scheduler(
            self.engine,
            self.execute_or_release,
            spawn=spawn,
            context=context,
            max_concurrent=self.settings.max_concurrent_runs,
            owner=self.owner,
            poll_seconds=poll_seconds,
            heartbeat_seconds=heartbeat_seconds,
            stale_after_seconds=stale_after_seconds,
            on_crash_loop=lambda run_id: self.executor.fail(
                run_id, "crash_loop", "the run stopped its process repeatedly and was not restarted"
            ),
            maintenance=lambda: self.wiring.maintenance(self.publish),
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

    def execute_or_release(self, run_id: str) -> None:
        """Execute a claimed run; one stopped by the drain is released for another process."""
        try:
            self.executor.execute(run_id)
        except ShutdownRequested:
            if lease.release(self.engine, run_id, self.owner):
                log.info("run released at shutdown", extra={"run_id": run_id})

    def stop_draining(self, grace_seconds: float) -> list[str]:
        """Drain and stop this process's scheduler; returns the runs released unfinished."""
        self.wiring.drain.start()
        left = self.stop(grace_seconds)
        released = [run_id for run_id in sorted(left) if lease.release(self.engine, run_id, self.owner)]
        if released:
            log.warning("runs still executing after the grace period were released", extra={"run_ids": released})
        return released

    def _queued(self, run_id: str, reason: str) -> None:
        """After a run was committed as queued (reason: queued|approved|resumed): hand it to whoever
        executes runs (the workers' job queue, else this process's scheduler), then tell dashboards."""
        if self.wiring.queue is not None:
            self.wiring.queue.notify(run_id, reason)
        else:
            self.scheduler.wake()
        if self.wiring.announce is not None:
            self.wiring.announce(run_id)

    # --- commands ------------------------------------------------------------------------------

    def create(self, user: User, brief: Brief) -> Run:
        """Queue a new run from a validated brief."""
        if not has_permission(user, START_RUNS):
            raise RunForbidden("Only executives and admins can start runs.")
        try:
            self.wiring.policy.check_budget(user.org_id, brief.budget_usd)
        except ValueError as exc:
            raise RunInvalid(str(exc), field="budget_usd") from None
        try:
            cap = self.wiring.policy.resolve_ai_cap(user.org_id, brief.ai_cap_usd)
        except ValueError as exc:
            raise RunInvalid(str(exc), field="ai_cap_usd") from None
        config = self.wiring.llm_config(user.org_id)
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
            policy=self.wiring.policy.overrun_policy(user.org_id),
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
        run_id = run.id  # read before the commit expires it: a reload now would hold a connection
        db.session.commit()
        self._queued(run_id, "queued")
        return self._reload(run)

    def cancel(self, run: Run, user: User) -> Run:
        """Cancel at once when queued or paused; ask a running run to stop at its next boundary."""
        if not can_act_on_run(user, run):
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
                if self.wiring.notifier is not None:  # never raises
                    self.wiring.notifier.run_ended(run.id)
                return self._reload(run)
            db.session.rollback()
            run = self._reload(run)
        raise RunConflict("The run changed while cancelling; try again.")

    def decide(
        self, run: Run, user: User, decision: str, note: str = "", cut: Sequence[str] | None = None
    ) -> Run:
        """Approve (accept), reject or edit (fund all but `cut`) a paused run's plan or quote; the run queues.

        `cut` is checked against the tasks the pause listed, so the engine only ever resumes with ids
        it knows; an edit that cuts every task is a reject in disguise and is refused.
        """
        if not has_permission(user, DECIDE_RUNS):
            raise RunForbidden("Only executives and admins can approve or reject overruns.")
        decision = DECISION_ALIASES.get(decision, decision)
        if decision not in DECISIONS:
            raise RunInvalid("decision must be approve (or accept), reject or edit", field="decision")
        if isinstance(cut, str):
            raise RunInvalid("cut must be a list of task ids", field="cut")
        cut_ids = list(cut or [])
        if cut_ids and decision != "edit":
            raise RunInvalid(f"Only an edited plan cuts tasks; {decision} takes no cut list.", field="cut")
        reason = run.pause_reason
        if run.status != RunStatus.paused or reason not in DECISION_PAUSES:
            raise RunConflict("The run is not waiting for an approval.", code="not_awaiting_approval")
        refuse_late_decision(self, run)  # past its deadline the fallback has decided (or does now)
        payload = run.pause_payload or {}
        tasks = _paused_tasks(payload)
        if decision == "edit":
            _check_cut(cut_ids, tasks)
            amount = _edited_overrun(payload, cut_ids)
        else:
            amount = _amount(payload.get("amount"))
        cut_tasks = [{"id": task_id, "title": tasks[task_id]} for task_id in cut_ids]
        value = {"decision": decision, "note": note, "cut": cut_ids}
        if not self._requeue(run, str(reason), value):
            raise RunConflict("The run is no longer waiting for an approval.", code="not_awaiting_approval")
        record_decision = record_quote_decision if reason == QUOTE else self.wiring.policy.record_decision
        if record_decision is not None:
            record_decision(run, user, decision, amount, note, cut_tasks)
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
        run_id = run.id
        db.session.commit()
        self._queued(run_id, "approved")
        return self._reload(run)

    def resume(self, run: Run, user: User) -> Run:
        """Continue a run paused at an AI-spend cap (after an admin raised it)."""
        if not has_permission(user, RESUME_RUNS):
            raise RunForbidden("Only admins can resume a run paused at its AI-spend cap.")
        if run.status != RunStatus.paused or run.pause_reason != AI_BUDGET_EXHAUSTED:
            raise RunConflict("Only a run paused at its AI-spend cap can be resumed.", code="not_resumable")
        if not self._requeue(run, AI_BUDGET_EXHAUSTED, {"action": "continue"}):
            raise RunConflict("The run is not paused any more.", code="not_resumable")
        self._audit("run.resumed", user, run, RunStatus.paused)
        run_id = run.id
        db.session.commit()
        self._queued(run_id, "resumed")
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
