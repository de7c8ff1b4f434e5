"""An approval deadline in Chromium: the admin sets one, the paused run says "decide by …" in the
viewer's time zone with the fallback named, and when it has passed a late approval is refused while
a member watching sees the fallback (cancel) happen live, without reloading."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from sqlalchemy import create_engine, update

from services.db import utcnow
from services.models import Run
from tests.browser.browsing import Session, run_id_from, start_brief_run
from tests.browser.conftest import email_of

# What the server sends can take a while on a loaded machine (this is often a part's first test).
WAIT = 30_000


def set_deadline(admin: Session, amount: str, unit: str = "hours", fallback: str = "cancel") -> None:
    page = admin.goto("/admin/budgets")
    page.fill("#decision_deadline", amount)
    page.select_option("#decision_deadline_unit", unit)
    page.check(f'input[name="decision_fallback"][value="{fallback}"]')
    with page.expect_navigation():
        page.click("#save-budgets")
    expect(page.locator(".flash-success")).to_contain_text("saved", timeout=WAIT)


def test_the_deadline_is_shown_and_its_fallback_reaches_watchers(session, server) -> None:
    admin: Session = session("admin-deadline")
    admin.login(email_of("admin"))
    set_deadline(admin, "2")
    try:
        executive: Session = session("executive-deadline")
        page = executive.login(email_of("executive"))
        executive.goto("/runs/new")
        start_brief_run(page)
        run_id = run_id_from(page.url)
        expect(page.locator("#approval-panel")).to_be_visible(timeout=60_000)
        notice = page.locator("#decision-deadline")
        expect(notice).to_be_visible(timeout=WAIT)
        expect(notice).to_contain_text(
            re.compile(r"Decide by .+ \(Europe/Lisbon\): if nobody decides by then, the run is cancelled"), timeout=WAIT
        )

        member: Session = session("member-deadline")
        member.login(email_of("member"))
        watch = member.goto(f"/runs/{run_id}")
        expect(watch.locator("#connection")).to_have_class(re.compile("connection-live"), timeout=WAIT)
        expect(watch.locator("#decision-deadline")).to_contain_text("the run is cancelled", timeout=WAIT)
        watch.evaluate("window.__sameDocument = true")

        # Two hours pass (written into the server's database: nobody waits for them).
        engine = create_engine(server.database.url)
        with engine.begin() as conn:
            conn.execute(update(Run).where(Run.id == run_id).values(decision_due_at=utcnow() - timedelta(minutes=1)))
        engine.dispose()

        # The late click races the server's own maintenance sweep (once a minute) for the fallback;
        # whichever comes first applies it, once. When the click wins, its 409 says what happened
        # (the API test tests/integration/live/test_approval_deadlines.py holds that message too).
        executive.expect_status(409)  # the refused approval
        with contextlib.suppress(PlaywrightTimeoutError):  # the sweep was first: no panel to click
            page.locator("#approve").click(timeout=5_000)
        expect(page.locator("#approval-panel")).to_be_hidden(timeout=WAIT)  # the fallback decided: nothing to decide
        shown = page.locator("#action-message").inner_text()
        assert shown == "" or "The deadline for this decision passed" in shown, shown
        expect(page.locator("#decision-deadline")).to_contain_text("the run was cancelled", timeout=WAIT)
        expect(watch.locator("#run-status")).to_have_text("cancelled", timeout=WAIT)
        expect(watch.locator("#decision-deadline")).to_contain_text(
            re.compile(r"Nobody decided by .+: the run was cancelled \(the deadline's fallback\)"), timeout=WAIT
        )
        expect(watch.locator("#log")).to_contain_text("Nobody decided by", timeout=WAIT)
        assert watch.evaluate("window.__sameDocument") is True
        executive.assert_clean()
        member.assert_clean()
    finally:
        set_deadline(admin, "", fallback="trim")  # the session's server serves other tests after this one
