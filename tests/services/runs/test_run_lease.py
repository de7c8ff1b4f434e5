"""Run leases on SQLite and PostgreSQL: claim, release, heartbeat, orphans, runs waiting for a worker."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import update

from agents.state import Brief
from services.db import db, utcnow
from services.holdings import holdings
from services.models import Run, RunStatus, User
from services.runs import lease
from services.runs.scheduler import process_owner
from tests.support.api import brief

STALE = timedelta(seconds=30)
HERE = process_owner()


@pytest.fixture
def run_id(app, make_user) -> str:
    user = make_user("executive")
    with app.app_context():
        service = holdings(app).runs
        return service.create(db.session.get(User, user.id), Brief.model_validate(brief())).id


@pytest.fixture
def engine(app):
    with app.app_context():
        return db.engine


def row(app, run_id: str) -> Run:
    with app.app_context():
        run = db.session.get(Run, run_id)
        db.session.expunge(run)
        return run


def set_run(app, run_id: str, **values) -> None:
    with app.app_context():
        db.session.execute(update(Run).where(Run.id == run_id).values(**values))
        db.session.commit()


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def owner(pid: int, *, host: str | None = None, nonce: str = "0badc0de") -> str:
    here = HERE.split("|")
    return f"{host or here[0]}|{here[1]}|{pid}|{nonce}"


def test_one_claim_wins_and_a_released_run_can_be_claimed_again(app, engine, run_id):
    assert lease.claim(engine, run_id, "worker-a|ns|1|a")
    assert not lease.claim(engine, run_id, "worker-b|ns|2|b")
    claimed = row(app, run_id)
    assert (claimed.status, claimed.owner) == (RunStatus.running, "worker-a|ns|1|a")
    assert claimed.started_at is not None and claimed.heartbeat_at is not None

    assert not lease.release(engine, run_id, "worker-b|ns|2|b"), "only the holder releases"
    assert lease.release(engine, run_id, "worker-a|ns|1|a")
    released = row(app, run_id)
    assert (released.status, released.owner, released.heartbeat_at) == (RunStatus.running, None, None)

    assert lease.claim(engine, run_id, "worker-b|ns|2|b")
    assert row(app, run_id).owner == "worker-b|ns|2|b"


def test_finished_or_paused_runs_are_never_claimed(app, engine, run_id):
    for status in (RunStatus.paused, RunStatus.completed, RunStatus.cancelled):
        set_run(app, run_id, status=status, owner=None)
        assert not lease.claim(engine, run_id, "worker-a|ns|1|a"), status


def test_renew_touches_only_runs_still_held(app, engine, run_id):
    lease.claim(engine, run_id, "worker-a|ns|1|a")
    old = utcnow() - timedelta(minutes=5)
    set_run(app, run_id, heartbeat_at=old)
    assert lease.renew(engine, [run_id], "worker-b|ns|2|b") == 0
    assert row(app, run_id).heartbeat_at == old
    assert lease.renew(engine, [run_id], "worker-a|ns|1|a") == 1
    assert row(app, run_id).heartbeat_at > old


@pytest.mark.parametrize(
    "holder, age, gone",
    [
        (lambda: owner(dead_pid()), 0, True),  # same host, process gone: at once
        (lambda: owner(os.getppid()), 0, False),  # same host, process alive
        (lambda: owner(os.getppid()), 31, True),  # alive but silent for longer than the stale period
        (lambda: owner(os.getpid()), 0, True),  # our pid under another nonce: a previous incarnation
        (lambda: HERE, 0, False),  # ourselves
        (lambda: owner(dead_pid(), host="other-host"), 0, False),  # another host: only age tells
        (lambda: "not-an-owner-id", 0, False),
    ],
)
def test_holder_gone(holder, age, gone):
    now = utcnow()
    heartbeat = now - timedelta(seconds=age)
    assert lease.holder_gone(holder(), heartbeat, here=HERE, stale_after=STALE, now=now) is gone


def test_orphans_are_released_once_and_counted(app, engine, run_id, make_user):
    user = make_user("executive")
    with app.app_context():
        service = holdings(app).runs
        alive_id = service.create(db.session.get(User, user.id), Brief.model_validate(brief(name="Alive"))).id
    dead = owner(dead_pid())
    set_run(app, run_id, status=RunStatus.running, owner=dead, heartbeat_at=utcnow(), recoveries=1)
    set_run(app, alive_id, status=RunStatus.running, owner=owner(os.getppid()), heartbeat_at=utcnow())

    orphans = lease.take_back_orphans(engine, here=HERE, stale_after=STALE)
    assert orphans == [lease.Orphan(run_id, dead, 2)]
    taken = row(app, run_id)
    assert (taken.status, taken.owner, taken.recoveries) == (RunStatus.running, None, 2)
    assert row(app, alive_id).owner == owner(os.getppid())
    assert lease.take_back_orphans(engine, here=HERE, stale_after=STALE) == []


def test_waiting_runs_are_queued_or_released_and_settled(app, engine, run_id):
    assert lease.waiting_runs(engine, settled_for=timedelta(minutes=1)) == []  # just queued
    assert lease.waiting_runs(engine, settled_for=timedelta(0)) == [run_id]
    lease.claim(engine, run_id, "worker-a|ns|1|a")
    assert lease.waiting_runs(engine, settled_for=timedelta(0)) == []
    lease.release(engine, run_id, "worker-a|ns|1|a")
    assert lease.waiting_runs(engine, settled_for=timedelta(0)) == [run_id]


def test_a_recovery_after_progress_starts_the_crash_count_again(app, engine, run_id):
    """Killed at ten different steps is recovering; killed ten times at one step is a crash loop."""
    set_run(app, run_id, status=RunStatus.running, owner=owner(dead_pid()), heartbeat_at=utcnow(),
            recoveries=3, last_seq=40, recovered_at_seq=12)  # fmt: skip
    assert [o.recoveries for o in lease.take_back_orphans(engine, here=HERE, stale_after=STALE)] == [1]
    assert row(app, run_id).recovered_at_seq == 40
    set_run(app, run_id, owner=owner(dead_pid()), heartbeat_at=utcnow())  # died again, no new event
    assert [o.recoveries for o in lease.take_back_orphans(engine, here=HERE, stale_after=STALE)] == [2]


def test_the_scheduler_recovers_a_run_it_owns_but_no_longer_executes(app, engine, run_id):
    """An execution that ended without recording (storage was gone) must not strand its run."""
    from services.runs.scheduler import Scheduler

    launched: list[str] = []
    scheduler = Scheduler(engine, launched.append, spawn=lambda fn, *args: fn(*args),
                          context=app.app_context, max_concurrent=2, owner=HERE)  # fmt: skip
    set_run(app, run_id, status=RunStatus.running, owner=HERE, heartbeat_at=utcnow())
    scheduler._active.add(run_id)
    scheduler.tick()
    assert launched == []  # still executing here: left alone
    scheduler._active.discard(run_id)
    scheduler.tick()
    assert launched == [run_id]
    assert row(app, run_id).recoveries == 0  # a live process left it: no crash to count


def test_a_worker_releases_a_run_it_holds_but_no_longer_executes(app, engine, run_id):
    set_run(app, run_id, status=RunStatus.running, owner=HERE, heartbeat_at=utcnow(), recoveries=1)
    assert lease.take_back_orphans(engine, here=HERE, stale_after=STALE) == []  # no busy set: ours
    assert lease.take_back_orphans(engine, here=HERE, stale_after=STALE, busy={run_id}) == []
    assert lease.take_back_orphans(engine, here=HERE, stale_after=STALE, busy=set()) == [
        lease.Orphan(run_id, HERE, 1)  # released, and no crash counted
    ]
    assert row(app, run_id).owner is None
