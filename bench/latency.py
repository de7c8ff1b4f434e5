"""Latency arithmetic the benchmarks share: an event's ISO `ts` as epoch seconds, and a percentile.

One definition so that bench/concurrency.py and bench/fanout.py report the same figure for the
same latencies (nearest rank, no interpolation).
"""

from __future__ import annotations

from datetime import UTC, datetime


def epoch(stamp: str) -> float:
    """Seconds since the epoch of an ISO timestamp (a naive one is UTC, as the app stores them)."""
    moment = datetime.fromisoformat(stamp)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def percentile(ordered: list[float], q: float) -> float:
    """Nearest rank of an ascending list (NaN when empty)."""
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")
