"""A brief whose every field is an HTML/JS payload renders as text on every page that shows it."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.browsing import Session, run_id_from
from tests.browser.conftest import email_of

COMPANY = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
INDUSTRY = "<svg onload=window.__xss=1>\"'><b>Tech</b>"
LOCATION = 'javascript:window.__xss=1 <iframe src="javascript:window.__xss=1"></iframe>'
OBJECTIVES = [
    "Launch product <script>window.__xss=1</script>",
    "[click me](javascript:window.__xss=1) <img src=x onerror=alert(1)>",
    '<a href="javascript:window.__xss=1">link</a> <svg><script>window.__xss=1</script></svg>',
]

# Anything a payload could have become: executed code, elements that load or run, script URLs.
INERT = """() => ({
  xss: typeof window.__xss,
  images: document.querySelectorAll("img").length,
  frames: document.querySelectorAll("iframe, object, embed").length,
  svgs: document.querySelectorAll("svg").length,
  bold: document.querySelectorAll("b").length,
  scriptLinks: [...document.querySelectorAll("[href], [src]")]
    .filter((el) => /^\\s*javascript:/i.test(el.getAttribute("href") || el.getAttribute("src") || "")).length,
  inlineScripts: [...document.scripts].filter((s) => !s.src && s.type !== "application/json").length,
})"""
CLEAN = {"xss": "undefined", "images": 0, "frames": 0, "svgs": 0, "bold": 0, "scriptLinks": 0, "inlineScripts": 0}


def assert_inert(page: Page) -> None:
    page.wait_for_timeout(300)  # an onerror/onload would have fired by now
    assert page.evaluate(INERT) == CLEAN, page.url


def test_payloads_render_as_text_everywhere(session) -> None:
    hacker: Session = session("hacker")
    page = hacker.login(email_of("hacker"))
    hacker.goto("/runs/new")
    page.fill("#company_name", COMPANY)
    page.fill("#industry", INDUSTRY)
    page.fill("#location", LOCATION)
    page.fill("#objective-0", OBJECTIVES[0])
    for index, text in enumerate(OBJECTIVES[1:], start=1):
        page.click("#objective-add")
        page.fill(f"#objective-{index}", text)
    page.fill("#budget_usd", "5000")
    page.fill("#timeline_days", "60")
    with page.expect_navigation(url=re.compile(r"/runs/[0-9a-f]{32}$")):
        page.click("#start-run")
    run_id = run_id_from(page.url)

    # Live view and its event log.
    expect(page.locator("h1")).to_have_text(COMPANY)
    expect(page.locator(".run-facts")).to_contain_text(LOCATION)
    expect(page.locator("#run-status")).to_have_text("completed", timeout=60_000)
    expect(page.locator('#log .log-item[data-type="run.started"]')).to_contain_text(COMPANY)
    assert_inert(page)

    # Dashboard and history (found by searching for the payload itself).
    hacker.goto("/dashboard")
    expect(page.locator(f'tr[data-run="{run_id}"] .run-link')).to_have_text(COMPANY)
    assert_inert(page)
    page.goto(hacker.url("/runs"))
    page.fill("#q", "<script>")
    with page.expect_navigation():
        page.click(".filters button[type=submit]")
    expect(page.locator(f'tr[data-run="{run_id}"] .cell-sub')).to_have_text(OBJECTIVES[0])
    expect(page.locator("#q")).to_have_value("<script>")
    assert_inert(page)

    # The report (the payloads reach the Markdown through the company, industry and objectives).
    hacker.goto(f"/runs/{run_id}/report")
    expect(page.locator("h1")).to_have_text(COMPANY)
    expect(page.locator(".report-body")).to_contain_text("<script>window.__xss=1</script>")
    assert_inert(page)
    hacker.goto(f"/runs/{run_id}/report/print")
    expect(page.locator(".print-company")).to_have_text(COMPANY)
    assert_inert(page)
    markdown = page.request.get(hacker.url(f"/runs/{run_id}/report.md"))
    assert markdown.headers["content-type"].startswith("text/markdown")
    hacker.shoot("xss-report")
    hacker.assert_clean()

    # The admin audit log shows the run's creation with the payload as text.
    admin: Session = session("admin-xss")
    admin_page = admin.login(email_of("admin"))
    admin.goto("/admin/audit?action=run.created")
    expect(admin_page.locator(".audit-table")).to_contain_text("<script>window.__xss=1</script>")
    assert_inert(admin_page)
    admin.shoot("xss-audit")
    admin.goto(f"/runs/{run_id}")
    expect(admin_page.locator("#run-status")).to_have_text("completed")
    expect(admin_page.locator('#log .log-item[data-type="run.started"]')).to_contain_text(COMPANY)
    assert_inert(admin_page)
    admin.shoot("xss-live")
    admin.assert_clean()
