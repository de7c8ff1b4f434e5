"""Run pages on SQLite and PostgreSQL: the new-run form, the live view, history and the report."""

from __future__ import annotations

import re

import pytest

from services.db import db
from services.holdings import holdings
from services.models import Run
from tests.conftest import csrf_from
from tests.support.api import JsonClient, brief, execute_queued

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="x()">'


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def login(app, make_user, role: str = "executive", org: str = "Acme") -> JsonClient:
    return JsonClient(app.test_client()).login(make_user(role, org=org).email)


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "company_name": "Acme",
        "industry": "Technology",
        "location": "Austin, TX",
        "objectives": ["Launch product", "", "Win customers"],
        "budget_usd": "5,000",
        "timeline_days": "90",
        "agents": ["branding", "legal", "webdev", "martech", "content", "campaigns"],
    }
    data.update(changes)
    return data


def post_form(api: JsonClient, data: dict[str, object]):
    token = csrf_from(api.get("/runs/new").get_data(as_text=True))
    return api.client.post("/runs/new", data={**data, "csrf_token": token})


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{re.escape(field)}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def test_a_valid_form_starts_a_run_and_lands_on_its_live_view(app, make_user) -> None:
    api = login(app, make_user)
    response = post_form(api, form())
    assert response.status_code == 303
    run_id = response.headers["Location"].rsplit("/", 1)[1]
    with app.app_context():
        run = db.session.get(Run, run_id)
        assert run.brief["objectives"] == ["Launch product", "Win customers"]
        assert str(run.budget_usd) == "5000.00" and run.status.value == "queued"
    page = api.get(f"/runs/{run_id}").get_data(as_text=True)
    assert 'id="run-data"' in page and 'id="offline-label"' in page and 'id="cancel-start"' in page


