"""The ledger race with TWO processes at once: the caps hold across processes, not only greenlets.

Each process runs 25 greenlets against the same three runs and organisation (50 concurrent
reservations in all), through its own engine and connection pool.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.db import db
from services.holdings import holdings
from tests.integration.budgets.race import RUN_CAPS, Tally, check_invariants, ledger_state
from tests.integration.budgets.test_budget_race import org_with_caps
from tests.unit.budgets.budget_support import budget_app, make_run, schema_url

ROOT = Path(__file__).resolve().parents[3]
TRIALS = 3
GREENLETS_PER_PROCESS = 25
CALLS_PER_GREENLET = 12  # 3 trials x 2 processes x 25 x 12 = 1,800 racing calls per backend


def launch(url: str, runs: list[str], org_id: int, seed: int, tag: str, start_at: float) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "tests.integration.budgets.race_worker",
        "--url", url, "--runs", ",".join(runs), "--org", str(org_id), "--seed", str(seed), "--tag", tag,
        "--greenlets", str(GREENLETS_PER_PROCESS), "--calls", str(CALLS_PER_GREENLET),
        "--start-at", str(start_at),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_two_processes_racing_never_pass_a_cap(tmp_path, backend):
    app = budget_app(tmp_path, backend)
    url = schema_url() if backend == "postgres" else f"sqlite:///{tmp_path / 'test.db'}"
    try:
        with app.app_context():
            ledger = holdings().ai_ledger()
        for trial in range(TRIALS):
            admin = org_with_caps(app, f"Org {trial}")
            runs = [make_run(app, admin, cap) for cap in RUN_CAPS]
            start_at = time.time() + 2.5  # both interpreters are up by then
            workers = [
                launch(url, runs, admin.org_id, trial * 10 + n, f"proc{n}-", start_at) for n in range(2)
            ]
            tally, sampled = Tally(), []
            for worker in workers:
                out, err = worker.communicate(timeout=120)
                assert worker.returncode == 0, err[-3000:]
                result = json.loads(out.strip().splitlines()[-1])
                tally.merge(result["tally"])
                sampled.extend(result["sampled"])
            check_invariants(ledger_state(ledger.engine, runs, admin.org_id), tally, sampled)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
