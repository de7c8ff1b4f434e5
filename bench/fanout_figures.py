"""What bench/fanout.py reports of one measurement: latency percentiles and the delivery checks.

Every watcher must hold every expected event exactly once, in seq order. An event counts as
delivered when it arrived live or in the watch ack's replay (the protocol allows both: a client
drops seq ≤ the last it saw); `lost` is an expected event that came neither way, `duplicates` a
live event that came twice, `out_of_order` a live event with a lower seq than one before it.
Latency is measured on live deliveries only (the first of each event), arrival minus its `ts`;
for replays also arrival minus the moment it was stored (bench/fanout_apps.py `STORED_AT`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.latency import epoch, percentile


@dataclass
class Figures:
    """Latency in milliseconds and the delivery checks of one measurement."""

    p50: float = float("nan")
    p95: float = float("nan")
    p99: float = float("nan")
    max: float = float("nan")
    deliveries: int = 0
    per_second: float = 0.0
    expected: int = 0
    lost: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    replay_overlap: int = 0
    sockets_closed: int = 0
    seconds: float = 0.0  # first to last live arrival
    server_cpu_seconds: float = 0.0  # CPU time of the web processes meanwhile
    client_cpu_seconds: float = 0.0  # and of the client processes
    # Replays only: from the moment the event was stored (its commit) instead of its `ts`.
    stored_p50: float = float("nan")
    stored_p99: float = float("nan")
    problems: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # ascending, ms
    stored_latencies: list[float] = field(default_factory=list)  # ascending, ms

    def summary(self) -> dict[str, Any]:
        figures = {key: (round(value, 3) if isinstance(value, float) else value)
                   for key, value in vars(self).items()
                   if key not in ("problems", "latencies", "stored_latencies")}  # fmt: skip
        return {**figures, "problems": len(self.problems)}

    def percentiles(self) -> None:
        ordered = self.latencies
        self.deliveries = len(ordered)
        if ordered:
            self.p50, self.p95 = percentile(ordered, 0.50), percentile(ordered, 0.95)
            self.p99, self.max = percentile(ordered, 0.99), ordered[-1]
            self.per_second = len(ordered) / max(self.seconds, 1e-9)
        if self.stored_latencies:
            self.stored_p50 = percentile(self.stored_latencies, 0.50)
            self.stored_p99 = percentile(self.stored_latencies, 0.99)


def pooled(rounds: list[Figures]) -> Figures:
    """Several measurements of one server as one: every delivery's latency, the counts summed."""
    together = Figures()
    for figures in rounds:
        for key in ("expected", "lost", "duplicates", "out_of_order", "replay_overlap", "sockets_closed",
                    "seconds", "server_cpu_seconds", "client_cpu_seconds"):  # fmt: skip
            setattr(together, key, getattr(together, key) + getattr(figures, key))
        together.problems += figures.problems
        together.latencies += figures.latencies
        together.stored_latencies += figures.stored_latencies
    together.latencies.sort()
    together.stored_latencies.sort()
    together.percentiles()
    return together


def delivery_figures(sockets: list[dict[str, Any]], expected: dict[str, list[int]]) -> Figures:
    """Figures of every socket's dump (bench/fanout_clients.py) against the events each should hold."""
    figures = Figures()
    latencies: list[float] = []
    stored: list[float] = []
    first, last = float("inf"), 0.0
    for socket in sockets:
        seen: dict[str, set[int]] = {}
        highest: dict[str, int] = {}
        for arrived, run_id, seq, ts, stored_at in socket["live"]:
            if run_id not in expected:
                continue  # another run's (the Redis channel is shared with whatever else uses it)
            got = seen.setdefault(run_id, set())
            if seq in got:
                figures.duplicates += 1
                continue
            got.add(seq)
            if seq < highest.get(run_id, 0):
                figures.out_of_order += 1
            highest[run_id] = max(seq, highest.get(run_id, 0))
            latencies.append((arrived - epoch(ts)) * 1000)
            if stored_at is not None:
                stored.append((arrived - stored_at) * 1000)
            first, last = min(first, arrived), max(last, arrived)
        for run_id, seqs in expected.items():
            live = seen.get(run_id, set())
            replayed = set(socket["replayed"].get(run_id, []))
            figures.expected += len(seqs)
            figures.lost += len(set(seqs) - live - replayed)
            figures.replay_overlap += len(live & replayed)
        if socket.get("closed"):
            figures.sockets_closed += 1
    if figures.lost:
        figures.problems.append(f"{figures.lost} of {figures.expected} expected deliveries lost")
    if figures.duplicates or figures.out_of_order:
        figures.problems.append(f"{figures.duplicates} duplicates, {figures.out_of_order} out of order")
    if figures.sockets_closed:
        figures.problems.append(f"{figures.sockets_closed} sockets closed by the server")
    latencies.sort()
    stored.sort()
    figures.latencies, figures.stored_latencies = latencies, stored
    figures.seconds = max(last - first, 0.0)
    figures.percentiles()
    return figures


def line(name: str, figures: Figures) -> str:
    """One printed row: the percentiles, the rate and the checks."""
    return (f"{name:9}: p50 {figures.p50:8.2f}  p95 {figures.p95:8.2f}  p99 {figures.p99:8.2f}  "
            f"max {figures.max:8.2f} ms  {figures.per_second:7.0f} deliveries/s  ({figures.deliveries} live, "
            f"{figures.expected} expected, {figures.lost} lost, {figures.duplicates} duplicates, "
            f"{figures.out_of_order} out of order; CPU s web {figures.server_cpu_seconds:.1f} "
            f"clients {figures.client_cpu_seconds:.1f})"
            + (f"\n{'':9}  from stored: p50 {figures.stored_p50:8.2f}  p99 {figures.stored_p99:8.2f} ms"
               if figures.stored_latencies else ""))  # fmt: skip
