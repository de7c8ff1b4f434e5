"""Editing an over-budget plan (fund all but some tasks) over HTTP, Socket.IO and the service.

The paused run is written straight into the database with the engine's approval payload, so these
tests pin the server's validation and what it records, independently of the engine.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from services.db import db
from services.holdings import holdings
from services.models import AuditEntry, Run, RunStatus, User
from services.models.budgets import OverrunDecision
from services.runs import RunInvalid
from tests.support.api import JsonClient, brief
from tests.support.wiring import with_policy
from web.extensions import socketio

OBJECTIVES = {
    1: "Register the company", 2: "Launch the website", 3: "Build the brand", 4: "Win first customers",
}  # fmt: skip


def _task(
    task_id: str, title: str, agent: str, cost: str, priority: int, objective: int, **extra: object
) -> dict:
    return {
        "id": task_id, "title": title, "agent": agent, "agent_title": agent.title(), "priority": priority,
        "cost_usd": cost, "objective_indexes": [objective], "objectives": [OBJECTIVES[objective]],
        "depends_on": [], "cut_on_reject": False, "over_agent_cap": False, **extra,
    }  # fmt: skip


PAYLOAD = {
    "reason": "approval_required",
    "budget": "300.00",
    "plan_total": "2547.00",
    "amount": "2247.00",
    "rules": [],
    "tasks": [
        _task("T1", "Form the company (Texas LLC)", "legal", "300.00", 1, 1),
        _task("T2", "Logo and brand kit", "branding", "800.00", 3, 3, cut_on_reject=True),
        _task("T3", "Landing page", "webdev", "1000.00", 2, 2, cut_on_reject=True, depends_on=["T2"]),
        _task("T4", "Launch ads", "campaigns", "300.00", 2, 2, cut_on_reject=True, over_agent_cap=True),
        _task("T5", "Email outreach", "campaigns", "147.00", 4, 4, cut_on_reject=True),
    ],
    "objectives": [
        {"index": 1, "text": "Register the company", "status": "covered"},
        {"index": 2, "text": "Launch the website", "status": "covered"},
        {"index": 3, "text": "Build the brand", "status": "covered"},
        {"index": 4, "text": "Win first customers", "status": "covered"},
    ],
    "options": {
        "approve": {"funded_usd": "2547.00", "ceiling_usd": "2547.00", "overrun_usd": "2247.00", "cut": [],
                    "uncovered_objectives": []},
        "reject": {"funded_usd": "300.00", "ceiling_usd": "300.00", "overrun_usd": "0.00",
                   "cut": ["T2", "T3", "T4", "T5"], "uncovered_objectives": [2, 3, 4]},
    },
    "reconciliation": [
        {"label": "CFO plan total (all tasks)", "amount_usd": "2547.00"},
        {"label": "Budget", "amount_usd": "300.00"},
        {"label": "Over budget", "amount_usd": "2247.00"},
    ],
    "caps": [{"agent": "campaigns", "agent_title": "Campaigns", "cap_usd": "90.00", "planned_usd": "300.00"}],
}  # fmt: skip


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


@pytest.fixture
def executive(app, make_user):
    return make_user("executive")


@pytest.fixture
def api(app, executive) -> JsonClient:
    return JsonClient(app.test_client()).login(executive.email)


def paused_run(app, user, payload: dict | None = None) -> str:
    """A run of `user` paused for approval with `payload` (default: the engine's full payload)."""
    from agents.state import Brief

    with app.app_context():
        service = holdings(app).runs
        run = service.create(db.session.get(User, user.id), Brief.model_validate(brief(budget="300")))
        db.session.execute(
            update(Run)
            .where(Run.id == run.id)
            .values(status=RunStatus.paused, pause_reason="approval_required",
                    pause_payload=copy.deepcopy(PAYLOAD if payload is None else payload))  # fmt: skip
        )
        db.session.commit()
        return run.id


def stored(app, run_id: str) -> dict:
    """The run's state and what its decisions recorded."""
    with app.app_context():
        run = db.session.get(Run, run_id)
        audits = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "run.overrun_decided", AuditEntry.target_id == run_id)
            .order_by(AuditEntry.id)
        ).all()
        decisions = db.session.scalars(select(OverrunDecision).where(OverrunDecision.run_id == run_id)).all()
        return {
            "status": run.status,
            "pause_reason": run.pause_reason,
            "resume_value": run.resume_value,
            "audits": [a.after for a in audits],
            "decisions": [(d.decision, d.amount_cents) for d in decisions],
        }


