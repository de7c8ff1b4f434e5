"""The full journey in Chromium: an executive runs a brief that needs an overrun approval while a
member watches the same run live; then the report, its downloads, and an admin's changes."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.browsing import Session, run_id_from
from tests.browser.conftest import email_of

COMPANY = "Acme Rockets"


def fill_brief(page, *, company: str, budget: str, objectives: list[str]) -> None:
    page.fill("#company_name", company)
    page.fill("#industry", "Technology")
    page.fill("#location", "Austin, TX")
    page.fill("#objective-0", objectives[0])
    for index, text in enumerate(objectives[1:], start=1):
        page.click("#objective-add")
        page.fill(f"#objective-{index}", text)
    page.fill("#budget_usd", budget)
    page.fill("#timeline_days", "90")


def log_seqs(page) -> list[int]:
    return page.eval_on_selector_all("#log .log-item", "items => items.map(i => Number(i.dataset.seq))")


def test_executive_approves_an_overrun_while_a_member_watches(session) -> None:
    executive: Session = session("executive")
    page = executive.login(email_of("executive"))
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("link", name="New run").first).to_be_visible()

    # The form answers bad values with messages next to the fields (server-side).
    executive.goto("/runs/new")
    page.fill("#company_name", "")
    page.fill("#budget_usd", "50")
    page.fill("#timeline_days", "3")
    executive.expect_status(422)
    with page.expect_navigation():
        page.click("#start-run")
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator("#company_name-error")).to_contain_text("company name")
    expect(page.locator("#budget_usd-error")).to_contain_text("$100")
    expect(page.locator("#timeline_days-error")).to_contain_text("7 and 730")
    expect(page.locator("#objectives-error")).to_be_visible()
    expect(page.locator("#budget_usd")).to_have_attribute("aria-invalid", "true")
    executive.shoot("new-run-errors")

    # A plan that costs more than 2,500 USD offline: the run pauses for approval.
    fill_brief(page, company=COMPANY, budget="2500", objectives=["Launch product", "Win the first 100 customers"])
    expect(page.locator("#budget-preview")).to_contain_text("2,500")
    with page.expect_navigation(url=re.compile(r"/runs/[0-9a-f]{32}$")):
        page.click("#start-run")
    run_id = run_id_from(page.url)
    expect(page.locator("h1")).to_have_text(COMPANY)
    expect(page.locator("#offline-label")).to_be_visible()

    # A member watches the same run in another browser: live, and without approve/cancel controls.
    member: Session = session("member")
    member.login(email_of("member"))
    watch = member.goto(f"/runs/{run_id}")
    expect(watch.locator("#connection")).to_have_class(re.compile("connection-live"))
    assert watch.locator("#approval-panel").count() == 0
    assert watch.locator("#cancel-start").count() == 0
    assert watch.locator("#approve").count() == 0

    # Phases and agent cards move as events arrive; the run pauses for the overrun.
    expect(page.locator("#connection")).to_have_class(re.compile("connection-live"))
    expect(page.locator('[data-phase="planning"]')).to_have_class(re.compile("phase-done"))
    expect(page.locator('[data-agent="cfo"] .agent-status')).to_have_text("done")
    expect(page.locator("#approval-panel")).to_be_visible()
    expect(page.locator("#run-status")).to_contain_text("paused")
    expect(page.locator('[data-phase="approval"]')).to_have_class(re.compile("phase-active"))
    expect(page.locator("#approval-amount")).to_have_text(re.compile(r"\$\d"))
    expect(watch.locator("#approval-waiting")).to_be_visible()
    expect(page.locator("#watchers-count")).to_have_text("2")
    executive.shoot("live-paused")
    member.shoot("live-member-paused")

    # The event log filters by type and its auto-scroll can be paused.
    page.uncheck('input[name="log-filter"][value="phase"]')
    expect(page.locator('#log .log-item[data-category="phase"]').first).to_be_hidden()
    page.check('input[name="log-filter"][value="phase"]')
    page.click("#autoscroll")
    expect(page.locator("#autoscroll")).to_have_attribute("aria-pressed", "false")
    page.click("#autoscroll")

    page.fill("#approval-note", "Worth it for the launch")
    page.click("#approve")
    expect(page.locator("#approval-panel")).to_be_hidden()
    expect(page.locator("#run-status")).to_have_text("completed", timeout=60_000)
    expect(page.locator("#report-link")).to_be_visible()
    expect(page.locator('[data-phase="report"]')).to_have_class(re.compile("phase-done"))
    expect(page.locator('[data-agent="reporter"] .agent-status')).to_have_text("done")
    expect(page.locator("#budget-committed")).to_have_text(re.compile(r"\$\d"))
    expect(page.locator("#cancel-box")).to_be_hidden()

    # The member saw it all live: same events, in order, no gaps, no duplicates.
    expect(watch.locator("#run-status")).to_have_text("completed", timeout=30_000)
    expect(watch.locator("#approval-waiting")).to_be_hidden()
    seqs = log_seqs(watch)
    assert seqs == list(range(1, len(seqs) + 1))
    assert seqs == log_seqs(page)
    executive.shoot("live-completed")
    member.shoot("live-member-completed")

    # The report: rendered Markdown, the spend table and both downloads.
    page.click("#report-link")
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/report$"))
    expect(page.locator("h1")).to_have_text(COMPANY)
    expect(page.locator(".report-body h2").first).to_contain_text(COMPANY)
    expect(page.locator(".spend-table tbody tr").first).to_be_visible()
    with page.expect_download() as download_info:
        page.click("#download-md")
    download = download_info.value
    assert download.suggested_filename.endswith(".md")
    markdown = Path(download.path()).read_text(encoding="utf-8")
    assert COMPANY in markdown and markdown.lstrip().startswith("#")
    executive.shoot("report")
    with page.expect_navigation():
        page.click("#print-html")
    expect(page.locator(".print-company")).to_have_text(COMPANY)
    expect(page.locator("body.print-doc main h1").first).to_contain_text(COMPANY)
    expect(page.locator(".spend-table")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith("Georgia")
    executive.shoot("report-print")

    # History finds it by company and by status.
    executive.goto("/runs?q=rockets&status=completed")
    expect(page.locator(f'tr[data-run="{run_id}"]')).to_be_visible()
    executive.shoot("history")
    executive.goto("/dashboard")
    expect(page.locator(f'tr[data-run="{run_id}"]')).to_be_visible()
    executive.shoot("dashboard")

    executive.assert_clean()
    member.assert_clean()


def test_admin_changes_a_cap_and_a_role(session) -> None:
    admin: Session = session("admin")
    page = admin.login(email_of("admin"))
    admin.goto("/admin/budgets")
    admin.shoot("admin-budgets")

    # A contradictory change is refused next to its field and nothing is saved.
    page.fill("#run_ai_cap_max_usd", "500")
    page.fill("#monthly_ai_cap_usd", "100")
    admin.expect_status(422)
    with page.expect_navigation():
        page.click("#save-budgets")
    expect(page.locator("#run_ai_cap_max_usd-error")).to_contain_text("the monthly cap")
    admin.shoot("admin-budgets-errors")

    page.fill("#monthly_ai_cap_usd", "250")
    page.fill("#run_ai_cap_max_usd", "40")
    page.fill("#run_ai_cap_default_usd", "7.5")
    page.fill("#thresholds", "50, 90, 100")
    with page.expect_navigation():
        page.click("#save-budgets")
    expect(page.locator(".flash-success")).to_contain_text("saved")
    expect(page.locator("#monthly_ai_cap_usd")).to_have_value("250")
    expect(page.locator("#run_ai_cap_default_usd")).to_have_value("7.5")
    expect(page.locator("#thresholds")).to_have_value("50, 90, 100")

    # The change is in the audit log, filterable by action.
    admin.goto("/admin/audit?action=budget.settings_updated")
    # Newest first; other tests of this browser session may have saved the organisation's settings too.
    expect(page.locator(".audit-table tbody tr").first).to_contain_text("250")
    admin.shoot("admin-audit")

    # A member becomes an executive.
    admin.goto("/admin/users")
    row = page.locator(f'tr[data-user="{email_of("promoted")}"]')
    row.locator("select[name=role]").select_option("executive")
    with page.expect_navigation():
        row.get_by_role("button", name="Save role").click()
    expect(page.locator(".flash-success")).to_contain_text(f"{email_of('promoted')} is now executive")
    expect(page.locator(f'tr[data-user="{email_of("promoted")}"] select[name=role]')).to_have_value("executive")
    admin.shoot("admin-users")

    promoted: Session = session("promoted")
    promoted.login(email_of("promoted"))
    promoted.goto("/runs/new")
    expect(promoted.page.locator("#brief-form")).to_be_visible()

    admin.goto("/admin/spend")
    expect(page.locator("#spend-csv")).to_have_attribute("href", re.compile(r"format=csv"))
    admin.shoot("admin-spend")
    admin.assert_clean()
    promoted.assert_clean()


def test_provider_keys_are_write_only(session) -> None:
    admin: Session = session("admin-provider")
    page = admin.login(email_of("admin"))
    admin.goto("/admin/provider")
    expect(page.locator("#openai-key-state")).to_have_text("not set")
    secret = "sk-test-browser-0123456789abcdef"
    page.select_option("#provider", "openai")
    page.fill("#model", "gpt-4o-mini")
    page.fill("#openai_api_key", secret)
    with page.expect_navigation():
        page.click("#save-provider")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#openai-key-state")).to_have_text("set")
    expect(page.locator("#openai_api_key")).to_have_value("")
    assert secret not in page.content()
    admin.shoot("admin-provider")
    admin.goto("/admin/audit?action=provider.settings_changed")
    assert secret not in page.content()
    expect(page.locator(".audit-table")).to_contain_text('"openai_api_key": "set"')

    # Back to the offline generator, so the other tests' runs stay offline.
    admin.goto("/admin/provider")
    page.select_option("#provider", "offline")
    page.fill("#model", "offline")
    page.check('input[name="clear_openai_api_key"]')
    with page.expect_navigation():
        page.click("#save-provider")
    expect(page.locator("#effective-provider")).to_contain_text("offline")
    expect(page.locator("#openai-key-state")).to_have_text("not set")
    admin.assert_clean()
