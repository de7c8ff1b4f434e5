"""The dashboard is live for new runs: a run a colleague starts appears without a reload, follows its
status, and never shows on another organisation's dashboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.browsing import Session
from tests.browser.conftest import email_of
from tests.support.server import CatalystServer, example_brief


def test_a_colleagues_run_appears_on_the_dashboard_without_a_reload(
    session, server: CatalystServer
) -> None:
    member: Session = session("member")
    page = member.login(email_of("member"))
    member.goto("/dashboard")
    expect(page.locator("#dash-connection")).to_have_class(re.compile("connection-live"))
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    outsider: Session = session("outsider")
    foreign = outsider.login("outsider@example.com")
    outsider.goto("/dashboard")
    expect(foreign.locator("#dash-connection")).to_have_class(re.compile("connection-live"))

    colleague = server.login(email_of("executive"))
    created = colleague.post_json("/api/runs", example_brief(name="Lantern Labs", budget="300"))
    assert created.status_code == 201, created.text
    run_id = created.json()["id"]

    row = page.locator(f'.active-run[data-run="{run_id}"]')
    expect(row).to_be_visible()
    expect(row.locator(".run-link")).to_have_text("Lantern Labs")
    expect(row.locator(".run-link")).to_have_attribute("href", f"/runs/{run_id}")
    # No name set: the address' local part.
    expect(row.locator(".run-creator")).to_have_text("by exec · budget $300.00")
    expect(page.locator("#active-empty")).to_be_hidden()
    # Watched like the rows rendered with the page: the over-budget brief pauses for approval.
    expect(row.locator(".run-status")).to_have_text("paused", timeout=30_000)
    expect(row.locator(".run-step")).not_to_be_empty()
    assert page.evaluate("window.__sameDocument === true"), "the dashboard reloaded"
    member.shoot("dashboard-live-new-run")

    cancelled = colleague.post_json(f"/api/runs/{run_id}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    expect(row.locator(".run-status")).to_have_text("cancelled")

    expect(foreign.locator(f'[data-run="{run_id}"]')).to_have_count(0)
    assert "Lantern Labs" not in foreign.content()
    member.assert_clean()
    outsider.assert_clean()
