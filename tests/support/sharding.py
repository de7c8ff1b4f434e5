"""`pytest --shard I/N`: run one of N disjoint parts of the suite, so N processes share the work.

Most of the suite's time is spent waiting on real processes (browsers, gunicorn, nginx, worker
processes, llama.cpp), not computing, so two processes on two cores finish in little more than
half the time. pytest-xdist cannot be used: its workers wait on a `threading.Event` that the
suite's gevent monkey-patching turns into a greenlet event no thread can wake (LoopExit).

A part is made of whole test files (module fixtures stay in one process), except that every test
using the llama.cpp server goes to one part, which then starts that server only once. Each test
weighs what a test of its file took on average in the last recorded run
(`tests/support/test_durations.json`, written by `scripts/record_durations.py` from the parts'
JUnit reports); a test of a file not recorded yet weighs what its kind of test takes. Units are dealt out heaviest first to the lightest part, so the assignment
is deterministic and the parts end close together. `scripts/run_tests.py` starts the parts, each
with its own databases and Redis indexes (tests/support/isolation.py).
"""

from __future__ import annotations

import functools
import heapq
import json
from collections import defaultdict
from pathlib import Path

import pytest

LLAMA_FIXTURE = "llama_base_url"
DURATIONS = Path(__file__).with_name("test_durations.json")
# Seconds a test of each kind takes, roughly, for tests with no recorded duration; the rest 0.1.
WEIGHTS = {"browser": 9.0, "e2e": 20.0, "faults": 12.0, "llama": 30.0, "deploy": 1.2, "integration": 0.6}
DEFAULT_WEIGHT = 0.1


def add_option(parser: pytest.Parser) -> None:
    parser.addoption(
        "--shard", default=None, metavar="I/N",
        help="run only part I of N (1-based) of the collected tests, split by test file",
    )  # fmt: skip


def parse(value: str) -> tuple[int, int]:
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
        raise pytest.UsageError(f"--shard takes I/N with 1 <= I <= N, not {value!r}")
    return int(index), int(count)


def unit_of(item: pytest.Item) -> str:
    """What must stay in one process: the test's file, or the llama.cpp group."""
    if LLAMA_FIXTURE in getattr(item, "fixturenames", ()):
        return "llama"
    return item.nodeid.split("::", 1)[0]


@functools.cache
def recorded() -> dict[str, float]:
    """Seconds a test of each recorded file took on average in the last recorded run (empty: none)."""
    try:
        files = json.loads(DURATIONS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return {name: entry["seconds"] / max(1, entry["tests"]) for name, entry in files.items()}


def weight_of(item: pytest.Item) -> float:
    measured = recorded().get(item.nodeid.split("::", 1)[0])
    if measured is not None:
        return measured
    parts = item.nodeid.split("/")
    kind = "llama" if unit_of(item) == "llama" else (parts[1] if len(parts) > 2 else "")
    return WEIGHTS.get(kind, DEFAULT_WEIGHT)


def assign(items: list[pytest.Item], count: int) -> dict[str, int]:
    """Each unit's part (0-based), heaviest unit first onto the lightest part."""
    weights: dict[str, float] = defaultdict(float)
    for item in items:
        weights[unit_of(item)] += weight_of(item)
    loads = [(0.0, part) for part in range(count)]
    parts: dict[str, int] = {}
    for unit in sorted(weights, key=lambda name: (-weights[name], name)):
        load, part = heapq.heappop(loads)
        parts[unit] = part
        heapq.heappush(loads, (load + weights[unit], part))
    return parts


def select(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep this part's tests; report the others as deselected."""
    value = config.getoption("--shard")
    if not value:
        return
    index, count = parse(value)
    parts = assign(items, count)
    kept = [item for item in items if parts[unit_of(item)] == index - 1]
    dropped = [item for item in items if parts[unit_of(item)] != index - 1]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    items[:] = kept
