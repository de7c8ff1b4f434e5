"""The runs API on SQLite and PostgreSQL: create, list, read, events, cancel, approve, resume, report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agents.ports import AIBudgetExhausted, LLMRequest, LLMResponse
from services.db import db
from services.holdings import holdings
from services.models import Run
from tests.support.api import JsonClient, brief, execute_queued
from tests.support.wiring import wrap_provider


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()  # closes the shared checkpointer (its pool, its file)


@pytest.fixture
def executive(app, client, make_user) -> JsonClient:
    return JsonClient(client).login(make_user("executive").email)


def other_client(app, make_user, role: str, org: str = "Acme") -> JsonClient:
    return JsonClient(app.test_client()).login(make_user(role, org=org).email)


def create(api: JsonClient, **extra) -> dict:
    response = api.post("/api/runs", brief(**extra))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


# --- create ----------------------------------------------------------------------------------------


def test_create_queues_a_run_with_its_position(executive):
    first = create(executive)
    second = create(executive, name="Beta")
    assert first["status"] == "queued" and first["queue_position"] == 1
    assert second["queue_position"] == 2
    assert first["company"] == "Acme" and first["budget_usd"] == "5000.00"
    assert first["policy"] == "over_budget" and first["ai_cap_usd"] == "5.000000"
    assert first["links"]["self"] == f"/api/runs/{first['id']}"
    fetched = executive.get(first["links"]["self"]).get_json()
    assert fetched["id"] == first["id"] and fetched["queued_at"]


def test_create_answers_field_errors(executive):
    response = executive.post("/api/runs", brief(budget="5", objectives=[]))
    assert response.status_code == 422
    fields = {d["field"] for d in response.get_json()["error"]["details"]}
    assert {"budget_usd", "objectives"} <= fields


@pytest.mark.parametrize(
    "body",
    [
        {"policy": "trim"},  # the overrun policy is the organisation's, never the user's
        {"agents": ["astrologer"]},
        {"ai_cap_usd": "-1"},
        {"timeline_days": "soon"},
        {"company": {"name": "Ac\u0000me", "industry": "Technology", "location": "Austin"}},
        {"objectives": ["Launch\u0000"]},
    ],
)
def test_create_refuses_bad_or_foreign_fields(executive, body):
    response = executive.post("/api/runs", brief(**body))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"


def test_create_needs_json_and_csrf(app, executive):
    assert executive.post("/api/runs", data="budget=5", content_type="text/plain").status_code == 415
    bad = executive.post("/api/runs", data="{not json", content_type="application/json")
    assert bad.status_code == 400
    without_csrf = executive.client.post("/api/runs", json=brief())
    assert without_csrf.status_code == 400
    assert without_csrf.get_json()["error"]["code"] == "csrf_failed"


def test_bearer_token_creates_without_csrf(app, client, make_user):
    user = make_user("executive")
    api = JsonClient(client).login(user.email)
    token = api.post("/api/tokens", {"name": "ci"}).get_json()["token"]
    fresh = app.test_client()
    response = fresh.post("/api/runs", json=brief(), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    assert response.get_json()["created_by"]["id"] == user.id


def test_anonymous_gets_401(client):
    assert client.get("/api/runs").status_code == 401
    assert client.post("/api/runs", json=brief()).status_code in (400, 401)  # CSRF or login first


# --- roles and organisations -----------------------------------------------------------------------


def test_member_cannot_change_anything(app, executive, make_user):
    run = create(executive)
    member = other_client(app, make_user, "member")
    assert member.get(f"/api/runs/{run['id']}").status_code == 200  # members watch and read
    assert member.post("/api/runs", brief()).status_code == 403
    for action, body in (("approve", {"decision": "approve"}), ("cancel", None), ("resume", None)):
        response = member.post(f"/api/runs/{run['id']}/{action}", body)
        assert response.status_code == 403, action
        assert response.get_json()["error"]["code"] == "forbidden"


def test_other_organisation_sees_404_whatever_the_id(app, executive, make_user):
    run = create(executive)
    outsider = other_client(app, make_user, "admin", org="Globex")
    for path in ("", "/events", "/report"):
        assert outsider.get(f"/api/runs/{run['id']}{path}").status_code == 404
    for action, body in (("approve", {"decision": "approve"}), ("cancel", None), ("resume", None)):
        assert outsider.post(f"/api/runs/{run['id']}/{action}", body).status_code == 404
    assert outsider.get("/api/runs").get_json()["total"] == 0
    with app.app_context():
        assert db.session.get(Run, run["id"]).status.value == "queued"  # nothing changed


@pytest.mark.parametrize("run_id", ["0b5050495cd74f88bb1bff6745f02d72", "x" * 33, "ünïcödé", "1%27%20or%201%3D1", "..%2F..%2Fetc", "%00"])
def test_typed_ids_never_500(executive, run_id):
    for path in ("", "/events?after_seq=abc", "/report?format=pdf"):
        assert executive.get(f"/api/runs/{run_id}{path}").status_code in (404, 422)
    assert executive.post(f"/api/runs/{run_id}/cancel").status_code == 404


# --- listing -----------------------------------------------------------------------------------------


def test_list_filters_and_paginates(app, executive):
    ids = [create(executive, name=f"Company {n}")["id"] for n in range(5)]
    create(executive, name="Zeta Widgets", objectives=["Open a flagship store"])
    everything = executive.get("/api/runs?per_page=2").get_json()
    assert everything["total"] == 6 and everything["pages"] == 3 and len(everything["items"]) == 2
    page3 = executive.get("/api/runs?per_page=2&page=3").get_json()["items"]
    assert {r["id"] for r in page3} <= set(ids)
    assert executive.get("/api/runs?text=zeta").get_json()["total"] == 1
    assert executive.get("/api/runs?text=FLAGSHIP").get_json()["total"] == 1
    assert executive.get("/api/runs?text=100%25").get_json()["total"] == 0
    executive.post(f"/api/runs/{ids[0]}/cancel")
    cancelled = executive.get("/api/runs?status=cancelled").get_json()
    assert [r["id"] for r in cancelled["items"]] == [ids[0]]
    today = everything["items"][0]["created_at"][:10]
    assert executive.get(f"/api/runs?from={today}&to={today}").get_json()["total"] == 6
    assert executive.get("/api/runs?to=2000-01-01").get_json()["total"] == 0


@pytest.mark.parametrize(
    "query", ["status=done", "text=a%00b", "page=0", "page=abc", "per_page=1000", "from=yesterday", "from=2026-02-01&to=2026-01-01"]
)
def test_list_refuses_bad_queries(executive, query):
    response = executive.get(f"/api/runs?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]


# --- execution, events and the report ---------------------------------------------------------------


def test_completed_run_has_gap_free_events_and_a_report(app, executive):
    run = create(executive)
    assert executive.get(f"/api/runs/{run['id']}/report").status_code == 404
    assert execute_queued(app) == [run["id"]]
    done = executive.get(f"/api/runs/{run['id']}").get_json()
    assert done["status"] == "completed" and done["has_report"] and done["finished_at"]
    assert done["queue_position"] is None
    page = executive.get(f"/api/runs/{run['id']}/events?limit=1000").get_json()
    seqs = [e["seq"] for e in page["events"]]
    assert seqs == list(range(1, done["last_seq"] + 1)) and not page["more"]
    assert page["events"][0]["type"] == "run.started" and page["events"][-1]["type"] == "run.completed"
    part = executive.get(f"/api/runs/{run['id']}/events?after_seq=10&limit=5").get_json()
    assert [e["seq"] for e in part["events"]] == [11, 12, 13, 14, 15] and part["more"] and part["last_seq"] == 15

    markdown = executive.get(f"/api/runs/{run['id']}/report")
    assert markdown.status_code == 200 and markdown.mimetype == "text/markdown"
    assert "Acme" in markdown.get_data(as_text=True)
    html = executive.get(f"/api/runs/{run['id']}/report?format=html")
    assert html.mimetype == "text/html" and "<table>" in html.get_data(as_text=True)
    assert "<script" not in html.get_data(as_text=True)


def test_report_html_is_sanitised(app, executive):
    run = create(executive)
    with app.app_context():
        stored = db.session.get(Run, run["id"])
        stored.report_markdown = "# Hi\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        db.session.commit()
    body = executive.get(f"/api/runs/{run['id']}/report?format=html").get_data(as_text=True)
    assert "<h1>Hi</h1>" in body
    assert "<script" not in body and "<img" not in body and 'href="javascript' not in body
    assert "&lt;script&gt;" in body  # shown as text, never run


def test_cancel_queued_run_at_once_with_an_event(app, executive):
    run = create(executive)
    response = executive.post(f"/api/runs/{run['id']}/cancel")
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    events = executive.get(f"/api/runs/{run['id']}/events").get_json()["events"]
    assert [(e["seq"], e["type"]) for e in events] == [(1, "run.cancelled")]
    again = executive.post(f"/api/runs/{run['id']}/cancel")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "run_finished"
    assert execute_queued(app) == []


def test_only_creator_or_admin_cancels(app, executive, make_user):
    run = create(executive)
    colleague = other_client(app, make_user, "executive")
    assert colleague.post(f"/api/runs/{run['id']}/cancel").status_code == 403
    admin = other_client(app, make_user, "admin")
    assert admin.post(f"/api/runs/{run['id']}/cancel").get_json()["status"] == "cancelled"


def test_overrun_pauses_then_approval_completes(app, executive):
    run = create(executive, budget="1000")
    execute_queued(app)
    paused = executive.get(f"/api/runs/{run['id']}").get_json()
    assert paused["status"] == "paused" and paused["pause_reason"] == "approval_required"
    assert Decimal(paused["pause_payload"]["amount"]) > 0
    assert executive.post(f"/api/runs/{run['id']}/approve", {"decision": "maybe"}).status_code == 422
    decided = executive.post(f"/api/runs/{run['id']}/approve", {"decision": "approve", "note": "worth it"})
    assert decided.status_code == 200 and decided.get_json()["status"] == "queued"
    assert executive.post(f"/api/runs/{run['id']}/approve", {"decision": "approve"}).status_code == 409
    execute_queued(app)
    events = executive.get(f"/api/runs/{run['id']}/events?limit=1000").get_json()["events"]
    types = [e["type"] for e in events]
    assert types[-1] == "run.completed" and "approval.decided" in types and "run.resumed" in types
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))


def test_reject_trims_and_completes(app, executive):
    run = create(executive, budget="1000")
    execute_queued(app)
    executive.post(f"/api/runs/{run['id']}/approve", {"decision": "reject", "note": "too much"})
    execute_queued(app)
    assert executive.get(f"/api/runs/{run['id']}").get_json()["status"] == "completed"


def test_cancel_paused_run(app, executive):
    run = create(executive, budget="1000")
    execute_queued(app)
    assert executive.post(f"/api/runs/{run['id']}/cancel").get_json()["status"] == "cancelled"
    assert executive.post(f"/api/runs/{run['id']}/approve", {"decision": "approve"}).status_code == 409


class CapOnce:
    """An LLM client whose first call hits the AI cap; later calls answer offline."""

    def __init__(self, inner):
        self.inner = inner
        self.refused = False

    def generate(self, request: LLMRequest) -> LLMResponse:
        if not self.refused:
            self.refused = True
            raise AIBudgetExhausted("run", Decimal("5"), Decimal("5"))
        return self.inner.generate(request)


def test_admin_resumes_a_run_paused_at_its_ai_cap(app, executive, make_user):
    service = holdings(app).runs
    capped = {}
    wrap_provider(service, lambda client, run_id: capped.setdefault(run_id, CapOnce(client)))
    run = create(executive)
    execute_queued(app)
    paused = executive.get(f"/api/runs/{run['id']}").get_json()
    assert paused["status"] == "paused" and paused["pause_reason"] == "ai_budget_exhausted"
    assert executive.post(f"/api/runs/{run['id']}/resume").status_code == 403
    admin = other_client(app, make_user, "admin")
    resumed = admin.post(f"/api/runs/{run['id']}/resume")
    assert resumed.status_code == 200 and resumed.get_json()["status"] == "queued"
    assert admin.post(f"/api/runs/{run['id']}/resume").status_code == 409
    execute_queued(app)
    assert executive.get(f"/api/runs/{run['id']}").get_json()["status"] == "completed"


def test_resume_refuses_runs_not_paused_at_a_cap(app, executive, make_user):
    run = create(executive, budget="1000")
    admin = other_client(app, make_user, "admin")
    assert admin.post(f"/api/runs/{run['id']}/resume").status_code == 409  # queued
    execute_queued(app)
    response = admin.post(f"/api/runs/{run['id']}/resume")  # paused for approval, not a cap
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "not_resumable"


# --- catalogue -------------------------------------------------------------------------------------


def test_agents_catalogue(executive):
    items = executive.get("/api/agents").get_json()["items"]
    by_name = {a["name"]: a for a in items}
    assert set(by_name) == {"cfo", "branding", "legal", "webdev", "martech", "content", "campaigns", "reviewer", "reporter"}
    assert by_name["legal"]["kind"] == "specialist" and Decimal(by_name["legal"]["default_share_cap_percent"]) > 0
    assert by_name["cfo"]["default_share_cap_percent"] is None


def test_create_refuses_a_budget_above_the_organisation_ceiling(app, make_user):
    admin = other_client(app, make_user, "admin")
    assert admin.put("/api/admin/budget", {"run_budget_max_usd": "2000"}).status_code == 200
    response = admin.post("/api/runs", brief(budget="2500"))
    assert response.status_code == 422
    assert [d["field"] for d in response.get_json()["error"]["details"]] == ["budget_usd"]
    assert admin.post("/api/runs", brief(budget="2000")).status_code == 201
