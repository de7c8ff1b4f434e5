"""Admin budget API: settings, a run's AI cap, spend report and audit log — admins only."""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from services.budgets import AILedger
from services.db import db, utcnow
from services.models import Run, RunStatus
from services.models.budgets import AICall
from tests.conftest import csrf_from

D = Decimal
ADMIN_ROUTES = [
    ("get", "/api/admin/budget", None),
    ("put", "/api/admin/budget", {"monthly_ai_cap_usd": "500"}),
    ("get", "/api/admin/spend", None),
    ("get", "/api/admin/spend?format=csv", None),
    ("get", "/api/admin/audit", None),
    ("patch", "/api/runs/{run}", {"ai_cap_usd": "2"}),
]
GROUPS = ["day", "run", "agent", "model", "user"]


def login(client, auth, user) -> dict[str, str]:
    auth.login(user.email)
    return {"X-CSRFToken": csrf_from(client.get("/dashboard").get_data(as_text=True))}


def new_run(app, user, cap: str = "1", status: RunStatus = RunStatus.running, company: str = "Acme") -> str:
    with app.app_context():
        run = Run(
            org_id=user.org_id, created_by_id=user.id, status=status, brief={"company": {"name": company}},
            company_name=company, budget_usd=D("5000"), ai_cap_usd=D(cap), provider="openai",
            model="gpt-4o-mini", created_at=utcnow(),
        )  # fmt: skip
        db.session.add(run)
        db.session.commit()
        return run.id


def error_fields(response) -> list[str]:
    body = response.get_json()
    assert set(body) == {"error"}, body
    return [detail["field"] for detail in body["error"]["details"] or []]


@pytest.mark.parametrize("role", ["member", "executive"])
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_members_and_executives_are_forbidden(app, client, auth, make_user, role, method, path, body):
    owner = make_user("admin")
    user = make_user(role)
    headers = login(client, auth, user)
    run_id = new_run(app, owner)
    response = getattr(client, method)(path.format(run=run_id), json=body, headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    with app.app_context():
        assert db.session.get(Run, run_id).ai_cap_usd == D("1")


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_anonymous_is_401(app, client, make_user, method, path, body):
    run_id = new_run(app, make_user("admin"))
    response = getattr(client, method)(path.format(run=run_id), json=body)
    # Writes too: without a session there is nothing to forge, so the answer is 401, not csrf_failed.
    assert response.status_code == 401
    with app.app_context():
        assert db.session.get(Run, run_id).ai_cap_usd == D("1")


def test_admin_reads_and_partially_updates_settings_with_audit(client, auth, make_user):
    admin = make_user("admin")
    headers = login(client, auth, admin)
    before = client.get("/api/admin/budget").get_json()
    assert before["thresholds"] == [50, 80, 100] and before["overrun_policy"] in ("approve", "trim")
    assert before["usage"]["used"] == "0.000000" and before["usage"]["month"] == datetime.now(
        UTC
    ).strftime("%Y-%m")

    response = client.put(
        "/api/admin/budget",
        json={
            "monthly_ai_cap_usd": 40,
            "run_ai_cap_max_usd": "40",
            "thresholds": [25, 75, 100],
            "agent_share_caps": {"legal": "10.5"},
        },
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    after = response.get_json()
    assert after["monthly_ai_cap_usd"] == "40.00" and after["thresholds"] == [25, 75, 100]
    assert after["agent_share_caps"]["legal"] == "10.5"
    assert after["agent_share_caps"]["branding"] == before["agent_share_caps"]["branding"]
    assert client.get("/api/admin/budget").get_json() == after

    log = client.get("/api/admin/audit?action=budget.settings_updated").get_json()
    assert log["total"] == 1
    entry = log["items"][0]
    assert entry["actor"]["email"] == admin.email
    assert entry["before"]["monthly_ai_cap_usd"] == before["monthly_ai_cap_usd"]
    assert entry["after"]["monthly_ai_cap_usd"] == "40.00" and entry["after"]["thresholds"] == [25, 75, 100]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"monthly_ai_cap_usd": -5}, ["monthly_ai_cap_usd"]),
        ({"monthly_ai_cap_usd": "lots"}, ["monthly_ai_cap_usd"]),
        ({"run_ai_cap_max_usd": 10**9}, ["run_ai_cap_max_usd"]),
        ({"thresholds": [100, 50]}, ["thresholds"]),
        ({"thresholds": [50, 50, 100]}, ["thresholds"]),
        ({"thresholds": [0]}, ["thresholds.0"]),
        ({"agent_share_caps": {"astrologer": 5}}, ["agent_share_caps"]),
        ({"agent_share_caps": {"legal": -1}}, ["agent_share_caps.legal"]),
        ({"overrun_policy": "yolo"}, ["overrun_policy"]),
        ({"run_ai_cap_default_usd": 20, "run_ai_cap_max_usd": 10}, ["run_ai_cap_default_usd"]),
        ({"monthly_ai_cap_usd": 1}, ["run_ai_cap_max_usd"]),
        ({"color": "red"}, ["color"]),
    ],
)
def test_invalid_settings_are_refused_with_field_errors(client, auth, make_user, body, fields):
    headers = login(client, auth, make_user("admin"))
    before = client.get("/api/admin/budget").get_json()
    response = client.put("/api/admin/budget", json=body, headers=headers)
    assert response.status_code == 422
    assert error_fields(response) == fields
    assert client.get("/api/admin/budget").get_json() == before
    assert client.get("/api/admin/audit?action=budget.*").get_json()["total"] == 0


