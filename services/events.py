"""The run event log: every protocol event is stored with the next per-run seq, then published.

Why this order: a watcher that replays the log and then follows the live stream may only ever see
events that are already stored, so a reconnect (replay from its last seq) can never miss one.

Seqs come from `runs.last_seq`, incremented with UPDATE … RETURNING in the transaction that
inserts the event: the UPDATE row-locks the run, so concurrent emitters (parallel agents, several
processes) get 1, 2, 3… with no gap and no repeat, and a duplicate `key` found under that lock
rolls the increment back. Publishing happens under a per-run lock, so the live order of one
process is the stored order.
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from services import metrics
from services.db import connected, table_of, utcnow
from services.models import Run, RunEvent
from services.storage_patience import patiently

log = logging.getLogger(__name__)

Publish = Callable[[str, dict[str, Any]], None]
"""Hands one stored event to watchers: `publish(run_id, event)`."""
Together = Callable[[Connection], bool]
"""A change stored in the same transaction as an event, before it (False: store neither)."""

MAX_REPLAY = 1000

_runs = table_of(Run)
_events = table_of(RunEvent)
# Built once, executed with parameters: composing these per event (literal values coerced, a cache
# key computed from them) cost more CPU than running them (bench/fanout.py, issue 15 item 3).
_next_seq = (
    update(_runs)
    .where(_runs.c.id == bindparam("event_run_id"))
    .values(last_seq=_runs.c.last_seq + 1)
    .returning(_runs.c.last_seq)
)
_insert_event = insert(_events)
_EVENT_FIELDS = ("key", "type", "phase", "agent", "data", "ts")
# PostgreSQL: the seq increment and the insert in one statement (a data-modifying CTE), so storing
# an event costs one round trip fewer; under fan-out load each round trip waits for a busy core.
# SQLite has no data-modifying CTEs and no round trips, so it keeps the two statements.
_seq_taken = _next_seq.cte("seq_taken")
_insert_with_next_seq = (
    insert(_events)
    .from_select(
        ["run_id", "seq", *_EVENT_FIELDS],
        select(bindparam("run_id", type_=_events.c.run_id.type), _seq_taken.c.last_seq,
               *(bindparam(name, type_=_events.c[name].type) for name in _EVENT_FIELDS)),
    )
    .returning(_events.c.seq)
)
_key_stored = select(_events.c.id).where(
    _events.c.run_id == bindparam("event_run_id"), _events.c.key == bindparam("event_key")
)
_locks: weakref.WeakValueDictionary[str, Any] = weakref.WeakValueDictionary()
_locks_guard = threading.Lock()


class UnknownRun(LookupError):
    """The run an event was emitted for does not exist (deleted, or a wrong id)."""


def _run_lock(run_id: str) -> Any:
    """One lock per run in this process, alive as long as a sink for the run holds it."""
    with _locks_guard:
        lock = _locks.get(run_id)
        if lock is None:
            lock = threading.RLock()
            _locks[run_id] = lock
        return lock


def _plain(value: Any) -> Any:
    """JSON fallback: money as strings (never floats), times as ISO 8601."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json_data(data: dict[str, Any]) -> dict[str, Any]:
    """The event data exactly as it will be stored and read back."""
    return json.loads(json.dumps(data, default=_plain))


def protocol_event(
    run_id: str, seq: int, ts: datetime, type: str, phase: str | None, agent: str | None, data: dict[str, Any]
) -> dict[str, Any]:
    """One event in the shape of ARCHITECTURE.md."""
    event: dict[str, Any] = {"run_id": run_id, "seq": seq, "ts": ts.isoformat(), "type": type}
    if phase:
        event["phase"] = phase
    if agent:
        event["agent"] = agent
    event["data"] = data
    return event


class RunEventSink:
    """The `agents.ports.EventSink` of one run: store, then publish."""

    def __init__(self, engine: Engine, run_id: str, publish: Publish | None = None) -> None:
        self.engine = engine
        self.run_id = run_id
        self.publish = publish
        self._lock = _run_lock(run_id)

    def emit(
        self,
        type: str,
        data: dict[str, Any],
        *,
        phase: str | None = None,
        agent: str | None = None,
        key: str | None = None,
        together: Together | None = None,
    ) -> dict[str, Any] | None:
        """Store then publish one event; returns it, or None when `key` was already stored.

        `together(conn)` runs first in the event's transaction (e.g. recording the run's new
        status); when it answers False nothing is stored. Its change is kept even when the event
        turns out to be a duplicate.
        """
        payload = to_json_data(data or {})
        with self._lock:
            # Under the lock, so an outage holds this run's later events back: the order stays.
            event = patiently("store event", lambda: self._store(type, payload, phase, agent, key, together))
            if event is None:
                return None
            metrics.EVENTS_EMITTED.labels(type=type).inc()
            if self.publish is not None:
                try:
                    self.publish(self.run_id, event)
                except Exception:  # watchers catch up from the log; the run goes on
                    log.exception(
                        "publishing an event failed", extra={"run_id": self.run_id, "seq": event["seq"]}
                    )
        return event

    def _store(
        self,
        type: str,
        data: dict[str, Any],
        phase: str | None,
        agent: str | None,
        key: str | None,
        together: Together | None = None,
    ) -> dict[str, Any] | None:
        ts = utcnow()
        with self.engine.connect() as conn, conn.begin() as transaction:
            if together is not None:
                if not together(conn):
                    transaction.rollback()
                    return None
                if key is not None and self._stored(conn, key):
                    return None  # committed: the change stands, the event was already told
            values = {"run_id": self.run_id, "key": key, "type": type, "phase": phase, "agent": agent,
                      "data": data, "ts": ts}
            if key is None and conn.dialect.name == "postgresql":
                seq = conn.execute(_insert_with_next_seq, {"event_run_id": self.run_id, **values}).scalar()
                if seq is None:
                    raise UnknownRun(self.run_id)
                return protocol_event(self.run_id, seq, ts, type, phase, agent, data)
            seq = conn.execute(_next_seq, {"event_run_id": self.run_id}).scalar_one_or_none()
            if seq is None:
                raise UnknownRun(self.run_id)
            # The run row is locked by the UPDATE above, so this check cannot race another emitter.
            if key is not None and self._stored(conn, key):
                transaction.rollback()
                return None
            try:
                conn.execute(_insert_event, {**values, "seq": seq})
            except IntegrityError:
                transaction.rollback()
                log.warning("event dropped as a duplicate", extra={"run_id": self.run_id, "key": key})
                return None
        return protocol_event(self.run_id, seq, ts, type, phase, agent, data)


    def _stored(self, conn: Connection, key: str) -> bool:
        return conn.execute(_key_stored, {"event_run_id": self.run_id, "event_key": key}).first() is not None


def events_after(
    bind: Engine | Connection, run_id: str, after_seq: int = 0, limit: int = MAX_REPLAY
) -> list[dict[str, Any]]:
    """Stored events of a run with seq > after_seq, in order, at most `limit` (`bind`: see `connected`)."""
    with connected(bind) as conn:
        rows = conn.execute(
            select(
                _events.c.seq, _events.c.ts, _events.c.type, _events.c.phase, _events.c.agent, _events.c.data
            )
            .where(_events.c.run_id == run_id, _events.c.seq > after_seq)
            .order_by(_events.c.seq)
            .limit(limit)
        ).all()
    return [protocol_event(run_id, row.seq, row.ts, row.type, row.phase, row.agent, row.data) for row in rows]

