"""Admin pages on SQLite and PostgreSQL: budgets and caps, provider settings, spend and audit."""

from __future__ import annotations

import re

import pytest

from services.budgets import get_budget_settings
from services.holdings import holdings
from tests.conftest import csrf_from
from tests.support.api import JsonClient

ADMIN_PAGES = ["/admin/budgets", "/admin/provider", "/admin/spend", "/admin/audit"]
SECRET_KEY_VALUE = "sk-page-test-0123456789abcdef"


@pytest.fixture(autouse=True)
def _release_run_resources(app):
    yield
    holdings(app).runs.stop()


def login(app, make_user, role: str = "admin", org: str = "Acme") -> JsonClient:
    return JsonClient(app.test_client()).login(make_user(role, org=org).email)


def submit(api: JsonClient, path: str, data: dict[str, object]):
    token = csrf_from(api.get(path).get_data(as_text=True))
    return api.client.post(path, data={**data, "csrf_token": token})


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{re.escape(field)}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


def budget_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "monthly_ai_cap_usd": "250",
        "run_ai_cap_default_usd": "7.5",
        "run_ai_cap_max_usd": "40",
        "run_budget_max_usd": "500000",
        "thresholds": "50, 90, 100",
        "quote_policy": "never",
        **{f"share_cap_{a}": "20" for a in ("branding", "legal", "webdev", "martech", "content", "campaigns")},
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["executive", "member"])
def test_admin_pages_are_for_admins(app, make_user, role) -> None:
    api = login(app, make_user, role)
    for path in ADMIN_PAGES:
        assert api.get(path).status_code == 403, path
    anonymous = app.test_client()
    for path in ADMIN_PAGES:
        assert anonymous.get(path).status_code == 302, path


def test_budgets_are_saved_and_audited(app, make_user) -> None:
    api = login(app, make_user)
    response = submit(api, "/admin/budgets", budget_form())
    assert response.status_code == 303
    page = api.get("/admin/budgets").get_data(as_text=True)
    assert 'value="250"' in page and 'value="7.5"' in page and 'value="50, 90, 100"' in page
    with app.app_context():
        org_id = api.get("/api/me").get_json()["organisation"]["id"]
        saved = get_budget_settings(org_id, app_settings=holdings().settings)
    assert str(saved.monthly_ai_cap_usd) in ("250", "250.000000") and saved.thresholds == [50, 90, 100]
    assert saved.overrun_policy == "trim" and str(saved.agent_share_caps["legal"]).startswith("20")
    audit = api.get("/admin/audit?action=budget.settings_updated").get_data(as_text=True)
    assert "budget.settings_updated" in audit and "250" in audit


def test_no_monthly_cap_is_an_explicit_choice_shown_as_such(app, make_user) -> None:
    api = login(app, make_user)
    assert 'id="no-monthly-cap"' not in api.get("/dashboard").get_data(as_text=True)
    assert submit(api, "/admin/budgets", budget_form(monthly_ai_cap_usd="0", run_ai_cap_max_usd="0",
                                                     run_ai_cap_default_usd="0")).status_code == 303  # fmt: skip
    zero = api.get("/dashboard").get_data(as_text=True)
    assert "monthly cap</span>" in zero and "100.0% used" in zero  # a cap of zero, fully used: no room
    assert submit(api, "/admin/budgets", budget_form(no_monthly_ai_cap="on")).status_code == 303
    assert 'id="no_monthly_ai_cap" name="no_monthly_ai_cap" checked' in api.get("/admin/budgets").get_data(as_text=True)
    dashboard = api.get("/dashboard").get_data(as_text=True)
    assert 'id="no-monthly-cap"' in dashboard and "monthly cap</span>" not in dashboard
    budget = api.get("/api/admin/budget").get_json()
    assert budget["no_monthly_ai_cap"] is True and budget["usage"]["cap"] is None
    assert submit(api, "/admin/budgets", budget_form()).status_code == 303  # unticked: the cap is back
    assert api.get("/api/admin/budget").get_json()["usage"]["cap"] == "250.000000"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"monthly_ai_cap_usd": "10", "run_ai_cap_max_usd": "40"}, "run_ai_cap_max_usd", "the monthly cap"),
        ({"thresholds": "90, 50"}, "thresholds", "increasing"),
        ({"thresholds": "fifty"}, "thresholds", "whole percents"),
        ({"share_cap_legal": "150"}, "share_cap_legal", "100"),
        ({"monthly_ai_cap_usd": "-5"}, "monthly_ai_cap_usd", "0"),
        ({"run_budget_max_usd": ""}, "run_budget_max_usd", "amount"),
        ({"quote_policy": "ignore"}, "quote_policy", "always"),
    ],
)
def test_bad_budget_values_are_refused_next_to_their_field(app, make_user, changes, field, words) -> None:
    api = login(app, make_user)
    response = submit(api, "/admin/budgets", budget_form(**changes))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert words.lower() in field_error(html, field).lower(), field_error(html, field)
    assert "budget.settings_updated" not in api.get("/admin/audit").get_data(as_text=True)


def test_provider_keys_never_come_back(app, make_user) -> None:
    api = login(app, make_user)
    response = submit(
        api,
        "/admin/provider",
        {"provider": "openai", "model": "gpt-4o-mini", "openai_api_key": SECRET_KEY_VALUE, "openai_base_url": ""},
    )
    assert response.status_code == 303
    page = api.get("/admin/provider").get_data(as_text=True)
    assert SECRET_KEY_VALUE not in page
    assert 'id="openai-key-state">set<' in page and 'id="anthropic-key-state">not set<' in page
    assert SECRET_KEY_VALUE not in api.get("/admin/audit").get_data(as_text=True)
    refused = submit(api, "/admin/provider", {"provider": "anthropic", "model": "gpt-4o-mini"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "anthropic" in field_error(html, "model") and field_error(html, "anthropic_api_key")
    assert SECRET_KEY_VALUE not in html


def test_spend_page_has_a_chart_and_csv_link(app, make_user) -> None:
    api = login(app, make_user)
    html = api.get("/admin/spend?from=2026-01-01&to=2026-01-31&group_by=agent").get_data(as_text=True)
    assert "No AI spend in this period" in html and 'id="spend-data"' in html
    assert "/api/admin/spend?from=2026-01-01&amp;to=2026-01-31&amp;group_by=agent&amp;format=csv" in html
    bad = api.get("/admin/spend?from=2026-02-01&to=2026-01-01&group_by=planet").get_data(as_text=True)
    assert field_error(bad, "to") and field_error(bad, "group_by")


def test_audit_log_filters(app, make_user) -> None:
    api = login(app, make_user)
    other = make_user("member")
    token = csrf_from(api.get("/admin/users").get_data(as_text=True))
    api.client.post(f"/admin/users/{other.id}/role", data={"role": "executive", "csrf_token": token})
    html = api.get("/admin/audit?action=user.role_changed").get_data(as_text=True)
    assert html.count("<code>user.role_changed</code>") == 1
    assert "No changes match" in api.get("/admin/audit?action=user.role_changed&to=2000-01-01").get_data(as_text=True)
    assert "No changes match" in api.get("/admin/audit?actor=nobody@example.com").get_data(as_text=True)
    assert field_error(api.get("/admin/audit?from=yesterday").get_data(as_text=True), "from")
