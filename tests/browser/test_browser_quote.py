"""A quote before money moves, in Chromium: under the policy `always` a run that fits its budget
stops at its quote; the executive reads the plan, the budget by agent and objective and the AI-spend
forecast against the caps, cuts a task, accepts the edited plan and watches the run complete; the
report leaves the cut task out and compares the forecast with the actual AI spend."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.browsing import Session, run_id_from, start_brief_run
from tests.browser.conftest import email_of

FITS = {
    "company": "Quote Robotics", "industry": "Technology", "location": "Austin, TX", "budget": "5000", "days": "90",
    "objectives": ["Launch product"],
}  # fmt: skip


def set_policy(admin: Session, policy: str) -> None:
    """Admin → Budgets: choose when runs stop for a quote, and save."""
    page = admin.goto("/admin/budgets")
    page.check(f'input[name="quote_policy"][value="{policy}"]')
    page.click("#save-budgets")
    expect(page.locator(".flash")).to_contain_text("Budget settings saved", timeout=30_000)
    expect(page.locator(f'input[name="quote_policy"][value="{policy}"]')).to_be_checked()


@pytest.fixture
def always(session) -> Iterator[Session]:
    """The organisation's quote policy is `always` for this test, and `over_budget` again after it."""
    admin: Session = session("admin-quote")
    admin.login(email_of("admin"))
    set_policy(admin, "always")
    try:
        yield admin
    finally:
        set_policy(admin, "over_budget")


def test_executive_accepts_an_edited_quote_and_the_report_compares_the_forecast(session, always) -> None:
    executive: Session = session("executive-quote")
    page = executive.login(email_of("executive"))
    executive.goto("/runs/new")
    start_brief_run(page, FITS)
    run_id = run_id_from(page.url)

    # The plan fits the budget, yet the run stops at its quote.
    panel = page.locator("#approval-panel")
    expect(panel).to_be_visible(timeout=60_000)
    expect(page.locator("#run-status")).to_contain_text("accept the quote", timeout=30_000)
    expect(page.locator("#approval-title")).to_have_text("Quote: accept before money moves")
    expect(page.locator("#approve")).to_have_text("Accept quote")
    expect(page.locator("#reject")).to_have_text("Reject (run nothing)")
    quote = page.locator("#quote-box")
    expect(quote).to_be_visible()
    expect(page.locator("#quote-forecast")).to_contain_text("the offline provider costs nothing", timeout=30_000)
    expect(page.locator("#approval-ai")).to_contain_text("$0.0000")
    expect(page.locator("#quote-caps [data-cap=run]")).to_contain_text("This run's AI cap")
    expect(page.locator("#quote-caps [data-cap=org]")).to_contain_text("The organisation's month")
    agents = page.locator("#quote-by-agent tr[data-agent]")
    expect(agents.first).to_be_visible()
    assert agents.count() >= 3
    expect(page.locator("#quote-by-objective tr[data-objective]")).to_have_count(1)
    expect(page.locator('#approval-options [data-option="reject"] [data-figure="funded"]')).to_have_text("$0.00")

    # Cut one task: the edited plan's forecast appears next to the options.
    rows = page.locator("#approval-tasks tr[data-task-row]")
    last = rows.last
    cut_id = last.locator("input[data-task-id]").get_attribute("data-task-id")
    cut_title = last.locator("label.approval-task-title").inner_text()
    last.locator("input[data-task-id]").check()
    expect(page.locator('#quote-forecast-options [data-forecast="edit"]')).to_contain_text("cut 1 task")
    expect(page.locator("#approve-edited")).to_have_text("Accept edited plan (cut 1 task)")
    executive.shoot("quote-panel")

    page.fill("#approval-note", "Everything but the last task")
    page.click("#approve-edited")
    expect(panel).to_be_hidden(timeout=30_000)
    expect(page.locator("#approval-outcome-title")).to_have_text("Quote decision", timeout=30_000)
    expect(page.locator("#approval-outcome-text")).to_contain_text("The quote was accepted with 1 task cut")
    expect(page.locator("#approval-outcome-cut")).to_contain_text(cut_title)
    expect(page.locator("#run-status")).to_have_text("completed", timeout=90_000)

    # The report: the cut task is not funded, and the AI spend landed inside the quoted range.
    page.click("#report-link")
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/report$"), timeout=30_000)
    expect(page.locator(f"#task-{cut_id}")).to_have_class(re.compile(r"\btask-dropped\b"))
    expect(page.locator(f"#task-{cut_id}")).to_contain_text("dropped: cut")
    section = page.locator("#r-ai-spend")
    expect(section).to_be_visible(timeout=30_000)
    expect(page.locator("#ai-spend-summary")).to_contain_text("exactly as quoted")
    expect(page.locator("#ai-verdict")).to_have_text("inside the range")
    expect(page.locator("#ai-forecast-range")).to_contain_text("$0.0000 to $0.0000")
    expect(section.locator("tbody tr[data-agent]").first).to_be_visible()
    expect(section.locator('tbody tr[data-agent="reporter"]')).to_contain_text("1 of 1")
    executive.shoot("quote-report")

    report = page.request.get(executive.url(f"/api/runs/{run_id}/report?format=json")).json()
    assert report["decision"]["decision"] == "edit" and report["decision"]["cut"] == [cut_id]
    assert cut_id not in {item["task_id"] for item in report["line_items"]}
    assert report["ai_spend"]["verdict"] == "inside"
    executive.assert_clean()
