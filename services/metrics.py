"""Prometheus metrics of live runs, in a registry of our own (not the process-global default).

Counters and histograms are per process; the run counts by status and the queue length are read
from the database at scrape time, so every process reports the same, true numbers.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest
from sqlalchemy import Engine, func, select

from services.models import Run, RunStatus

REGISTRY = CollectorRegistry(auto_describe=True)

RUNS_BY_STATUS = Gauge(
    "catalyst_runs", "Runs by status (all organisations, from the database).", ["status"], registry=REGISTRY
)
RUN_QUEUE_LENGTH = Gauge("catalyst_run_queue_length", "Runs waiting for a free slot.", registry=REGISTRY)
RUN_DURATION = Histogram(
    "catalyst_run_duration_seconds",
    "Wall time from a run's first start to its end (completed, failed or cancelled).",
    ["status"],
    buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1200, 3600, float("inf")),
    registry=REGISTRY,
)
RUNS_ACTIVE = Gauge("catalyst_runs_executing", "Runs executing in this process right now.", registry=REGISTRY)
EVENTS_EMITTED = Counter(
    "catalyst_run_events_emitted",
    "Run events stored and published by this process.",
    ["type"],
    registry=REGISTRY,
)
WATCHERS = Gauge("catalyst_run_watchers", "Sockets of this process watching a run.", registry=REGISTRY)
SOCKET_EVENTS = Counter(
    "catalyst_socket_events",
    "Client Socket.IO events by name and outcome.",
    ["event", "outcome"],
    registry=REGISTRY,
)


def refresh_from_database(engine: Engine) -> None:
    """Set the database-derived gauges (run counts by status, queue length)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Run.status, func.count()).group_by(Run.status)).all()
    counts: dict[RunStatus | str, int] = {status: count for status, count in rows}
    for status in RunStatus:
        RUNS_BY_STATUS.labels(status=status.value).set(counts.get(status, counts.get(status.value, 0)))
    RUN_QUEUE_LENGTH.set(counts.get(RunStatus.queued, counts.get("queued", 0)))


def exposition(engine: Engine) -> bytes:
    """The text exposition format of every Catalyst metric, fresh from the database."""
    refresh_from_database(engine)
    return generate_latest(REGISTRY)
