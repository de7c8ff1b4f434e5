"""SIGKILL at each agent and phase boundary of one run in turn: it completes, nothing lost or redone.

The light sweep of `make test`: SQLite with the web process executing runs (inline), killed after
every boundary of the run, and PostgreSQL with an RQ worker (queue), killed after every third;
alternately right after the event is stored and right after the node's checkpoint writes. `bench/faults.py` runs the
full matrix (both kill kinds at every boundary, all four setups).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.kill_sweep import sweep

pytestmark = pytest.mark.slow


# Every boundary on SQLite inline; every third on PostgreSQL with a worker, to keep the suite short.
@pytest.mark.parametrize(("backend", "executor", "every"), [("sqlite", "inline", 1), ("postgres", "queue", 3)])
def test_a_run_killed_at_every_boundary_completes_with_every_event_once(
    tmp_path: Path, backend: str, executor: str, every: int
) -> None:
    result = sweep(tmp_path, backend, executor, every=every)
    assert result.trials >= 14 // every, result  # the boundaries were crossed by kills
    assert result.completed, result
    assert result.seqs_ok, result  # seq 1..N, no gap, no repeat
    assert not result.lost, result
    assert not result.duplicated, result
    # No finished call is asked again; a call the kill interrupted is, and the ledger says so
    # (counted on the provider's side).
    assert not result.finished_repeated, result
    assert not result.unrecorded_repeats(), result
    assert result.ok()