def test_settings_put_needs_csrf_and_json(client, auth, make_user):
    headers = login(client, auth, make_user("admin"))
    assert client.put("/api/admin/budget", json={"monthly_ai_cap_usd": 5}).status_code == 400
    assert client.put("/api/admin/budget", data="x", headers=headers).status_code == 415
    bad = client.put("/api/admin/budget", data="{", headers={**headers, "Content-Type": "application/json"})
    assert bad.status_code == 400


def test_admin_sets_a_runs_ai_cap_of_own_organisation_only(app, client, auth, make_user):
    admin = make_user("admin")
    stranger = make_user("admin", org="Globex")
    headers = login(client, auth, admin)
    mine, theirs = new_run(app, admin), new_run(app, stranger)
    done = new_run(app, admin, status=RunStatus.completed)

    response = client.patch(f"/api/runs/{mine}", json={"ai_cap_usd": "2.5"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert D(response.get_json()["ai_cap_usd"]) == D("2.5")
    assert response.get_json()["ai"]["cap"] == "2.500000"
    assert client.patch(f"/api/runs/{theirs}", json={"ai_cap_usd": "2"}, headers=headers).status_code == 404
    assert client.patch("/api/runs/" + "0" * 32, json={"ai_cap_usd": "2"}, headers=headers).status_code == 404
    assert (
        client.patch("/api/runs/" + "x" * 500, json={"ai_cap_usd": "2"}, headers=headers).status_code == 404
    )
    too_high = client.patch(f"/api/runs/{mine}", json={"ai_cap_usd": "1000000"}, headers=headers)
    assert too_high.status_code == 422 and error_fields(too_high) == ["ai_cap_usd"]
    assert error_fields(client.patch(f"/api/runs/{mine}", json={"ai_cap_usd": -1}, headers=headers)) == [
        "ai_cap_usd"
    ]
    assert error_fields(client.patch(f"/api/runs/{mine}", json={"status": "x"}, headers=headers)) == [
        "ai_cap_usd",
        "status",
    ]
    assert client.patch(f"/api/runs/{done}", json={"ai_cap_usd": "2"}, headers=headers).status_code == 409
    with app.app_context():
        assert db.session.get(Run, theirs).ai_cap_usd == D("1")

    log = client.get(f"/api/admin/audit?target=run:{mine}").get_json()
    assert [item["action"] for item in log["items"]] == ["run.ai_cap_changed"]
    assert log["items"][0]["before"] == {"ai_cap_usd": "1.00"} and log["items"][0]["after"] == {
        "ai_cap_usd": "2.50"
    }


def seed_spend(app, admin, other) -> None:
    """Settled, released and in-flight calls over several days, runs, agents, models and users."""
    rng = random.Random(5)
    runs = [
        new_run(app, admin, "100"),
        new_run(app, other, "100", company="@SUM(A1)"),
        new_run(app, admin, "100"),
    ]
    start = datetime(2026, 9, 29, 21, 30, tzinfo=UTC)
    now = [start]
    with app.app_context():
        ledger = AILedger(db.engine, default_monthly_cap=D("1000"), clock=lambda: now[0])
    for n in range(60):
        now[0] = start + timedelta(hours=3 * n)
        run_id = rng.choice(runs)
        ledger.reserve(run_id, f"c{n}", D("0.9"), agent=rng.choice(["legal", "cfo", "content"]),
                       model=rng.choice(["gpt-4o-mini", "gpt-4.1"]), provider="openai")  # fmt: skip
        if rng.random() < 0.8:
            cost = D(rng.randint(1, 899_999)) / D(1_000_000) + D("0.0000003")
            ledger.settle(
                run_id, f"c{n}", cost, input_tokens=rng.randint(1, 9000), output_tokens=rng.randint(1, 900)
            )
        elif rng.random() < 0.5:
            ledger.release(run_id, f"c{n}")


def ledger_micros(app, org_id: int, since=None, until=None) -> int:
    with app.app_context():
        query = select(func.coalesce(func.sum(AICall.settled_micros), 0)).where(
            AICall.org_id == org_id, AICall.status == "settled"
        )
        if since:
            query = query.where(AICall.created_at >= since)
        if until:
            query = query.where(AICall.created_at < until)
        return int(db.session.scalar(query))


@pytest.mark.parametrize("group_by", GROUPS)
def test_spend_report_totals_equal_the_ledger_to_the_cent(app, client, auth, make_user, group_by):
    admin, colleague = make_user("admin"), make_user("executive")
    stranger = make_user("admin", org="Globex")
    seed_spend(app, admin, colleague)
    foreign = new_run(app, stranger, "5")
    with app.app_context():
        ledger = AILedger(db.engine, default_monthly_cap=D("100"))
    ledger.reserve(foreign, "x", D("1"))
    ledger.settle(foreign, "x", D("0.5"))
    login(client, auth, admin)
    expected = D(ledger_micros(app, admin.org_id)) / D(1_000_000)

    report = client.get(f"/api/admin/spend?group_by={group_by}").get_json()
    assert report["group_by"] == group_by
    assert D(report["total"]["cost_usd"]) == expected
    assert sum((D(row["cost_usd"]) for row in report["rows"]), D(0)) == expected
    assert foreign not in [row["key"] for row in report["rows"]]

    exported = client.get(f"/api/admin/spend?group_by={group_by}&format=csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert lines[0] == ["group_by", "key", "label", "calls", "input_tokens", "output_tokens", "cost_usd"]
    assert len(lines) == len(report["rows"]) + 1
    assert sum((D(line[6]) for line in lines[1:]), D(0)) == expected
    assert not any(cell.startswith(("=", "@", "+")) for line in lines for cell in line)


def test_spend_report_date_range_and_bad_queries(app, client, auth, make_user):
    admin = make_user("admin")
    seed_spend(app, admin, make_user("executive"))
    login(client, auth, admin)
    report = client.get("/api/admin/spend?group_by=day&from=2026-09-30&to=2026-10-01").get_json()
    assert [row["key"] for row in report["rows"]] == ["2026-09-30", "2026-10-01"]
    since, until = datetime(2026, 9, 30, tzinfo=UTC), datetime(2026, 10, 2, tzinfo=UTC)
    assert D(report["total"]["cost_usd"]) == D(ledger_micros(app, admin.org_id, since, until)) / D(1_000_000)
    for query in (
        "group_by=planet",
        "format=xml",
        "from=yesterday",
        "from=2026-10-05&to=2026-10-01",
        "to=2026-02-30",
    ):
        response = client.get(f"/api/admin/spend?{query}")
        assert response.status_code == 422, query
        assert response.get_json()["error"]["code"] == "validation_failed"


def test_audit_log_filters_and_pages_within_the_organisation(app, client, auth, make_user):
    admin = make_user("admin")
    other_admin = make_user("admin")
    stranger = make_user("admin", org="Globex")
    headers = login(client, auth, admin)
    runs = [new_run(app, admin) for _ in range(3)]
    for n, run_id in enumerate(runs):
        assert (
            client.patch(f"/api/runs/{run_id}", json={"ai_cap_usd": str(2 + n)}, headers=headers).status_code
            == 200
        )
    for cap in ("160", "170"):
        assert (
            client.put("/api/admin/budget", json={"monthly_ai_cap_usd": cap}, headers=headers).status_code
            == 200
        )
    auth.logout()
    other_headers = login(client, auth, other_admin)
    client.put("/api/admin/budget", json={"thresholds": [90]}, headers=other_headers)
    auth.logout()
    stranger_headers = login(client, auth, stranger)
    client.put("/api/admin/budget", json={"thresholds": [10]}, headers=stranger_headers)
    auth.logout()
    login(client, auth, admin)

    everything = client.get("/api/admin/audit?action=*").get_json()
    budget = client.get("/api/admin/audit?action=budget.*").get_json()
    assert budget["total"] == 3
    assert all(item["action"].startswith("budget.") for item in budget["items"])
    assert "10" not in str([item["after"] for item in budget["items"]])  # another organisation's change
    mine = client.get(
        f"/api/admin/audit?actor={admin.email.upper()}&action=budget.settings_updated"
    ).get_json()
    assert [item["after"]["monthly_ai_cap_usd"] for item in mine["items"]] == [
        "170.00",
        "160.00",
    ]  # newest first
    assert client.get(f"/api/admin/audit?actor={other_admin.id}&action=budget.*").get_json()["total"] == 1
    caps = client.get("/api/admin/audit?target=run").get_json()
    assert caps["total"] == 3

    page1 = client.get("/api/admin/audit?action=*&per_page=2&page=1").get_json()
    page2 = client.get("/api/admin/audit?action=*&per_page=2&page=2").get_json()
    assert page1["total"] == everything["total"] and len(page1["items"]) == 2
    assert {i["id"] for i in page1["items"]}.isdisjoint({i["id"] for i in page2["items"]})
    future = client.get("/api/admin/audit?from=2999-01-01").get_json()
    assert future["total"] == 0 and future["items"] == []
    for query in ("page=0", "per_page=1000", "from=soon", "page=abc"):
        assert client.get(f"/api/admin/audit?{query}").status_code == 422, query
