"""An executive edits a paused plan in Chromium: ticks tasks to cut, watches the preview follow, approves
the edited plan; a member sees the outcome live; the report, page and JSON, shows exactly those cuts."""

from __future__ import annotations

import re
from decimal import Decimal

from playwright.sync_api import Locator, Page, expect

from tests.browser.browsing import BAKERY, Session, run_id_from, start_brief_run
from tests.browser.conftest import email_of

COMPANY = BAKERY["company"]
# Picked from the panel by title (the ids are the planner's business): no other funded task depends
# on these, so the edit raises no dependency warning.
TO_CUT = [re.compile(r"^Launch event$"), re.compile(r"^Loyalty platform"), re.compile(r"^Ad creative")]


def money(text: str) -> Decimal:
    """A figure as the page shows it ("$1,100.00") back to a Decimal."""
    return Decimal(re.sub(r"[^0-9.\-]", "", text))


def task_row(page: Page, title: re.Pattern[str]) -> Locator:
    row = page.locator("#approval-tasks tr[data-task-row]").filter(
        has=page.locator("label.approval-task-title", has_text=title)
    )
    expect(row).to_have_count(1)
    return row


def edit_option(page: Page) -> Locator:
    return page.locator('#approval-options [data-option="edit"]')


def test_executive_cuts_tasks_from_the_plan_and_the_report_shows_them(session) -> None:
    executive: Session = session("executive-edit")
    page = executive.login(email_of("executive"))
    executive.goto("/runs/new")
    start_brief_run(page)
    run_id = run_id_from(page.url)
    expect(page.locator("h1")).to_have_text(COMPANY)

    # A member of the same organisation watches in another browser; the marker proves no reload later.
    member: Session = session("member-edit")
    member.login(email_of("member"))
    watch = member.goto(f"/runs/{run_id}")
    expect(watch.locator("#connection")).to_have_class(re.compile("connection-live"))
    watch.evaluate("window.__sameDocument = true")

    # $300 cannot pay for eight objectives: the plan pauses and the panel lists its tasks by title.
    panel = page.locator("#approval-panel")
    expect(panel).to_be_visible(timeout=60_000)
    expect(page.locator("#run-status")).to_contain_text("paused")
    expect(watch.locator("#approval-waiting")).to_be_visible()
    titles = page.locator("#approval-tasks label.approval-task-title").all_inner_texts()
    assert len(titles) >= 5 and all(titles), titles
    assert not any(re.fullmatch(r"T\d+", title) for title in titles), "tasks are listed by id, not title"
    expect(page.locator("#approve-edited")).to_be_hidden()
    expect(edit_option(page)).to_have_count(0)
    approve_funded = money(page.locator('[data-option="approve"] [data-figure="funded"]').inner_text())
    budget = money(page.locator("#approval-budget").inner_text())

    # Tick tasks one by one: the edited plan's preview follows every tick.
    picked: list[tuple[str, str, Decimal]] = []  # (id, title, cost)
    for pattern in TO_CUT:
        row = task_row(page, pattern)
        box = row.locator("input[data-task-id]")
        title = row.locator("label.approval-task-title").inner_text()
        cost = money(row.locator('td[data-label="Cost"]').inner_text())
        box.check()
        picked.append((box.get_attribute("data-task-id"), title, cost))

        count = len(picked)
        noun = "task" if count == 1 else "tasks"
        funded = approve_funded - sum(c for _, _, c in picked)
        option = edit_option(page)
        expect(option.locator("h3")).to_contain_text(f"cut {count} {noun}")
        expect(option.locator('[data-figure="funded"]')).to_have_text(f"${funded:,.2f}")
        expect(option.locator('[data-figure="overrun"]')).to_have_text(f"${max(funded - budget, 0):,.2f}")
        for _, cut_title, _ in picked:
            expect(option.locator('[data-figure="cut"]')).to_contain_text(cut_title)
        expect(page.locator("#approve-edited")).to_be_visible()
        expect(page.locator("#approve-edited")).to_have_text(f"Approve edited plan (cut {count} {noun})")
        expect(page.locator("#approve-edited")).to_be_enabled()
    expect(page.locator("#approval-edit-warning")).to_be_hidden()
    cut_ids = [task_id for task_id, _, _ in picked]
    cut_titles = [title for _, title, _ in picked]
    assert len(set(cut_ids)) == len(TO_CUT)

    # Unticking takes a task out of the edit again; re-ticking puts it back.
    last = page.locator(f'#approval-tasks input[data-task-id="{cut_ids[-1]}"]')
    last.uncheck()
    expect(edit_option(page).locator("h3")).to_contain_text(f"cut {len(picked) - 1} tasks")
    expect(edit_option(page).locator('[data-figure="cut"]')).not_to_contain_text(cut_titles[-1])
    last.check()
    expect(edit_option(page).locator("h3")).to_contain_text(f"cut {len(picked)} tasks")

    page.fill("#approval-note", "Launch quietly; loyalty and ad creative can wait")
    page.click("#approve-edited")
    expect(panel).to_be_hidden()
    expect(page.locator("#approval-outcome")).to_be_visible()

    # The watcher sees the decision and the cut tasks by name, in the same document.
    outcome = watch.locator("#approval-outcome")
    expect(outcome).to_be_visible()
    expect(watch.locator("#approval-outcome-text")).to_contain_text(
        f"edited plan was approved with {len(cut_ids)} tasks cut"
    )
    cut_items = watch.locator("#approval-outcome-cut li[data-task-id]")
    expect(cut_items).to_have_count(len(cut_ids))
    assert [item.get_attribute("data-task-id") for item in cut_items.all()] == cut_ids
    for title in cut_titles:
        expect(watch.locator("#approval-outcome-cut")).to_contain_text(title)
    expect(watch.locator("#approval-waiting")).to_be_hidden()
    assert watch.evaluate("window.__sameDocument === true"), "the watcher's page reloaded"

    expect(page.locator("#run-status")).to_have_text("completed", timeout=60_000)
    expect(watch.locator("#run-status")).to_have_text("completed", timeout=30_000)

    # The report page: exactly the ticked tasks are dropped (cut), every other task is funded.
    page.click("#report-link")
    expect(page).to_have_url(re.compile(rf"/runs/{run_id}/report$"))
    expect(page.locator("h1")).to_have_text(COMPANY)
    rows = page.locator("#r-plan tbody tr")
    expect(rows.first).to_be_visible()
    statuses: dict[str, set[str]] = {}
    for row in rows.all():
        task_id = row.locator(".task-id").inner_text().strip()
        status = row.locator(".cover").inner_text().strip()
        statuses.setdefault(task_id, set()).add(status)
    dropped = {task_id for task_id, seen in statuses.items() if seen == {"dropped: cut"}}
    funded = {task_id for task_id, seen in statuses.items() if seen == {"funded"}}
    assert dropped == set(cut_ids), statuses
    assert funded == set(statuses) - set(cut_ids), statuses
    for task_id in cut_ids:
        expect(page.locator(f"#task-{task_id}")).to_have_class(re.compile(r"\btask-dropped\b"))

    decision = page.locator("#r-decision")
    expect(decision.locator(".decision")).to_have_text("edit")
    expect(decision).to_contain_text("the executive")
    expect(decision.locator(".cut-list li")).to_have_count(len(cut_ids))
    for task_id, title in zip(cut_ids, cut_titles, strict=True):
        expect(decision.locator(".cut-list")).to_contain_text(f"{task_id} {title}")

    # Both charts drew (Chart.js sized their canvases); the page is clean of CSP and JS errors.
    drawn = "(selector) => Boolean(window.Chart && window.Chart.getChart(document.querySelector(selector)))"
    for canvas in ("#gantt-chart", "#spend-chart"):
        assert page.evaluate(drawn, canvas), f"{canvas} was not drawn"

    # The JSON report, fetched with the page's own session, says the same.
    response = page.request.get(executive.url(f"/api/runs/{run_id}/report?format=json"))
    assert response.ok, response.status
    report = response.json()
    assert report["decision"]["decision"] == "edit"
    assert report["decision"]["by"] == "executive"
    assert report["decision"]["cut"] == cut_ids
    tasks = {task["id"]: task for task in report["tasks"]}
    assert {task_id for task_id, task in tasks.items() if task["status"] == "dropped"} == set(cut_ids)
    assert all(tasks[task_id]["drop_reason"] == "cut" for task_id in cut_ids)
    assert set(statuses) == set(tasks)
    funded_costs = [Decimal(task["cost_usd"]) for task in tasks.values() if task["status"] == "funded"]
    funded_total = sum(funded_costs, Decimal(0))
    assert Decimal(report["budget"]["funded_usd"]) == funded_total
    assert Decimal(report["budget"]["funded_usd"]) == approve_funded - sum(c for _, _, c in picked)

    executive.assert_clean()
    member.assert_clean()
