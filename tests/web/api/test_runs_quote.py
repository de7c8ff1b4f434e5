"""Quotes over the API, through the real run service on SQLite and PostgreSQL.

An admin sets the quote policy (or its older name), an executive's run stops at its quote, and
each decision (accept, edit, reject) is audited, streamed and carried into the report; against the
fake OpenAI server with a known price, the report's forecast-vs-actual figures are the ledger's.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import pytest
from sqlalchemy import select

from services.db import db
from services.holdings import holdings
from services.models import AuditEntry, Organisation
from services.models.budgets import AICall, OverrunDecision
from services.models.provider import ProviderSetting
from tests.fakes.fixtures import fake_openai  # noqa: F401 - the fixture
from tests.support.api import JsonClient, brief, execute_queued

PRICE_IN, PRICE_OUT = Decimal("1.5"), Decimal("6")


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


@pytest.fixture
def admin(client, make_user) -> JsonClient:
    return JsonClient(client).login(make_user("admin").email)


@pytest.fixture
def executive(app, make_user) -> JsonClient:
    return JsonClient(app.test_client()).login(make_user("executive").email)


def quoted_run(executive: JsonClient, app, **extra) -> dict:
    """A run of the executive, executed to its pause."""
    run_id = executive.post("/api/runs", brief(**extra)).get_json()["id"]
    execute_queued(app)
    return executive.get(f"/api/runs/{run_id}").get_json()


def audits(app, run_id: str, action: str) -> list[dict]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action, AuditEntry.target_id == run_id).order_by(AuditEntry.id)
        ).all()
        return [{"before": row.before, "after": row.after, "actor": row.actor_id} for row in rows]


def events(executive: JsonClient, run_id: str, kind: str) -> list[dict]:
    found = executive.get(f"/api/runs/{run_id}/events?limit=500").get_json()["events"]
    return [event for event in found if event["type"] == kind]


def test_the_quote_policy_is_one_setting_with_its_older_name_as_an_alias(admin) -> None:
    assert admin.get("/api/admin/budget").get_json()["quote_policy"] == "over_budget"
    body = admin.put("/api/admin/budget", {"quote_policy": "always"}).get_json()
    assert (body["quote_policy"], body["overrun_policy"]) == ("always", "approve")
    # Writing the older name keeps "always" (it already asks on overruns); trim means never.
    assert admin.put("/api/admin/budget", {"overrun_policy": "approve"}).get_json()["quote_policy"] == "always"
    body = admin.put("/api/admin/budget", {"overrun_policy": "trim"}).get_json()
    assert (body["quote_policy"], body["overrun_policy"]) == ("never", "trim")
    assert admin.put("/api/admin/budget", {"overrun_policy": "approve"}).get_json()["quote_policy"] == "over_budget"
    refused = admin.put("/api/admin/budget", {"quote_policy": "never", "overrun_policy": "approve"})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"][0]["field"] == "overrun_policy"
    assert admin.put("/api/admin/budget", {"quote_policy": "sometimes"}).status_code in (400, 422)
    assert admin.get("/api/admin/budget").get_json()["quote_policy"] == "over_budget"


def test_over_budget_runs_a_plan_that_fits_without_a_quote(app, admin, executive) -> None:
    run = quoted_run(executive, app)
    assert run["status"] == "completed" and run["policy"] == "over_budget"


@pytest.mark.parametrize("decision", ["accept", "approve"])
def test_accepting_a_quote_is_audited_streamed_and_reported(app, admin, executive, decision) -> None:
    admin.put("/api/admin/budget", {"quote_policy": "always"})
    run = quoted_run(executive, app)
    assert run["status"] == "paused" and run["pause_reason"] == "quote" and run["policy"] == "always"
    quote = run["pause_payload"]["quote"]
    assert quote["forecast"]["offline"] is True and Decimal(quote["forecast"]["high_usd"]) == 0
    assert quote["by_agent"] and quote["by_objective"] and run["pause_payload"]["tasks"]
    decided = executive.post(f"/api/runs/{run['id']}/approve", {"decision": decision, "note": "go"})
    assert decided.status_code == 200 and decided.get_json()["status"] == "queued"
    entries = audits(app, run["id"], "run.quote_decided")
    assert len(entries) == 1 and entries[0]["after"]["decision"] == "approve" and entries[0]["after"]["note"] == "go"
    assert Decimal(entries[0]["before"]["forecast"]["high_usd"]) == 0 and entries[0]["after"]["executed"] is True
    assert not audits(app, run["id"], "run.overrun_decided")
    with app.app_context():  # a quote raises no ceiling: no overrun decision is recorded
        assert db.session.scalar(select(OverrunDecision).where(OverrunDecision.run_id == run["id"])) is None
    execute_queued(app)
    done = executive.get(f"/api/runs/{run['id']}").get_json()
    assert done["status"] == "completed"
    streamed = events(executive, run["id"], "approval.decided")
    assert [(e["data"]["reason"], e["data"]["decision"]) for e in streamed] == [("quote", "approve")]
    report = executive.get(f"/api/runs/{run['id']}/report?format=json").get_json()
    ai = report["ai_spend"]
    assert ai["offline"] is True and ai["verdict"] == "inside" and ai["actual_usd"] == "0.000000"
    assert ai["calls_actual"] == ai["calls_forecast"] == len(quote["forecast"]["calls"])
    markdown = executive.get(f"/api/runs/{run['id']}/report").get_data(as_text=True)
    assert "exactly as quoted" in markdown


def test_an_edited_quote_cuts_its_tasks_and_is_audited(app, admin, executive) -> None:
    admin.put("/api/admin/budget", {"quote_policy": "always"})
    run = quoted_run(executive, app)
    tasks = run["pause_payload"]["tasks"]
    cut = [tasks[-1]["id"]]
    response = executive.post(f"/api/runs/{run['id']}/approve", {"decision": "edit", "cut": cut})
    assert response.status_code == 200
    entry = audits(app, run["id"], "run.quote_decided")[0]["after"]
    assert entry["decision"] == "edit" and entry["cut"] == cut and entry["cut_titles"] == [tasks[-1]["title"]]
    execute_queued(app)
    report = executive.get(f"/api/runs/{run['id']}/report?format=json").get_json()
    row = next(t for t in report["tasks"] if t["id"] == cut[0])
    assert row["status"] == "dropped" and row["drop_reason"] == "cut"
    assert report["decision"]["decision"] == "edit" and report["decision"]["cut"] == cut
    everything = executive.post(f"/api/runs/{run['id']}/approve", {"decision": "edit", "cut": cut})
    assert everything.status_code == 409  # decided already


def test_rejecting_a_quote_runs_nothing_and_the_report_says_so(app, admin, executive) -> None:
    admin.put("/api/admin/budget", {"quote_policy": "always"})
    run = quoted_run(executive, app)
    assert executive.post(f"/api/runs/{run['id']}/approve", {"decision": "reject", "note": "not now"}).status_code == 200
    assert audits(app, run["id"], "run.quote_decided")[0]["after"]["executed"] is False
    execute_queued(app)
    report = executive.get(f"/api/runs/{run['id']}/report?format=json").get_json()
    assert report["line_items"] == [] and report["budget"]["committed_usd"] == "0.00"
    assert report["decision"]["decision"] == "reject"
    assert {c["agent"] for c in report["ai_spend"]["rows"]} == {"reviewer", "reporter"}
    markdown = executive.get(f"/api/runs/{run['id']}/report").get_data(as_text=True)
    assert "no work was commissioned" in markdown and "rejected the quote; nothing was executed" in markdown
    page = executive.get(f"/runs/{run['id']}/report").get_data(as_text=True)
    assert "quote rejected; nothing was executed" in page and 'id="r-ai-spend"' in page
    started = {e["agent"] for e in events(executive, run["id"], "agent.started")}
    assert not started & {"branding", "legal", "webdev", "martech", "content", "campaigns"}


def test_never_trims_instead_of_stopping(app, admin, executive) -> None:
    admin.put("/api/admin/budget", {"quote_policy": "never"})
    run = quoted_run(executive, app, budget="1000")
    assert run["status"] == "completed" and not events(executive, run["id"], "approval.required")


def test_members_cannot_decide_and_bad_decisions_are_refused(app, admin, executive, make_user) -> None:
    admin.put("/api/admin/budget", {"quote_policy": "always"})
    run = quoted_run(executive, app)
    member = JsonClient(app.test_client()).login(make_user("member").email)
    assert member.post(f"/api/runs/{run['id']}/approve", {"decision": "accept"}).status_code == 403
    bad = executive.post(f"/api/runs/{run['id']}/approve", {"decision": "maybe"})
    assert bad.status_code in (400, 422) and "error" in bad.get_json()
    everything = [t["id"] for t in run["pause_payload"]["tasks"]]
    assert executive.post(f"/api/runs/{run['id']}/approve", {"decision": "edit", "cut": everything}).status_code in (400, 422)
    assert executive.get(f"/api/runs/{run['id']}").get_json()["pause_reason"] == "quote"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_forecast_against_the_ledger_to_the_cent_on_a_priced_model(app, admin, executive, fake_openai) -> None:  # noqa: F811
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Acme"))
        db.session.add(ProviderSetting(org_id=org.id, provider="openai", model="served-model",
                                       openai_base_url=fake_openai.base_url, input_usd_per_mtok=PRICE_IN,
                                       output_usd_per_mtok=PRICE_OUT))  # fmt: skip
        db.session.commit()
    admin.put("/api/admin/budget", {"quote_policy": "always"})
    run = quoted_run(executive, app)
    forecast = run["pause_payload"]["quote"]["forecast"]
    assert forecast["priced"] is True and forecast["model"] == "served-model"
    assert Decimal(forecast["low_usd"]) > 0
    executive.post(f"/api/runs/{run['id']}/approve", {"decision": "accept"})
    execute_queued(app)
    report = executive.get(f"/api/runs/{run['id']}/report?format=json").get_json()
    ai = report["ai_spend"]
    with app.app_context():
        calls = db.session.scalars(select(AICall).where(AICall.run_id == run["id"], AICall.agent != "cfo")).all()
        # What the fake server billed: its token counts at the configured price, per call, as the
        # ledger keeps it (rounded up to the micro-dollar).
        billed = sum(
            ((Decimal(c.input_tokens) * PRICE_IN + Decimal(c.output_tokens) * PRICE_OUT) / 1_000_000)
            .quantize(Decimal("0.000001"), rounding=ROUND_CEILING) for c in calls)
        by_agent = {c.agent: Decimal(c.settled_micros) / 1_000_000 for c in calls}
    assert sorted(u for u in fake_openai.usages[-len(calls):]) == sorted((c.input_tokens, c.output_tokens) for c in calls)
    assert Decimal(ai["actual_usd"]) == billed and ai["calls_actual"] == len(calls) == ai["calls_forecast"]
    assert {r["agent"]: Decimal(r["actual_usd"]) for r in ai["rows"]} == by_agent
    assert Decimal(ai["low_usd"]) == Decimal(forecast["low_usd"]) and Decimal(ai["high_usd"]) == Decimal(forecast["high_usd"])
    assert Decimal(ai["low_usd"]) <= billed <= Decimal(ai["high_usd"]) and ai["verdict"] == "inside"
    markdown = executive.get(f"/api/runs/{run['id']}/report").get_data(as_text=True)
    total_row = next(line for line in markdown.splitlines() if line.startswith("| **Total** |") and "of" in line)
    assert f"**${billed:,.4f}**" in total_row and "inside" in total_row
