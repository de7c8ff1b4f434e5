"""Organisation budget settings: defaults, partial updates, validation, run caps, audit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from services.budgets import (
    BudgetSettingsError,
    RunFinishedError,
    check_run_budget,
    get_budget_settings,
    resolve_run_ai_cap,
    set_run_ai_cap,
    update_budget_settings,
)
from services.db import db
from services.holdings import holdings
from services.models import AuditEntry, Run, RunStatus, User
from tests.unit.budgets.budget_support import make_member, make_run

D = Decimal


def test_defaults_come_from_app_settings_and_the_catalogue(bapp, admin):
    with bapp.app_context():
        settings = get_budget_settings(admin.org_id, app_settings=holdings().settings)
        app_settings = holdings(bapp).settings
    assert settings.monthly_ai_cap_usd == app_settings.monthly_ai_cap_usd
    assert settings.run_ai_cap_default_usd == app_settings.run_ai_cap_default_usd
    assert settings.overrun_policy == app_settings.overrun_policy
    assert settings.thresholds == [50, 80, 100]
    assert settings.agent_share_caps["legal"] == D("30")
    assert set(settings.agent_share_caps) == {
        "branding",
        "legal",
        "webdev",
        "martech",
        "content",
        "campaigns",
    }


def test_partial_update_is_stored_merged_and_audited(bapp, admin):
    with bapp.app_context():
        actor = db.session.get(User, admin.user_id)
        updated = update_budget_settings(
            admin.org_id, {"monthly_ai_cap_usd": "250.5", "agent_share_caps": {"legal": "12.5"}}, actor, app_settings=holdings().settings
        )
        assert updated.monthly_ai_cap_usd == D("250.5")
        assert updated.agent_share_caps["legal"] == D("12.5")
        assert updated.agent_share_caps["branding"] == D("25")  # untouched agents keep their cap
        db.session.remove()
        again = get_budget_settings(admin.org_id, app_settings=holdings().settings)
        assert again == updated
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "budget.settings_updated")
        ).one()
        assert entry.actor_id == admin.user_id and entry.org_id == admin.org_id
        assert entry.before == {"agent_share_caps": get_default_caps(), "monthly_ai_cap_usd": "100.00"}
        assert entry.after["monthly_ai_cap_usd"] == "250.50"
        assert entry.after["agent_share_caps"]["legal"] == "12.5"
        # A no-op update writes nothing.
        update_budget_settings(
            admin.org_id, {"monthly_ai_cap_usd": "250.5"}, db.session.get(User, admin.user_id), app_settings=holdings().settings
        )
        assert (
            db.session.scalar(
                select(db.func.count(AuditEntry.id)).where(AuditEntry.action == "budget.settings_updated")
            )
            == 1
        )


def get_default_caps() -> dict[str, str]:
    from agents.catalogue import default_catalogue

    return {
        name: f"{spec.default_share_cap_percent:f}"
        for name, spec in sorted(default_catalogue().agents.items())
        if spec.kind == "specialist"
    }


def test_settings_of_one_organisation_do_not_leak_to_another(bapp, admin):
    other = make_member(bapp, "admin", org="Globex")
    with bapp.app_context():
        update_budget_settings(admin.org_id, {"thresholds": [25, 100]}, db.session.get(User, admin.user_id), app_settings=holdings().settings)
        assert get_budget_settings(other.org_id, app_settings=holdings().settings).thresholds == [50, 80, 100]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"monthly_ai_cap_usd": "-1"}, "monthly_ai_cap_usd"),
        ({"monthly_ai_cap_usd": "1e12"}, "monthly_ai_cap_usd"),
        ({"monthly_ai_cap_usd": None}, "monthly_ai_cap_usd"),
        ({"run_ai_cap_max_usd": "0.0000001"}, "run_ai_cap_max_usd"),
        ({"run_budget_max_usd": "50"}, "run_budget_max_usd"),
        ({"thresholds": [80, 50]}, "thresholds"),
        ({"thresholds": [50, 50]}, "thresholds"),
        ({"thresholds": [0, 50]}, "thresholds.0"),
        ({"thresholds": [50, 101]}, "thresholds.1"),
        ({"thresholds": ["50"]}, "thresholds.0"),
        ({"agent_share_caps": {"intern": 10}}, "agent_share_caps"),
        ({"agent_share_caps": {"legal": 150}}, "agent_share_caps.legal"),
        ({"overrun_policy": "ignore"}, "overrun_policy"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_patches_are_refused_per_field(patch, field):
    from services.budgets import BudgetSettingsPatch
    from web.errors import validation_details

    with pytest.raises(ValidationError) as refused:
        BudgetSettingsPatch.model_validate(patch)
    assert field in [detail["field"] for detail in validation_details(refused.value)]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"run_ai_cap_default_usd": "20", "run_ai_cap_max_usd": "10"}, "run_ai_cap_default_usd"),
        ({"monthly_ai_cap_usd": "1"}, "run_ai_cap_max_usd"),
    ],
)
def test_inconsistent_caps_are_refused(bapp, admin, patch, field):
    with bapp.app_context():
        with pytest.raises(BudgetSettingsError) as refused:
            update_budget_settings(admin.org_id, patch, db.session.get(User, admin.user_id), app_settings=holdings().settings)
        assert [d["field"] for d in refused.value.details] == [field]
        assert get_budget_settings(admin.org_id, app_settings=holdings().settings).monthly_ai_cap_usd == D("100")


def test_run_ai_cap_resolution(bapp, admin):
    with bapp.app_context():
        update_budget_settings(
            admin.org_id,
            {"run_ai_cap_default_usd": "2", "run_ai_cap_max_usd": "10"},
            db.session.get(User, admin.user_id), app_settings=holdings().settings,
        )
        assert resolve_run_ai_cap(admin.org_id, None, app_settings=holdings().settings) == D("2")
        assert resolve_run_ai_cap(admin.org_id, D("10"), app_settings=holdings().settings) == D("10")
        for bad in (D("10.01"), D("-1"), D("0.0000001")):
            with pytest.raises(BudgetSettingsError) as refused:
                resolve_run_ai_cap(admin.org_id, bad, app_settings=holdings().settings)
            assert refused.value.details[0]["field"] == "ai_cap_usd"
        with pytest.raises(ValueError, match="at most 10"):
            resolve_run_ai_cap(admin.org_id, D("11"), app_settings=holdings().settings)
        assert check_run_budget(admin.org_id, D("5000"), app_settings=holdings().settings) == D("5000")
        update_budget_settings(
            admin.org_id, {"run_budget_max_usd": "1000"}, db.session.get(User, admin.user_id), app_settings=holdings().settings
        )
        with pytest.raises(BudgetSettingsError):
            check_run_budget(admin.org_id, D("5000"), app_settings=holdings().settings)


def test_set_run_ai_cap_is_audited_and_bounded(bapp, admin):
    run_id = make_run(bapp, admin, "1")
    done = make_run(bapp, admin, "1", status=RunStatus.completed)
    with bapp.app_context():
        actor = db.session.get(User, admin.user_id)
        run = set_run_ai_cap(db.session.get(Run, run_id), D("3.5"), actor, app_settings=holdings().settings)
        assert run.ai_cap_usd == D("3.5")
        db.session.remove()
        assert db.session.get(Run, run_id).ai_cap_usd == D("3.5")
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "run.ai_cap_changed")).one()
        assert entry.target_type == "run" and entry.target_id == run_id
        assert entry.before == {"ai_cap_usd": "1.00"} and entry.after == {"ai_cap_usd": "3.50"}
        with pytest.raises(BudgetSettingsError):
            set_run_ai_cap(db.session.get(Run, run_id), D("1000"), actor, app_settings=holdings().settings)
        with pytest.raises(RunFinishedError):
            set_run_ai_cap(db.session.get(Run, done), D("2"), actor, app_settings=holdings().settings)
