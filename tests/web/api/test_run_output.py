"""The API writes for `run_json` exactly what the documented `RunOut` model would, for runs in every state."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from services.db import db, utcnow
from services.models import Run, RunStatus, User
from services.runs.queries import RunFilter, run_summaries, run_summary
from web.api.run_output import RunOut, run_json

BRIEF = {"company": {"name": "Acme", "industry": "x", "location": "y"}, "objectives": ["a"],
         "budget_usd": "1000", "timeline_days": 30}  # fmt: skip


def as_written(app, value: dict) -> dict:
    """What a client reads: the value through the app's JSON provider and back."""
    return json.loads(app.json.dumps(value))


def add_run(org_id: int, user_id: int | None, status: RunStatus, n: int, **values: object) -> str:
    now = utcnow() + timedelta(seconds=n)
    run = Run(org_id=org_id, created_by_id=user_id, status=status, brief=BRIEF, company_name=f"Acme {n}",
              budget_usd=Decimal("1234.50"), ai_cap_usd=Decimal("2.500000"), policy="approve",
              provider="offline", model="offline", queued_at=now, created_at=now, **values)  # fmt: skip
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
