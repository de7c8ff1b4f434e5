"""Who holds a running run, and taking runs back from holders that are gone.

The `runs` table is the truth about execution; a job queue only says "look at this run". A process
that executes a run writes its owner id into `runs.owner` (compare-and-set, so exactly one process
wins) and renews `runs.heartbeat_at` while it works. A holder is gone when its heartbeat is older
than the stale period, or, on the same host and PID namespace, as soon as its pid no longer exists
(a SIGKILLed worker is noticed within one poll, not after the stale period).

Releasing a run sets its owner to NULL and leaves the status `running`: the run is resumable, the
user sees nothing change, and the next process that claims it continues from its checkpoint.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, bindparam, case, func, or_, select, update

from services.db import table_of, utcnow
from services.models import Run, RunStatus

_runs = table_of(Run)


@dataclass(frozen=True)
class Holder:
    """The parts of an owner id (`host|pidns|pid|nonce`, see `scheduler.process_owner`)."""

    host: str
    pid_namespace: str
    pid: int | None

    @classmethod
    def parse(cls, owner: str | None) -> Holder | None:
        parts = (owner or "").split("|")
        if len(parts) != 4:
            return None
        host, pidns, pid, _nonce = parts
        return cls(host, pidns, int(pid) if pid.isdigit() else None)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder_gone(
    owner: str | None, heartbeat_at: datetime | None, *, here: str, stale_after: timedelta, now: datetime
) -> bool:
    """Whether the process named by `owner` has stopped executing its run (`here`: our owner id)."""
    if heartbeat_at is None or now - heartbeat_at > stale_after:
        return True
    holder, me = Holder.parse(owner), Holder.parse(here)
    if holder is None or me is None or holder.pid is None or holder.pid_namespace == "-":
        return False
    if (holder.host, holder.pid_namespace) != (me.host, me.pid_namespace):
        return False
    # Same host and PID namespace: the pid tells. Our own pid under another nonce is a previous
    # incarnation of this process (a container restart reuses pids).
    if holder.pid == me.pid:
        return owner != here
    return not _pid_alive(holder.pid)


def recovered() -> dict[str, ColumnElement[int]]:
    """UPDATE values for one more recovery: the count restarts at 1 when the run progressed since."""
    return {
        "recoveries": case(
            (_runs.c.last_seq > _runs.c.recovered_at_seq, 1), else_=_runs.c.recoveries + 1
        ),
        "recovered_at_seq": _runs.c.last_seq,
    }


def _claimable() -> ColumnElement[bool]:
    """Who may take a run: it is queued, or running with no holder (released, or taken back)."""
    return or_(
        _runs.c.status == RunStatus.queued,
        (_runs.c.status == RunStatus.running) & _runs.c.owner.is_(None),
    )


_OLDEST_FIRST = (_runs.c.queued_at, _runs.c.created_at, _runs.c.id)
# Built once: the scheduler runs these every second in every serving process, and composing them
# (enum coercion, clause objects, cache keys) cost more CPU than running them, on the one gevent
# thread live events are sent from (bench/fanout.py, issue 15 item 3).
_held_runs = select(_runs.c.id, _runs.c.owner, _runs.c.heartbeat_at, _runs.c.recoveries).where(
    _runs.c.status == RunStatus.running, _runs.c.owner.is_not(None)
)
_waiting_first = select(_runs.c.id).where(_claimable()).order_by(*_OLDEST_FIRST).limit(bindparam("waiting_limit"))


def claim(engine: Engine, run_id: str, owner: str) -> bool:
    """Take a queued run, or a released running one, for `owner`. False when someone else has it."""
    now = utcnow()
    with engine.begin() as conn:
        taken = conn.execute(
            update(_runs)
            .where(_runs.c.id == run_id, _claimable())
            .values(
                status=RunStatus.running,
                owner=owner,
                heartbeat_at=now,
                started_at=func.coalesce(_runs.c.started_at, now),
                updated_at=now,
            )
        ).rowcount
    return taken == 1


def renew(engine: Engine, run_ids: Iterable[str], owner: str) -> int:
    """Heartbeat: the runs `owner` still holds get a fresh `heartbeat_at`. Returns how many."""
    ids = list(run_ids)
    if not ids:
        return 0
    with engine.begin() as conn:
        return conn.execute(
            update(_runs).where(_runs.c.id.in_(ids), _runs.c.owner == owner).values(heartbeat_at=utcnow())
        ).rowcount


def release(engine: Engine, run_id: str, owner: str) -> bool:
    """Hand a running run on: owner NULL, status unchanged. False when `owner` did not hold it."""
    with engine.begin() as conn:
        released = conn.execute(
            update(_runs)
            .where(_runs.c.id == run_id, _runs.c.owner == owner, _runs.c.status == RunStatus.running)
            .values(owner=None, heartbeat_at=None, updated_at=utcnow())
        ).rowcount
    return released == 1


@dataclass(frozen=True)
class Orphan:
    """A running run whose holder is gone, taken back (owner NULL) by `take_back_orphans`."""

    run_id: str
    previous_owner: str | None
    recoveries: int


def take_back_orphans(
    engine: Engine, *, here: str, stale_after: timedelta, busy: Collection[str] | None = None
) -> list[Orphan]:
    """Release every running run whose holder is gone; each counts one more recovery (`recovered`).

    With `busy` (the runs this process executes now), a run held `here` but not busy is released
    too, without counting a crash: its execution ended without recording how (storage was gone).
    """
    now = utcnow()
    with engine.connect() as conn:
        rows = conn.execute(_held_runs).all()
    orphans: list[Orphan] = []
    for row in rows:
        left_here = row.owner == here and busy is not None and row.id not in busy
        if row.owner == here and not left_here:
            continue
        gone = left_here or holder_gone(
            row.owner, row.heartbeat_at, here=here, stale_after=stale_after, now=now
        )
        if not gone:
            continue
        with engine.begin() as conn:
            count = conn.execute(
                update(_runs)
                .where(_runs.c.id == row.id, _runs.c.status == RunStatus.running, _runs.c.owner == row.owner)
                .values(owner=None, heartbeat_at=None, updated_at=now, **({} if left_here else recovered()))
                .returning(_runs.c.recoveries)
            ).scalar()
        if count is not None:
            orphans.append(Orphan(row.id, row.owner, count))
    return orphans


def waiting_runs(
    engine: Engine, *, settled_for: timedelta | None = None, limit: int | None = None, queued_only: bool = False
) -> list[str]:
    """Runs that need an executor, oldest first: queued, or running and released by their holder.

    `settled_for`: only those unchanged for that long (the workers' sweep leaves fresh ones to the
    queue); `queued_only`: not the released ones (a one-shot drain executes new work only).
    """
    if settled_for is None and limit is not None and not queued_only:  # the scheduler's every tick
        with engine.connect() as conn:
            return list(conn.execute(_waiting_first, {"waiting_limit": limit}).scalars())
    claimable = _runs.c.status == RunStatus.queued if queued_only else _claimable()
    query = select(_runs.c.id).where(claimable).order_by(*_OLDEST_FIRST)
    if settled_for is not None:
        query = query.where(_runs.c.updated_at <= utcnow() - settled_for)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())
