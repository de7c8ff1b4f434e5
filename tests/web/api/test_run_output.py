"""The API writes for `run_json` exactly what the documented `RunOut` model would, for runs in every
state, and the database writes for a list exactly what `run_json` would (`run_json_sql`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from services.db import db, utcnow
from services.models import Run, RunStatus, User
from services.runs.queries import RunFilter, run_summaries, run_summary
from web.api.run_output import RunOut, run_json, run_json_sql

BRIEF = {"company": {"name": "Acme", "industry": "x", "location": "y"}, "objectives": ["a"],
         "budget_usd": "1000", "timeline_days": 30}  # fmt: skip


def as_written(app, value: dict) -> dict:
    """What a client reads: the value through the app's JSON provider and back."""
    return json.loads(app.json.dumps(value))


def add_run(org_id: int, user_id: int | None, status: RunStatus, n: int, **values: object) -> str:
    now = utcnow() + timedelta(seconds=n)
    fields: dict[str, object] = dict(
        brief=BRIEF, company_name=f"Acme {n}", budget_usd=Decimal("1234.50"), ai_cap_usd=Decimal("2.500000"),
        policy="approve", provider="offline", model="offline", queued_at=now, created_at=now,
    )  # fmt: skip
    run = Run(org_id=org_id, created_by_id=user_id, status=status, **{**fields, **values})
    db.session.add(run)
    db.session.flush()
    return run.id


def test_every_summary_is_exactly_the_documented_model(app, make_user):
    owner, other_org = make_user("executive"), make_user("executive", org="Globex")
    with app.app_context():
        add_run(other_org.org_id, other_org.id, RunStatus.queued, 0)  # ahead in the shared queue
        ids = [
            add_run(owner.org_id, owner.id, RunStatus.queued, 1),
            add_run(owner.org_id, owner.id, RunStatus.completed, 2, report_markdown="# Report", finished_at=utcnow()),
            add_run(owner.org_id, owner.id, RunStatus.completed, 3, report_markdown=""),
            add_run(owner.org_id, None, RunStatus.paused, 4, pause_reason="approval_required",
                    pause_payload={"amount": "12.50", "tasks": []}),  # fmt: skip
            add_run(owner.org_id, owner.id, RunStatus.failed, 5, error={"code": "x", "message": "y"}),
        ]
        db.session.get(User, owner.id).name = ""  # no name: the email stands in
        db.session.commit()
        rows, total = run_summaries(owner.org_id, RunFilter(), per_page=50)
        assert total == len(ids) and {row["id"] for row in rows} == set(ids)
        for row in rows:
            written = as_written(app, run_json(row, "/api/runs"))
            assert RunOut.model_validate(written).model_dump(mode="json") == written
            assert written == as_written(app, run_json(run_summary(owner.org_id, row["id"]), "/api/runs"))
        by_id = {row["id"]: as_written(app, run_json(row, "/api/runs")) for row in rows}
    queued, reported, empty_report, paused, failed = (by_id[run_id] for run_id in ids)
    assert queued["queue_position"] == 2, "the other organisation's run is first in the shared queue"
    assert queued["budget_usd"] == "1234.50" and queued["ai_cap_usd"] == "2.500000"
    assert reported["has_report"] and not empty_report["has_report"] and reported["queue_position"] is None
    assert paused["created_by"] is None and paused["pause_payload"]["amount"] == "12.50"
    assert queued["created_by"] == {"id": owner.id, "name": owner.email}
    assert failed["error"] == {"code": "x", "message": "y"}
    assert queued["links"]["events"] == f"/api/runs/{ids[0]}/events"


def test_a_page_past_the_end_still_counts_the_matching_runs(app, make_user):
    owner = make_user("executive")
    with app.app_context():
        for n in range(3):
            add_run(owner.org_id, owner.id, RunStatus.completed, n)
        db.session.commit()
        assert run_summaries(owner.org_id, RunFilter(), page=5, per_page=2) == ([], 3)
        assert run_summaries(owner.org_id, RunFilter(status=RunStatus.queued)) == ([], 0)


def test_the_database_writes_each_listed_run_as_run_json_does(app, make_user):
    """Every kind of value the list holds, on each backend: instants with and without microseconds,
    decimals at their scale, booleans, JSON columns with text that needs escaping, deadlines with
    and without a fallback, creators with a name, an email only or none, places in the queue."""
    owner, other_org = make_user("executive"), make_user("executive", org="Globex")
    whole_second = datetime(2026, 12, 3, 14, 20, 0, tzinfo=UTC)
    tricky = 'Café "Ω" \\ back\\slash\nnew line\ttab \u0001 \U0001f680 </script>'
    with app.app_context():
        add_run(other_org.org_id, other_org.id, RunStatus.queued, 0)
        add_run(owner.org_id, owner.id, RunStatus.queued, 1)
        add_run(owner.org_id, owner.id, RunStatus.queued, 2, cancel_requested=True, ai_price_set=False)
        add_run(owner.org_id, owner.id, RunStatus.running, 3, started_at=whole_second, updated_at=whole_second)
        add_run(owner.org_id, None, RunStatus.paused, 4, pause_reason="approval_required",
                pause_payload={"amount": "12.50", "note": tricky, "tasks": [{"id": "T1", "cost": 3.5}]},
                decision_due_at=whole_second + timedelta(microseconds=10), decision_fallback="cancel")  # fmt: skip
        add_run(owner.org_id, owner.id, RunStatus.paused, 5, pause_reason="approval_required",
                decision_due_at=whole_second, decision_fallback=None)  # fmt: skip
        # Not a decision pause: no deadline shown, though one is stored.
        add_run(owner.org_id, owner.id, RunStatus.paused, 6, pause_reason="budget_cap", decision_due_at=whole_second)
        add_run(owner.org_id, owner.id, RunStatus.completed, 7, report_markdown="# Report",
                finished_at=whole_second + timedelta(microseconds=500_000),
                brief={**BRIEF, "objectives": [tricky, "Ünïcödé ✓"]})  # fmt: skip
        add_run(owner.org_id, owner.id, RunStatus.failed, 8, error={"code": "provider_failed", "message": tricky},
                budget_usd=Decimal("999999999999.99"), ai_cap_usd=Decimal("0.123456"))  # fmt: skip
        run = add_run(owner.org_id, owner.id, RunStatus.completed, 9, company_name=tricky)
        db.session.get(User, owner.id).name = "Dana Exec"
        db.session.commit()
        listed, total = run_summaries(owner.org_id, RunFilter(), per_page=50)
        written, written_total = run_summaries(owner.org_id, RunFilter(), per_page=50,
                                               shape=run_json_sql, runs_path="/api/runs")  # fmt: skip
        expected = [as_written(app, run_json(row, "/api/runs")) for row in listed]
    items = [json.loads(row["item"]) for row in written]
    assert written_total == total == 9
    assert [item["id"] for item in items] == [item["id"] for item in expected], "same runs, same order"
    for item, want in zip(items, expected, strict=True):
        for key in want:
            assert item[key] == want[key], f"{key} of run {want['id']} ({want['status']})"
        assert list(item) == list(want), "the same keys, in the documented order"
    by_company = {item["company"]: item for item in items}
    assert by_company[tricky]["id"] == run
    deadlines = [item["decision_deadline"] for item in items if item["decision_deadline"]]
    assert sorted(deadline["fallback"] for deadline in deadlines) == ["cancel", "trim"]
    assert {item["queue_position"] for item in items} == {None, 2, 3}
    assert {item["started_at"] for item in items} >= {"2026-12-03T14:20:00Z", None}