# --- HTTP ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "edit"}, "cut"),
        ({"decision": "edit", "cut": []}, "cut"),
        ({"decision": "edit", "cut": ["T9"]}, "cut"),
        ({"decision": "edit", "cut": ["T2", "T9"]}, "cut"),
        ({"decision": "edit", "cut": ["T2", "T2"]}, "cut"),
        ({"decision": "edit", "cut": ["T1", "T2", "T3", "T4", "T5"]}, "cut"),
        ({"decision": "approve", "cut": ["T2"]}, "cut"),
        ({"decision": "reject", "cut": ["T2"]}, "cut"),
        ({"decision": "edit", "cut": [f"T{n}" for n in range(41)]}, "cut"),
        ({"decision": "edit", "cut": ["T" * 41]}, "cut.0"),
        ({"decision": "edit", "cut": [""]}, "cut.0"),
        ({"decision": "edit", "cut": [2]}, "cut.0"),
        ({"decision": "edit", "cut": "T2"}, "cut"),
        ({"decision": "trim", "cut": ["T2"]}, "decision"),
    ],
)
def test_invalid_edits_are_refused_with_the_error_shape_and_change_nothing(app, api, executive, body, field):
    run_id = paused_run(app, executive)
    response = api.post(f"/api/runs/{run_id}/approve", body)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "details"} and error["code"] == "validation_failed"
    assert error["message"] and field in {d["field"] for d in error["details"]}
    after = stored(app, run_id)
    assert after["status"] == RunStatus.paused and after["pause_reason"] == "approval_required"
    assert after["resume_value"] is None and after["audits"] == [] and after["decisions"] == []


def test_refusals_say_what_is_wrong(app, api, executive):
    run_id = paused_run(app, executive)

    def message(cut: list[str], decision: str = "edit") -> str:
        body = {"decision": decision, "cut": cut}
        return api.post(f"/api/runs/{run_id}/approve", body).get_json()["error"]["details"][0]["message"]

    assert "T9" in message(["T2", "T9"])
    assert "T2" in message(["T2", "T2"]) and "once" in message(["T2", "T2"])
    assert "reject" in message(["T1", "T2", "T3", "T4", "T5"])
    assert "at least one" in message([])
    assert "edited plan" in message(["T2"], "approve")


def test_valid_edit_queues_with_the_cut_and_audits_it(app, api, executive):
    run_id = paused_run(app, executive)
    body = {"decision": "edit", "cut": [" T2 ", "T5"], "note": "lean"}
    response = api.post(f"/api/runs/{run_id}/approve", body)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "queued" and body["pause_payload"] is None and body["queue_position"] == 1
    after = stored(app, run_id)
    assert after["resume_value"] == {"decision": "edit", "note": "lean", "cut": ["T2", "T5"]}
    # 2547.00 - 800.00 - 147.00 = 1600.00 funded, 1300.00 over the 300.00 budget: approved with the edit.
    assert after["decisions"] == [("edit", 130000)]
    (audit,) = after["audits"]
    assert audit["decision"] == "edit" and audit["note"] == "lean"
    assert audit["cut"] == ["T2", "T5"] and audit["cut_titles"] == ["Logo and brand kit", "Email outreach"]
    assert audit["amount_usd"] == "1300.00" and audit["approved_overrun_usd"] == "1300.00"
    again = api.post(f"/api/runs/{run_id}/approve", {"decision": "edit", "cut": ["T2"]})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "not_awaiting_approval"


def test_an_edit_that_fits_the_budget_approves_no_overrun(app, api, executive):
    run_id = paused_run(app, executive)
    response = api.post(f"/api/runs/{run_id}/approve", {"decision": "edit", "cut": ["T2", "T3", "T4", "T5"]})
    assert response.status_code == 200
    after = stored(app, run_id)
    assert after["decisions"] == [("edit", 0)] and after["audits"][0]["approved_overrun_usd"] == "0.00"
    assert after["resume_value"]["cut"] == ["T2", "T3", "T4", "T5"]


def test_approve_and_reject_resume_with_an_empty_cut(app, api, executive):
    approved, rejected = paused_run(app, executive), paused_run(app, executive)
    assert api.post(f"/api/runs/{approved}/approve", {"decision": "approve"}).status_code == 200
    assert api.post(f"/api/runs/{rejected}/approve", {"decision": "reject", "cut": []}).status_code == 200
    assert stored(app, approved)["resume_value"] == {"decision": "approve", "note": "", "cut": []}
    assert stored(app, approved)["decisions"] == [("approve", 224700)]
    assert stored(app, rejected)["resume_value"] == {"decision": "reject", "note": "", "cut": []}
    assert stored(app, rejected)["audits"][0]["cut"] == []


