"""50 greenlets racing metered calls against small run and org caps, over many random trials.

Every trial uses a fresh organisation (its own monthly cap) and three runs with small caps; a
monitor samples the counters while the racers run. Afterwards nothing may be over a cap, dangling,
or unaccounted for (see `race.check_invariants`).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.budgets import update_budget_settings
from services.db import db
from services.holdings import holdings
from services.models import User
from tests.integration.budgets.race import ORG_CAP, RUN_CAPS, check_invariants, ledger_state, race
from tests.unit.budgets.budget_support import budget_app, make_member, make_run

TRIALS = 4
GREENLETS = 50
CALLS_PER_GREENLET = 12  # 4 trials x 50 x 12 = 2,400 racing calls per backend


def org_with_caps(app, name: str):
    admin = make_member(app, "admin", org=name)
    with app.app_context():
        update_budget_settings(
            admin.org_id,
            {
                "monthly_ai_cap_usd": str(ORG_CAP),
                "run_ai_cap_max_usd": str(ORG_CAP),
                "run_ai_cap_default_usd": "0.1",
            },
            db.session.get(User, admin.user_id), app_settings=holdings().settings,
        )
    return admin


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_racing_reservations_never_pass_a_cap(tmp_path, backend):
    app = budget_app(tmp_path, backend)
    try:
        with app.app_context():
            ledger = holdings().ai_ledger()
        totals = {"refused": 0, "ok": 0}
        for trial in range(TRIALS):
            admin = org_with_caps(app, f"Org {trial}")
            runs = [make_run(app, admin, cap) for cap in RUN_CAPS]
            tally, sampled = race(
                ledger, runs, admin.org_id, seed=trial, greenlets=GREENLETS, calls=CALLS_PER_GREENLET
            )
            check_invariants(ledger_state(ledger.engine, runs, admin.org_id), tally, sampled)
            for key in totals:
                totals[key] += tally.outcomes[key]
        assert sum(totals.values()) > TRIALS * GREENLETS * CALLS_PER_GREENLET * Decimal("0.5")
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
