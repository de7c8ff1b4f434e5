"""A cap of 0 is a cap of zero; "no monthly cap" is an admin's explicit choice, shown as such."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.budgets import update_budget_settings
from services.budgets.ai_usage import CapReached
from services.budgets.settings import get_budget_settings
from services.db import db
from services.holdings import holdings
from services.models import User
from tests.unit.budgets.budget_support import make_run

D = Decimal


def settle(ledger, run_id: str, key: str, amount: str) -> None:
    ledger.reserve(run_id, key, D(amount))
    ledger.settle(run_id, key, D(amount))


def save(bapp, admin, patch: dict) -> None:
    with bapp.app_context():
        update_budget_settings(admin.org_id, patch, db.session.get(User, admin.user_id), app_settings=holdings().settings)


def test_a_monthly_cap_of_zero_refuses_every_call(bapp, admin, ledger):
    save(bapp, admin, {"monthly_ai_cap_usd": "0", "run_ai_cap_max_usd": "0", "run_ai_cap_default_usd": "0"})
    run_id = make_run(bapp, admin, "0")
    with pytest.raises(CapReached) as refused:
        ledger.reserve(run_id, "c", D("0.01"))
    assert refused.value.cap == 0
    assert ledger.org_usage(admin.org_id).to_json()["cap"] == "0.000000"


def test_no_monthly_cap_lets_the_month_pass_any_amount_while_each_run_keeps_its_cap(bapp, admin, ledger):
    save(bapp, admin, {"monthly_ai_cap_usd": "1", "run_ai_cap_max_usd": "5", "run_ai_cap_default_usd": "5",
                       "no_monthly_ai_cap": True})  # fmt: skip
    with bapp.app_context():
        settings = get_budget_settings(admin.org_id, app_settings=holdings().settings)
        assert settings.no_monthly_ai_cap and settings.to_json()["no_monthly_ai_cap"] is True
    first, second = make_run(bapp, admin, "5"), make_run(bapp, admin, "5")
    settle(ledger, first, "a", "4")
    settle(ledger, second, "b", "4")  # 8 USD this month, past the 1 USD that is no longer enforced
    usage = ledger.org_usage(admin.org_id)
    assert usage.settled == D("8") and usage.cap is None and usage.to_json()["cap"] is None
    with pytest.raises(CapReached) as refused:
        ledger.reserve(first, "c", D("2"))  # the run's own cap still holds
    assert refused.value.scope == "run"


def test_the_run_maximum_may_pass_the_monthly_amount_only_without_a_monthly_cap(bapp, admin):
    from services.budgets.settings import BudgetSettingsError

    with pytest.raises(BudgetSettingsError):
        save(bapp, admin, {"monthly_ai_cap_usd": "1", "run_ai_cap_max_usd": "5"})
    save(bapp, admin, {"monthly_ai_cap_usd": "1", "run_ai_cap_max_usd": "5", "no_monthly_ai_cap": True})
