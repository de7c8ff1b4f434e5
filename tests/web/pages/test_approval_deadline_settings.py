"""The approval deadline setting (Admin → Budgets, `PUT /api/admin/budget`) and where it shows:
the live page ("decide by …") and the run's API output, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.budgets import get_budget_settings
from services.db import db, utcnow
from services.holdings import holdings
from services.models import AuditEntry, Run, RunStatus
from tests.conftest import csrf_from
from tests.support.api import JsonClient

FORM = {
    "monthly_ai_cap_usd": "250",
    "run_ai_cap_default_usd": "7.5",
    "run_ai_cap_max_usd": "40",
    "run_budget_max_usd": "500000",
    "thresholds": "50, 90, 100",
    "quote_policy": "over_budget",
    **{f"share_cap_{a}": "20" for a in ("branding", "legal", "webdev", "martech", "content", "campaigns")},
}


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def login(app, make_user, role: str = "admin") -> tuple[JsonClient, object]:
    user = make_user(role)
    return JsonClient(app.test_client()).login(user.email), user


def submit(api: JsonClient, **changes: str):
    token = csrf_from(api.get("/admin/budgets").get_data(as_text=True))
    return api.client.post("/admin/budgets", data={**FORM, **changes, "csrf_token": token})


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{re.escape(field)}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def saved(app, org_id: int) -> tuple[int | None, str]:
    with app.app_context():
        settings = get_budget_settings(org_id, holdings(app).settings)
        return settings.decision_deadline_minutes, settings.decision_fallback


# --- the admin page ------------------------------------------------------------------------------


def test_the_page_saves_a_deadline_in_hours_or_minutes_and_turns_it_off(app, make_user):
    api, admin = login(app, make_user)
    page = api.get("/admin/budgets").get_data(as_text=True)
    assert 'id="decision_deadline"' in page and 'value="trim" checked' in page
    assert submit(api, decision_deadline="2", decision_deadline_unit="hours", decision_fallback="cancel").status_code == 303
    assert saved(app, admin.org_id) == (120, "cancel")
    page = api.get("/admin/budgets").get_data(as_text=True)
    assert 'name="decision_deadline" value="2"' in page and '<option value="hours" selected>' in page
    assert 'value="cancel" checked' in page
    assert submit(api, decision_deadline="45", decision_deadline_unit="minutes").status_code == 303
    assert saved(app, admin.org_id) == (45, "cancel")
    assert submit(api, decision_deadline="", decision_deadline_unit="minutes").status_code == 303
    assert saved(app, admin.org_id) == (None, "cancel")
    with app.app_context():
        changes = db.session.scalars(
            select(AuditEntry.after).where(AuditEntry.action == "budget.settings_updated").order_by(AuditEntry.id)
        ).all()
    assert [c.get("decision_deadline_minutes") for c in changes] == [120, 45, None]


def test_a_form_without_the_deadline_fields_keeps_the_deadline(app, make_user):
    api, admin = login(app, make_user)
    assert submit(api, decision_deadline="30", decision_deadline_unit="minutes").status_code == 303
    assert submit(api, thresholds="50, 100").status_code == 303  # an older form: no deadline fields
    assert saved(app, admin.org_id) == (30, "trim")


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"decision_deadline": "4", "decision_deadline_unit": "minutes"}, "from 5 minutes to 30 days"),
        ({"decision_deadline": "721", "decision_deadline_unit": "hours"}, "from 5 minutes to 30 days"),
        ({"decision_deadline": "1.5", "decision_deadline_unit": "hours"}, "whole number"),
        ({"decision_deadline": "soon", "decision_deadline_unit": "minutes"}, "whole number"),
        ({"decision_deadline": "-10", "decision_deadline_unit": "minutes"}, "whole number"),
        ({"decision_deadline": "10", "decision_deadline_unit": "days"}, "minutes or hours"),
    ],
)
def test_bad_deadlines_are_refused_next_to_the_field(app, make_user, changes, words):
    api, admin = login(app, make_user)
    response = submit(api, **changes)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert words in field_error(html, "decision_deadline"), field_error(html, "decision_deadline")
    assert f'value="{changes["decision_deadline"]}"' in html  # the form keeps what was typed
    assert saved(app, admin.org_id) == (None, "trim")


def test_a_bad_fallback_is_refused_next_to_its_field(app, make_user):
    api, admin = login(app, make_user)
    response = submit(api, decision_deadline="30", decision_deadline_unit="minutes", decision_fallback="shrug")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "decision_fallback")
    assert saved(app, admin.org_id) == (None, "trim")


def test_the_form_needs_its_csrf_token(app, make_user):
    api, admin = login(app, make_user)
    response = api.client.post("/admin/budgets", data={**FORM, "decision_deadline": "30"})
    assert response.status_code in (400, 403)
    assert saved(app, admin.org_id) == (None, "trim")


@pytest.mark.parametrize("role", ["executive", "member"])
def test_only_admins_set_the_deadline(app, make_user, role):
    owner = make_user("admin")
    api, _user = login(app, make_user, role)
    assert api.get("/admin/budgets").status_code == 403
    token = api.csrf
    page = api.client.post("/admin/budgets", data={**FORM, "decision_deadline": "30", "csrf_token": token})
    assert page.status_code == 403
    assert api.put("/api/admin/budget", {"decision_deadline_minutes": 30}).status_code == 403
    assert saved(app, owner.org_id) == (None, "trim")


# --- the API -------------------------------------------------------------------------------------


def test_the_api_reads_sets_and_clears_the_deadline(app, make_user):
    api, admin = login(app, make_user)
    body = api.get("/api/admin/budget").get_json()
    assert body["decision_deadline_minutes"] is None and body["decision_fallback"] == "trim"
    answer = api.put("/api/admin/budget", {"decision_deadline_minutes": 240, "decision_fallback": "cancel"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["decision_deadline_minutes"] == 240 and answer.get_json()["decision_fallback"] == "cancel"
    answer = api.put("/api/admin/budget", {"monthly_ai_cap_usd": "300"})  # absent: kept
    assert answer.get_json()["decision_deadline_minutes"] == 240
    answer = api.put("/api/admin/budget", {"decision_deadline_minutes": None})  # null: no deadline
    assert answer.status_code == 200 and answer.get_json()["decision_deadline_minutes"] is None
    assert saved(app, admin.org_id) == (None, "cancel")


@pytest.mark.parametrize(
    "body",
    [
        {"decision_deadline_minutes": 4},
        {"decision_deadline_minutes": 43201},
        {"decision_deadline_minutes": 30.5},
        {"decision_deadline_minutes": "30"},
        {"decision_deadline_minutes": True},
        {"decision_fallback": "shrug"},
        {"decision_fallback": None},
    ],
)
def test_the_api_refuses_bad_deadlines_with_a_field_error(app, make_user, body):
    api, admin = login(app, make_user)
    answer = api.put("/api/admin/budget", body)
    assert answer.status_code in (400, 422), answer.get_json()
    error = answer.get_json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert [detail["field"] for detail in error["details"]] == [next(iter(body))]
    assert saved(app, admin.org_id) == (None, "trim")


def test_the_api_needs_its_csrf_token(app, make_user):
    api, admin = login(app, make_user)
    answer = api.client.put("/api/admin/budget", json={"decision_deadline_minutes": 30})
    assert answer.status_code in (400, 403)
    assert saved(app, admin.org_id) == (None, "trim")


# --- where a run's deadline shows -----------------------------------------------------------------


def paused_run(app, user, reason: str = "approval_required", **values: object) -> str:
    with app.app_context():
        run = Run(
            org_id=user.org_id, created_by_id=user.id, status=RunStatus.paused, company_name="Acme",
            brief={"company": {"name": "Acme", "industry": "Tech", "location": "Austin, TX"}, "objectives": ["a"],
                   "budget_usd": "300", "timeline_days": 90},
            budget_usd=Decimal("300"), ai_cap_usd=Decimal("1"), pause_reason=reason,
            pause_payload={"reason": reason, "amount": "10.00", "budget": "300.00", "plan_total": "310.00"},
            created_at=utcnow(), **values,
        )  # fmt: skip
        db.session.add(run)
        db.session.commit()
        return run.id


def test_the_live_page_and_the_api_show_the_deadline(app, make_user):
    api, member = login(app, make_user, "member")
    due = (utcnow() + timedelta(minutes=45)).replace(microsecond=0)
    run_id = paused_run(app, member, decision_due_at=due, decision_fallback="cancel")
    page = api.get(f"/runs/{run_id}").get_data(as_text=True)
    notice = re.search(r'<p class="card notice decision-deadline" id="decision-deadline" role="status">(.*?)</p>', page)
    assert notice, "the deadline notice is shown"
    assert f'<time datetime="{due.isoformat()}"' in notice.group(1)  # localised by the browser
    assert "if nobody decides by then, the run is cancelled" in notice.group(1)
    written = api.get(f"/api/runs/{run_id}").get_json()["decision_deadline"]
    assert written == {"due_at": due.isoformat().replace("+00:00", "Z"), "fallback": "cancel"}


def test_no_deadline_is_shown_without_one_or_after_the_pause(app, make_user):
    api, member = login(app, make_user, "member")
    plain = paused_run(app, member)
    over = paused_run(app, member, decision_due_at=utcnow(), decision_fallback="trim")
    with app.app_context():
        db.session.get(Run, over).status = RunStatus.queued
        db.session.commit()
    for run_id in (plain, over):
        page = api.get(f"/runs/{run_id}").get_data(as_text=True)
        assert 'id="decision-deadline" role="status" hidden>' in page
        assert api.get(f"/api/runs/{run_id}").get_json()["decision_deadline"] is None
