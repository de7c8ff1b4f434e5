"""Approval deadlines on SQLite and PostgreSQL: the fallback applies once, is told and audited.

Runs really pause (the offline engine, a budget the plan exceeds) and really resume; time is moved
by writing the run's `decision_due_at` into the past (or by passing `now`), never by sleeping.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from sqlalchemy import create_engine, select, update

from agents.state import Brief
from services.budgets.settings import update_budget_settings
from services.db import db, utcnow
from services.events import events_after
from services.holdings import holdings
from services.models import AuditEntry, Run, RunStatus, User
from services.models.budgets import OverrunDecision
from services.runs import RunConflict
from services.runs.deadlines import Fallbacks
from services.runs.host import RunHost
from services.runs.queue import RunQueue
from tests.integration.live import in_process
from tests.support.api import JsonClient, brief
from tests.support.isolation import redis_url
from tests.support.wiring import rewire

OVER_BUDGET = "2500"  # the offline plan costs more: the run pauses for an approval
service = in_process.service  # the fixtures, shared by the in-process run-service tests
executive = in_process.executive


@pytest.fixture
def admin(app, make_user):
    return make_user("admin")


def set_deadline(app, admin, minutes: int | None, fallback: str = "trim") -> None:
    with app.app_context():
        update_budget_settings(
            admin.org_id, {"decision_deadline_minutes": minutes, "decision_fallback": fallback},
            db.session.get(User, admin.id), holdings(app).settings,
        )  # fmt: skip


def paused_run(app, service, executive) -> str:
    """A run of `executive` that really paused for an approval."""
    with app.app_context():
        user = db.session.get(User, executive.id)
        run_id = service.create(user, Brief.model_validate(brief(budget=OVER_BUDGET))).id
        service.scheduler.drain()
    run = row(app, run_id)
    assert run.status == RunStatus.paused and run.pause_reason == "approval_required"
    return run_id


def row(app, run_id: str) -> Run:
    with app.app_context():
        run = db.session.get(Run, run_id)
        db.session.expunge(run)
        return run


def overdue(app, run_id: str) -> None:
    """The deadline passed a minute ago."""
    with app.app_context():
        db.session.execute(update(Run).where(Run.id == run_id).values(decision_due_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def events(app, run_id: str) -> list[dict]:
    with app.app_context():
        return events_after(db.engine, run_id)


def types(app, run_id: str) -> list[str]:
    return [event["type"] for event in events(app, run_id)]


def expiry_audits(app, run_id: str) -> list[AuditEntry]:
    with app.app_context():
        found = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "run.decision_expired", AuditEntry.target_id == run_id)
        ).all()
        for entry in found:
            db.session.expunge(entry)
        return list(found)


def sweep(app, service) -> int:
    """One maintenance pass of this process (what the scheduler and the workers' watch run)."""
    with app.app_context():
        return service.wiring.maintenance(service.publish)


def test_a_paused_run_gets_its_deadline_and_watchers_are_told(app, service, executive, admin):
    set_deadline(app, admin, 90, "cancel")
    before = utcnow()
    run_id = paused_run(app, service, executive)
    run = row(app, run_id)
    assert run.decision_fallback == "cancel"
    assert before + timedelta(minutes=90) <= run.decision_due_at <= utcnow() + timedelta(minutes=90)
    paused = [event for event in events(app, run_id) if event["type"] == "run.paused"][-1]
    assert paused["data"]["decision_deadline"] == {"due_at": run.decision_due_at.isoformat(), "fallback": "cancel"}
    # Changing the setting later does not move the deadline already announced.
    set_deadline(app, admin, None)
    assert row(app, run_id).decision_due_at == run.decision_due_at
    assert sweep(app, service) == 0 and row(app, run_id).status == RunStatus.paused  # not due yet


def test_past_its_deadline_a_run_is_trimmed_and_completes(app, service, executive, admin):
    set_deadline(app, admin, 30, "trim")
    run_id = paused_run(app, service, executive)
    overdue(app, run_id)
    due_at = row(app, run_id).decision_due_at
    assert sweep(app, service) == 1
    queued = row(app, run_id)
    assert queued.status == RunStatus.queued and queued.resume_value["decision"] == "reject"
    with app.app_context():
        service.scheduler.drain()
    run = row(app, run_id)
    assert run.status == RunStatus.completed
    seen = types(app, run_id)
    after_pause = seen[seen.index("approval.expired"):]
    assert after_pause[:2] == ["approval.expired", "run.resumed"] and "approval.decided" in after_pause
    assert after_pause[-1] == "run.completed" and seen.count("approval.expired") == 1
    expired = next(event for event in events(app, run_id) if event["type"] == "approval.expired")
    assert expired["data"] == {"reason": "approval_required", "due_at": due_at.isoformat(), "fallback": "trim"}
    decided = next(event for event in events(app, run_id) if event["type"] == "approval.decided")
    assert decided["data"]["decision"] == "reject" and decided["data"]["note"].startswith("No decision by the deadline")
    [audit] = expiry_audits(app, run_id)
    assert audit.actor_id is None and audit.actor_email == "system"
    assert audit.after == {"fallback": "trim", "due_at": due_at.isoformat(), "by": "deadline"}
    with app.app_context():
        decisions = db.session.scalars(select(OverrunDecision).where(OverrunDecision.run_id == run_id)).all()
        assert [(d.decision, d.user_id) for d in decisions] == [("reject", None)]
        report = db.session.get(Run, run_id).report
    assert report["decision"]["by"] == "deadline" and report["decision"]["decision"] == "reject"
    assert "Nobody decided in time: the approval deadline's fallback rejected the overrun" in run.report_markdown


def test_past_its_deadline_a_run_is_cancelled(app, service, executive, admin):
    set_deadline(app, admin, 30, "cancel")
    run_id = paused_run(app, service, executive)
    overdue(app, run_id)
    assert sweep(app, service) == 1
    run = row(app, run_id)
    assert run.status == RunStatus.cancelled and run.finished_at is not None and run.pause_reason is None
    seen = types(app, run_id)
    assert seen[-2:] == ["approval.expired", "run.cancelled"]
    assert events(app, run_id)[-1]["data"] == {"while": "paused", "by": "deadline"}
    [audit] = expiry_audits(app, run_id)
    assert audit.actor_email == "system" and audit.after["fallback"] == "cancel"
    with app.app_context():
        assert service.scheduler.drain() == []  # nothing left to execute
    assert row(app, run_id).status == RunStatus.cancelled


def test_no_deadline_configured_leaves_the_run_waiting(app, service, executive):
    run_id = paused_run(app, service, executive)
    assert row(app, run_id).decision_due_at is None
    with app.app_context():
        far = utcnow() + timedelta(days=400)
        assert Fallbacks(db.engine).expire_due(now=far) == 0
        assert Fallbacks(db.engine).expire(run_id, now=far) is False
    assert row(app, run_id).status == RunStatus.paused and "approval.expired" not in types(app, run_id)


def test_several_passes_at_once_apply_the_fallback_once(app, service, executive, admin):
    """Eight maintenance passes, each on its own engine (as separate processes), start together."""
    set_deadline(app, admin, 30, "trim")
    run_ids = [paused_run(app, service, executive) for _ in range(2)]
    for run_id in run_ids:
        overdue(app, run_id)
    with app.app_context():
        url = db.engine.url
    engines = [create_engine(url) for _ in range(8)]
    start = threading.Barrier(len(engines))
    applied: list[int] = []
    errors: list[BaseException] = []

    def one_pass(engine) -> None:
        try:
            start.wait(timeout=60)
            applied.append(Fallbacks(engine).expire_due())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=one_pass, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for engine in engines:
        engine.dispose()
    assert not errors and sum(applied) == len(run_ids)
    for run_id in run_ids:
        assert types(app, run_id).count("approval.expired") == 1 and len(expiry_audits(app, run_id)) == 1
        assert row(app, run_id).status == RunStatus.queued
    with app.app_context():
        service.scheduler.drain()
    assert all(row(app, run_id).status == RunStatus.completed for run_id in run_ids)


def test_a_pass_that_read_the_run_before_another_applied_it_applies_nothing(app, service, executive, admin):
    """The compare-and-set, step by step: both passes find the run overdue, only the first applies."""
    set_deadline(app, admin, 30, "cancel")
    run_id = paused_run(app, service, executive)
    overdue(app, run_id)
    with app.app_context():
        now = utcnow()
        late, early = Fallbacks(db.engine), Fallbacks(db.engine)
        found = late.overdue(run_id, now)
        assert found is not None and found.fallback == "cancel"
        assert early.expire(run_id, now) is True
        assert late.apply(found, now) is False
    assert types(app, run_id).count("approval.expired") == 1 and types(app, run_id).count("run.cancelled") == 1
    assert len(expiry_audits(app, run_id)) == 1


def test_a_person_who_decides_first_wins_over_a_pass_already_under_way(app, service, executive, admin):
    set_deadline(app, admin, 30, "cancel")
    run_id = paused_run(app, service, executive)
    with app.app_context():
        later = utcnow() + timedelta(minutes=31)
        sweeping = Fallbacks(db.engine)
        found = sweeping.overdue(run_id, later)  # a pass whose clock is past the deadline read the run
        assert found is not None
        service.decide(db.session.get(Run, run_id), db.session.get(User, executive.id), "reject")
        assert sweeping.apply(found, later) is False
    run = row(app, run_id)
    assert run.status == RunStatus.queued and run.resume_value["decision"] == "reject"
    assert not run.resume_value["note"] and "approval.expired" not in types(app, run_id)
    assert not expiry_audits(app, run_id)


def test_a_quote_past_its_deadline_goes_ahead_under_trim(app, service, executive, admin):
    """A quote's plan already fits the budget and caps: trimming it to them accepts it as quoted."""
    set_deadline(app, admin, 30, "trim")
    run_id = paused_run(app, service, executive)
    with app.app_context():  # the same pause as a quote (the engine's quote checkpoint is item 1's)
        db.session.execute(update(Run).where(Run.id == run_id).values(
            pause_reason="quote", decision_due_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert sweep(app, service) == 1
    run = row(app, run_id)
    assert run.status == RunStatus.queued and run.resume_value["decision"] == "approve"
    assert "went ahead" in run.resume_value["note"]
    [audit] = expiry_audits(app, run_id)
    assert audit.before == {"status": "paused", "pause_reason": "quote"} and audit.actor_email == "system"
    with app.app_context():
        assert not db.session.scalars(select(OverrunDecision).where(OverrunDecision.run_id == run_id)).all()


def test_a_decision_after_the_fallback_gets_a_conflict(app, service, executive, admin):
    set_deadline(app, admin, 30, "trim")
    run_id = paused_run(app, service, executive)
    with app.app_context():  # the executive opened the run before the deadline passed
        stale = db.session.get(Run, run_id)
        db.session.expunge(stale)
    with app.app_context():
        assert Fallbacks(db.engine).expire_due(now=utcnow() + timedelta(minutes=31)) == 1
        user = db.session.get(User, executive.id)
        with pytest.raises(RunConflict) as refused:
            service.decide(db.session.merge(stale, load=False), user, "approve")
        assert refused.value.code == "not_awaiting_approval"
        with pytest.raises(RunConflict):
            service.decide(db.session.get(Run, run_id), user, "approve")
    assert row(app, run_id).resume_value["decision"] == "reject"  # the fallback's, not the person's
    assert len(expiry_audits(app, run_id)) == 1


def test_a_decision_past_the_deadline_applies_the_fallback_and_is_refused(app, service, executive, admin):
    """Before any maintenance pass looked: the person loses all the same, and learns why."""
    set_deadline(app, admin, 30, "cancel")
    run_id = paused_run(app, service, executive)
    overdue(app, run_id)
    api = JsonClient(app.test_client()).login(executive.email)
    answer = api.post(f"/api/runs/{run_id}/approve", {"decision": "approve"})
    assert answer.status_code == 409
    error = answer.get_json()["error"]
    assert error["code"] == "decision_deadline_passed" and "the run was cancelled" in error["message"]
    assert row(app, run_id).status == RunStatus.cancelled
    assert types(app, run_id)[-2:] == ["approval.expired", "run.cancelled"]
    assert sweep(app, service) == 0 and len(expiry_audits(app, run_id)) == 1


def test_a_decision_before_the_deadline_wins_and_the_deadline_is_void(app, service, executive, admin):
    set_deadline(app, admin, 30, "cancel")
    run_id = paused_run(app, service, executive)
    with app.app_context():
        service.decide(db.session.get(Run, run_id), db.session.get(User, executive.id), "approve")
        assert Fallbacks(db.engine).expire_due(now=utcnow() + timedelta(days=1)) == 0
        service.scheduler.drain()
    run = row(app, run_id)
    assert run.status == RunStatus.completed and run.decision_due_at is None
    assert "approval.expired" not in types(app, run_id) and not expiry_audits(app, run_id)
    assert run.report_markdown and "approval deadline" not in run.report_markdown


def test_the_inline_scheduler_applies_due_fallbacks(app, service, executive, admin):
    set_deadline(app, admin, 30, "trim")
    run_id = paused_run(app, service, executive)
    overdue(app, run_id)
    service.scheduler.maintenance_seconds = 0  # this tick is due for maintenance
    with app.app_context():
        service.scheduler.tick()  # maintenance re-queues the run, the next tick executes it
        service.scheduler.tick()
    assert row(app, run_id).status == RunStatus.completed
    assert types(app, run_id).count("approval.expired") == 1


@pytest.fixture
def run_queue() -> Iterator[RunQueue]:
    connection = redis.Redis.from_url(redis_url(13))
    queue = RunQueue(connection, name=f"test-deadline-{uuid.uuid4().hex[:8]}")
    yield queue
    queue.queue.delete(delete_jobs=True)


@pytest.mark.redis
def test_the_workers_watch_applies_due_fallbacks_and_enqueues_the_run(app, service, executive, admin, run_queue):
    set_deadline(app, admin, 30, "trim")
    run_id = paused_run(app, service, executive)
    overdue(app, run_id)
    rewire(service, queue=run_queue)
    host = RunHost(app, service, run_queue, maintenance_seconds=0)
    host.tick()
    assert row(app, run_id).status == RunStatus.queued
    assert run_queue.queue.count >= 1, "the trimmed run was handed to the job queue"
    assert host.perform(run_id) == "executed"
    assert row(app, run_id).status == RunStatus.completed
    assert types(app, run_id).count("approval.expired") == 1
