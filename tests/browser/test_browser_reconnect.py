"""The live view survives the server going away: it says so, reconnects, and catches up with no
gap and no duplicate (the server restarts on the same port and database)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.browser.browsing import Session
from tests.browser.conftest import email_of
from tests.support.server import CatalystServer, example_brief


def test_live_view_reconnects_and_catches_up(session, server: CatalystServer) -> None:
    api = server.login(email_of("executive"))
    run = api.post_json("/api/runs", example_brief("Reconnect Co", budget="2500")).json()
    executive: Session = session("reconnect")
    page = executive.login(email_of("executive"))
    deadline = time.monotonic() + 60
    while (status := api.get_json(f"/api/runs/{run['id']}")["status"]) in ("queued", "running"):
        assert time.monotonic() < deadline, f"run still {status}:\n{server.output()[-4000:]}"
        time.sleep(0.2)
    assert status == "paused", f"run ended {status}:\n{server.output()[-4000:]}"
    executive.goto(f"/runs/{run['id']}")
    expect(page.locator("#approval-panel")).to_be_visible()
    expect(page.locator("#connection")).to_have_class(re.compile("connection-live"))

    executive.tolerate(r"ERR_CONNECTION_REFUSED|WebSocket connection to .* failed|socket\.io")
    server.stop()
    expect(page.locator("#connection")).to_have_class(re.compile("connection-reconnecting"))
    expect(page.locator("#connection")).to_have_text("Reconnecting…")
    executive.shoot("live-reconnecting")
    server.start()

    # Events produced while the browser was away arrive through the replay of its next watch.
    again = server.login(email_of("executive"))
    decided = again.post_json(f"/api/runs/{run['id']}/approve", {"decision": "approve", "note": "while away"})
    assert decided.status_code == 200, decided.text
    expect(page.locator("#connection")).to_have_class(re.compile("connection-live"), timeout=30_000)
    expect(page.locator("#run-status")).to_have_text("completed", timeout=60_000)

    stored = again.get_json(f"/api/runs/{run['id']}/events?after_seq=0&limit=1000")["events"]
    shown = page.eval_on_selector_all("#log .log-item", "items => items.map(i => Number(i.dataset.seq))")
    assert shown == [event["seq"] for event in stored] == list(range(1, len(stored) + 1))
    expect(page.locator("#approval-panel")).to_be_hidden()
    executive.assert_clean()