def test_edit_of_a_run_that_is_not_paused_is_a_conflict(app, api, executive):
    run_id = api.post("/api/runs", brief()).get_json()["id"]  # queued
    response = api.post(f"/api/runs/{run_id}/approve", {"decision": "edit", "cut": ["T2"]})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_awaiting_approval"


def test_members_cannot_edit(app, make_user, executive):
    run_id = paused_run(app, executive)
    member = JsonClient(app.test_client()).login(make_user("member").email)
    assert member.post(f"/api/runs/{run_id}/approve", {"decision": "edit", "cut": ["T2"]}).status_code == 403


# --- the service ---------------------------------------------------------------------------------


def test_an_old_payload_without_tasks_can_be_approved_but_not_edited(app, executive):
    old = {"reason": "approval_required", "amount": "700.00", "plan_total": "1700.00", "budget": "1000.00",
           "rules": [], "tasks_to_trim": ["T3"], "dropped_for_caps": []}  # fmt: skip
    run_id = paused_run(app, executive, old)
    service = holdings(app).runs
    with app.app_context():
        run, user = db.session.get(Run, run_id), db.session.get(User, executive.id)
        with pytest.raises(RunInvalid) as refused:
            service.decide(run, user, "edit", "", ["T3"])
        assert refused.value.field == "cut" and "approve or reject" in refused.value.message
        db.session.rollback()
        service.decide(run, user, "approve", "fine")
    assert stored(app, run_id)["decisions"] == [("approve", 70000)]


def test_the_default_audit_records_the_cut_too(app, executive):
    run_id = paused_run(app, executive)
    service = holdings(app).runs
    installed = service.wiring
    with_policy(service, record_decision=None)
    try:
        with app.app_context():
            run, user = db.session.get(Run, run_id), db.session.get(User, executive.id)
            with pytest.raises(RunInvalid):
                service.decide(run, user, "edit", "", "T2")  # a string is not a list of ids
            db.session.rollback()
            service.decide(run, user, "edit", "why not", ("T3", "T4"))
    finally:
        service.wiring = installed
    (audit,) = stored(app, run_id)["audits"]
    assert audit["cut"] == ["T3", "T4"] and audit["cut_titles"] == ["Landing page", "Launch ads"]
    assert Decimal(audit["amount"]) == Decimal("947.00")  # 2547 - 1300 funded, 300 budget


# --- Socket.IO -----------------------------------------------------------------------------------


def socket_for(app, api: JsonClient):
    return socketio.test_client(app, flask_test_client=api.client)


def test_socket_approve_with_an_edit(app, api, executive):
    run_id = paused_run(app, executive)
    sock = socket_for(app, api)
    refused = sock.emit("approve", {"run_id": run_id, "decision": "edit", "cut": ["T1", "T9"]}, callback=True)
    assert refused["ok"] is False and refused["error"]["code"] == "validation_failed"
    assert "T9" in refused["error"]["message"]
    assert refused["error"]["details"] == [{"field": "cut", "message": refused["error"]["message"]}]
    too_many = sock.emit(
        "approve", {"run_id": run_id, "decision": "edit", "cut": [f"T{n}" for n in range(41)]}, callback=True
    )
    assert too_many["ok"] is False and too_many["error"]["code"] == "validation_failed"
    on_approve = sock.emit("approve", {"run_id": run_id, "decision": "approve", "cut": ["T2"]}, callback=True)
    assert on_approve["ok"] is False and on_approve["error"]["code"] == "validation_failed"
    assert stored(app, run_id)["status"] == RunStatus.paused
    edit = {"run_id": run_id, "decision": "edit", "cut": ["T4"], "note": "no ads"}
    ok = sock.emit("approve", edit, callback=True)
    assert ok == {"ok": True, "run_id": run_id, "status": "queued"}
    after = stored(app, run_id)
    assert after["resume_value"] == {"decision": "edit", "note": "no ads", "cut": ["T4"]}
    assert after["audits"][0]["cut_titles"] == ["Launch ads"] and after["decisions"] == [("edit", 194700)]
    again = sock.emit("approve", {"run_id": run_id, "decision": "edit", "cut": ["T4"]}, callback=True)
    assert again["ok"] is False and again["error"]["code"] == "not_awaiting_approval"