def test_the_form_puts_messages_next_to_fields(app, make_user) -> None:
    api = login(app, make_user)
    response = post_form(
        api, form(company_name="", budget_usd="50", timeline_days="3", objectives=[""], agents=[], ai_cap_usd="-1")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "company name" in field_error(html, "company_name")
    assert "$100" in field_error(html, "budget_usd")
    assert "7 and 730" in field_error(html, "timeline_days")
    assert "objective" in field_error(html, "objectives")
    assert "specialist" in field_error(html, "agents")
    assert field_error(html, "ai_cap_usd")
    assert 'aria-describedby="budget-hint budget_usd-error" aria-invalid="true"' in html
    assert 'value="50"' in html  # what was typed comes back
    with app.app_context():
        assert db.session.query(Run).count() == 0


def test_the_service_refusal_shows_next_to_its_field(app, make_user) -> None:
    api = login(app, make_user)
    response = post_form(api, form(ai_cap_usd="100000"))
    assert response.status_code == 422
    assert "at most" in field_error(response.get_data(as_text=True), "ai_cap_usd")


def test_members_cannot_start_runs(app, make_user) -> None:
    member = login(app, make_user, "member")
    assert member.get("/runs/new").status_code == 403
    assert "New run" not in member.get("/dashboard").get_data(as_text=True)


def test_runs_of_other_organisations_do_not_exist(app, make_user) -> None:
    outsider = login(app, make_user, "executive", org="Globex")
    run = outsider.post("/api/runs", brief("Globex")).get_json()
    api = login(app, make_user)
    for path in (f"/runs/{run['id']}", f"/runs/{run['id']}/report", f"/runs/{run['id']}/report.md", "/runs/" + "f" * 40):
        assert api.get(path).status_code == 404, path
    assert "Globex" not in api.get("/runs").get_data(as_text=True)


def test_controls_follow_the_role(app, make_user) -> None:
    creator = login(app, make_user)
    run = creator.post("/api/runs", brief()).get_json()
    other_exec = login(app, make_user)
    member = login(app, make_user, "member")
    admin = login(app, make_user, "admin")
    pages = {name: c.get(f"/runs/{run['id']}").get_data(as_text=True) for name, c in
             {"creator": creator, "other": other_exec, "member": member, "admin": admin}.items()}
    assert 'id="cancel-start"' in pages["creator"] and 'id="cancel-start"' in pages["admin"]
    assert 'id="cancel-start"' not in pages["other"] and 'id="cancel-start"' not in pages["member"]
    assert 'id="approval-panel"' in pages["other"] and 'id="approval-panel"' not in pages["member"]
    assert 'id="approval-waiting"' in pages["member"]
    assert 'id="raise-cap-form"' in pages["admin"] and 'id="raise-cap-form"' not in pages["creator"]


def test_history_filters_and_pages(app, make_user) -> None:
    api = login(app, make_user)
    for index in range(23):
        assert api.post("/api/runs", brief(f"Paging {index:02d}")).status_code == 201
    api.post("/api/runs", brief("Other Co", objectives=["Open a shop in Lisbon"]))
    first = api.get("/runs?q=paging").get_data(as_text=True)
    assert "23 runs match" in first and first.count('data-run="') == 20 and "Page 1 of 2" in first
    second = api.get("/runs?q=paging&page=2").get_data(as_text=True)
    assert second.count('data-run="') == 3 and 'rel="prev"' in second
    assert "Page 2 of 2" in api.get("/runs?q=paging&page=99").get_data(as_text=True)
    by_objective = api.get("/runs?q=lisbon").get_data(as_text=True)
    assert "Other Co" in by_objective and "Paging" not in by_objective
    assert "No runs match" in api.get("/runs?status=completed").get_data(as_text=True)
    assert "24 runs" in api.get("/runs?status=queued&from=2000-01-01").get_data(as_text=True)
    bad = api.get("/runs?from=nope&to=2000-01-01&status=sideways").get_data(as_text=True)
    assert "2026-11-21" in field_error(bad, "from") and "Choose a status" in field_error(bad, "status")
    assert "No runs match" in api.get("/runs?to=2000-01-01").get_data(as_text=True)


def test_report_page_downloads_and_print(app, make_user) -> None:
    api = login(app, make_user)
    run = api.post("/api/runs", brief(PAYLOAD)).get_json()
    waiting = api.get(f"/runs/{run['id']}/report").get_data(as_text=True)
    assert "No report yet" in waiting
    assert api.get(f"/runs/{run['id']}/report.md").status_code == 404
    execute_queued(app)

    page = api.get(f"/runs/{run['id']}/report").get_data(as_text=True)
    assert "<h2>Executive report: " in page and 'spend-table"' in page
    assert "<script>window.__xss" not in page and "<img" not in page
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in page

    markdown = api.get(f"/runs/{run['id']}/report.md")
    assert markdown.mimetype == "text/markdown"
    assert markdown.headers["Content-Disposition"].startswith('attachment; filename="catalyst-report-script-window')
    assert markdown.get_data(as_text=True).lstrip().startswith("# ")

    printed = api.get(f"/runs/{run['id']}/report/print")
    html = printed.get_data(as_text=True)
    assert printed.status_code == 200 and "<h1>Executive report: " in html and "css/print.css" in html
    assert "<script" not in html.replace("&lt;script", "")
    saved = api.get(f"/runs/{run['id']}/report/print?download=1")
    assert saved.headers["Content-Disposition"].endswith('.html"')


def test_dashboard_lists_active_and_recent_runs(app, make_user) -> None:
    api = login(app, make_user)
    done = api.post("/api/runs", brief("Done Co")).get_json()
    execute_queued(app)
    active = api.post("/api/runs", brief("Waiting Co")).get_json()
    html = api.get("/dashboard").get_data(as_text=True)
    assert f'data-run="{active["id"]}" data-seq="0"' in html
    assert f'<tr data-run="{done["id"]}"' in html
    assert 'id="spend-data"' in html and "monthly cap" in html
