"""Pages one by one: login errors and lockout, roles, keyboard use, history filters, cancelling."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.browsing import Session, run_id_from
from tests.browser.conftest import email_of
from tests.support.server import CatalystServer, example_brief


def test_login_explains_failures_and_lockout(session) -> None:
    visitor: Session = session("visitor")
    page = visitor.goto("/login")
    visitor.shoot("login")

    # The email field has focus at once and shows a focus ring.
    expect(page.locator("#email")).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"

    for attempt in range(5):
        page.fill("#email", email_of("locked"))
        page.fill("#password", f"wrong password {attempt}")
        visitor.expect_status(401)
        with page.expect_navigation():
            page.click("button[type=submit]")
        expect(page.locator("#login-error")).to_contain_text("do not match an active account")
        expect(page.locator("#email")).to_have_value(email_of("locked"))
        expect(page.locator("#password")).to_be_focused()
    visitor.shoot("login-error")

    page.fill("#password", "correct horse battery staple")
    visitor.expect_status(429)
    with page.expect_navigation():
        page.click("button[type=submit]")
    expect(page.locator("#login-error")).to_contain_text("Login paused")
    expect(page.locator("#login-error")).to_contain_text(re.compile(r"Try again in about \d+ minute"))
    visitor.shoot("login-locked")
    visitor.assert_clean()


def test_member_watches_but_cannot_start_or_change_runs(session, server: CatalystServer) -> None:
    api = server.login(email_of("executive"))
    run = api.post_json("/api/runs", example_brief("Member View Co")).json()

    member: Session = session("member-pages")
    page = member.login(email_of("member"))
    expect(page.get_by_role("link", name="New run")).to_have_count(0)
    expect(page.locator("nav.nav")).not_to_contain_text("Admin")
    # Keyboard: the skip link comes first, shows itself, and focus rings are visible.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    assert page.locator(".skip-link").bounding_box()["x"] >= 0
    page.keyboard.press("Tab")
    expect(page.locator(".brand")).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"
    member.shoot("dashboard-member")
    member.expect_status(403)
    response = page.goto(member.url("/runs/new"))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Not allowed")
    member.shoot("error-403")

    member.goto(f"/runs/{run['id']}")
    expect(page.locator("#run-status")).to_have_text("completed", timeout=60_000)
    assert page.locator("#cancel-start, #approval-panel, #raise-cap-form").count() == 0

    # Another organisation's run does not exist for this member, whatever the id.
    outsider = server.login("outsider@example.com")
    foreign = outsider.post_json("/api/runs", example_brief("Globex Secret")).json()
    member.expect_status(404)
    response = page.goto(member.url(f"/runs/{foreign['id']}"))
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    member.shoot("error-404")
    member.expect_status(404)
    assert page.goto(member.url(f"/runs/{foreign['id']}/report")).status == 404
    member.goto("/runs?q=globex")
    expect(page.locator(".empty-state")).to_contain_text("No runs match")
    member.assert_clean()


def test_history_filters_and_pages(session, server: CatalystServer) -> None:
    api = server.login(email_of("executive"))
    for index in range(22):
        response = api.post_json("/api/runs", example_brief(f"Paging Co {index:02d}", budget="2500"))
        assert response.status_code == 201, response.text
    executive: Session = session("history")
    page = executive.login(email_of("executive"))
    executive.goto("/runs?q=paging+co")
    expect(page.locator(".results-count, [role=status]").first).to_contain_text("22 runs")
    expect(page.locator(".runs-table tbody tr")).to_have_count(20)
    expect(page.locator(".pagination-info")).to_have_text("Page 1 of 2")
    with page.expect_navigation():
        page.click("a[rel=next]")
    expect(page.locator(".runs-table tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"q=paging"))
    executive.shoot("history-page-2")

    page.select_option("#status", "cancelled")
    with page.expect_navigation():
        page.click(".filters button[type=submit]")
    expect(page.locator(".empty-state")).to_contain_text("No runs match these filters")

    # The dashboard lists the active (here: paused) runs and follows them live.
    executive.goto("/dashboard")
    expect(page.locator(".active-run").first).to_be_visible()
    expect(page.locator("#dash-connection")).to_have_class(re.compile("connection-live"))
    expect(page.locator(".active-run .run-status").first).to_have_text("paused")
    executive.shoot("dashboard-active")

    executive.goto("/runs?from=not-a-date")
    expect(page.locator("#from-error")).to_contain_text("2026-11-21")
    executive.assert_clean()


def test_executive_cancels_a_paused_run(session) -> None:
    executive: Session = session("canceller")
    page = executive.login(email_of("executive"))
    executive.goto("/runs/new")
    page.fill("#company_name", "Cancel Me Ltd")
    page.fill("#industry", "Technology")
    page.fill("#location", "Austin, TX")
    page.fill("#objective-0", "Launch product")
    page.fill("#budget_usd", "2500")
    page.fill("#timeline_days", "90")
    page.uncheck('input[name="agents"][value="martech"]')
    with page.expect_navigation(url=re.compile(r"/runs/[0-9a-f]{32}$")):
        page.click("#start-run")
    run_id = run_id_from(page.url)
    expect(page.locator('[data-agent="martech"]')).to_have_count(0)
    expect(page.locator("#approval-panel")).to_be_visible(timeout=60_000)

    page.click("#cancel-start")
    expect(page.locator("#cancel-no")).to_be_focused()
    page.keyboard.press("Enter")  # "Keep it running"
    expect(page.locator("#cancel-start")).to_be_visible()
    page.click("#cancel-start")
    executive.shoot("live-cancel-confirm")
    page.click("#cancel-yes")
    expect(page.locator("#run-status")).to_have_text("cancelled")
    expect(page.locator("#approval-panel")).to_be_hidden()
    expect(page.locator("#cancel-box")).to_be_hidden()
    expect(page.locator('#log .log-item[data-type="run.cancelled"]')).to_have_count(1)
    executive.goto("/runs?status=cancelled")
    expect(page.locator(f'tr[data-run="{run_id}"]')).to_be_visible()
    executive.goto(f"/runs/{run_id}/report")
    expect(page.locator(".empty-state")).to_contain_text("ended as cancelled")
    executive.assert_clean()


def test_an_ai_cap_of_zero_reads_as_zero_not_as_no_cap(session) -> None:
    executive: Session = session("zero-cap")
    page = executive.login(email_of("executive"))
    executive.goto("/runs/new")
    page.fill("#company_name", "Zero Cap Co")
    page.fill("#industry", "Technology")
    page.fill("#location", "Austin, TX")
    page.fill("#objective-0", "Launch product")
    page.fill("#budget_usd", "250000")
    page.fill("#timeline_days", "90")
    page.fill("#ai_cap_usd", "0")
    with page.expect_navigation(url=re.compile(r"/runs/[0-9a-f]{32}$")):
        page.click("#start-run")
    expect(page.locator("#ai-cap")).to_have_text("$0.00")
    expect(page.locator("#run-status")).to_have_text(re.compile("completed|paused"), timeout=60_000)
    expect(page.locator("#ai-cap")).to_have_text("$0.00")  # after every budget event, still a cap
    expect(page.locator("#ai-meter")).to_have_attribute("aria-valuetext", re.compile(r"^100(\.0)?% of the AI cap"))
