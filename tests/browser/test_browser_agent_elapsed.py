"""While an agent's call is in flight its card shows a ticking elapsed time, counted from the ts of
its agent.started event: it grows, freezes as "took m:ss" when the agent finishes, and survives a
reload (the replay carries the true start), so a watcher sees work, not a frozen page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.browsing import Session, open_session
from tests.support.server import CatalystServer, example_brief, seed_database

EXECUTIVE = "elapsed@example.com"
# One offline call per agent, each this long: every agent is visibly at work for a few seconds.
PACE_SECONDS = 4
SCREENSHOT = Path("/tmp/catalyst-agent-elapsed.png")
CARDS_SCREENSHOT = Path("/tmp/catalyst-agent-elapsed-cards.png")
ELAPSED = re.compile(r"^(working · |took |paused · |stopped · )(\d+(?::\d{2}){1,2})$")

# Counts the intervals alive in the page, so the test can tell one shared ticker from one per card.
COUNT_INTERVALS = """
(() => {
  const active = new Set();
  const set = window.setInterval.bind(window);
  const clear = window.clearInterval.bind(window);
  window.setInterval = (fn, ms, ...rest) => { const id = set(fn, ms, ...rest); active.add(id); return id; };
  window.clearInterval = (id) => { active.delete(id); clear(id); };
  window.__activeIntervals = () => active.size;
})();
"""

# The agent whose card says "working" for at most `most` seconds and at least `least`, if any.
WORKING_AGENT = """([least, most]) => {
  for (const card of document.querySelectorAll(".agent-card.agent-working")) {
    const match = /^working · (\\d+):(\\d{2})$/.exec(card.querySelector(".agent-elapsed").textContent);
    const seconds = match ? Number(match[1]) * 60 + Number(match[2]) : -1;
    if (seconds >= least && seconds <= most) return card.dataset.agent;
  }
  return null;
}"""


@pytest.fixture(scope="module")
def paced(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalystServer]:
    """A server of its own whose offline agents take PACE_SECONDS each (the shared one is fast)."""
    tmp = tmp_path_factory.mktemp("elapsed")
    database, _accounts = seed_database(tmp, "sqlite", {"executive": ("executive", "Acme")},
                                        emails={"executive": EXECUTIVE})
    env = {"OFFLINE_PACE_SECONDS": str(PACE_SECONDS)}
    instance = CatalystServer(database, tmp, env=env, name="elapsed")
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture
def watcher(browser: Browser, paced: CatalystServer) -> Iterator[Session]:
    session = open_session(browser, paced.base_url, "elapsed")
    session.context.add_init_script(COUNT_INTERVALS)
    yield session
    session.close()


def seconds(text: str) -> int:
    """The seconds an elapsed text shows: 65 for "working · 1:05", 3723 for "took 1:02:03"."""
    match = ELAPSED.match(text.strip())
    assert match, f"not an elapsed text: {text!r}"
    value = 0
    for part in match.group(2).split(":"):
        value = value * 60 + int(part)
    return value


def elapsed(page: Page, agent: str) -> str:
    return page.locator(f'[data-agent="{agent}"] .agent-elapsed').inner_text()


def wait_for_working(page: Page, least: int, most: int) -> str:
    handle = page.wait_for_function(WORKING_AGENT, arg=[least, most], timeout=60_000)
    return handle.json_value()


def test_working_cards_tick_from_the_started_event_and_survive_a_reload(
    paced: CatalystServer, watcher: Session
) -> None:
    page = watcher.login(EXECUTIVE)
    formats = page.evaluate("""async () => {
      const { formatDuration } = await import("/static/js/format.js");
      return [0, 7_900, 65_000, 3_599_000, 3_600_000, 3_723_000, -5].map(formatDuration);
    }""")
    assert formats == ["0:00", "0:07", "1:05", "59:59", "1:00:00", "1:02:03", "0:00"]

    api = paced.login(EXECUTIVE)
    run = api.post_json("/api/runs", example_brief("Elapsed Co")).json()
    watcher.goto(f"/runs/{run['id']}")
    expect(page.locator("#connection")).to_have_class(re.compile("connection-live"))

    # A card early in its call: its clock grows, in the same text node of the same card.
    agent = wait_for_working(page, 0, 1)
    card = page.locator(f'[data-agent="{agent}"]')
    before = elapsed(page, agent)
    page.evaluate("""(agent) => {
      const card = document.querySelector(`[data-agent="${agent}"]`);
      window.__watched = { card, text: card.querySelector(".agent-elapsed-time").firstChild };
    }""", agent)
    page.wait_for_function(
        """([agent, before]) =>
          document.querySelector(`[data-agent="${agent}"] .agent-elapsed`).textContent !== before""",
        arg=[agent, before], timeout=30_000,
    )
    after = elapsed(page, agent)
    assert after.startswith("working · ") and seconds(after) > seconds(before), (before, after)
    assert page.evaluate("""(agent) => {
      const card = document.querySelector(`[data-agent="${agent}"]`);
      const text = card.querySelector(".agent-elapsed-time").firstChild;
      return window.__watched.card === card && window.__watched.text === text;
    }""", agent), "the card or its time text node was rebuilt by a tick"
    expect(card.locator(".agent-elapsed")).to_have_attribute("aria-live", "off")
    title = card.locator(".agent-name").inner_text()
    expect(card).to_have_accessible_name(title)  # the clock is not part of the card's name

    # The specialists work side by side: several clocks, one interval.
    page.wait_for_function(
        "() => document.querySelectorAll('.agent-card.agent-working').length >= 2", timeout=60_000
    )
    page.wait_for_function(WORKING_AGENT, arg=[1, 3600], timeout=30_000)
    assert page.evaluate("window.__activeIntervals()") == 1
    expect(page.locator('[data-agent="cfo"] .agent-elapsed')).to_have_text(re.compile(r"^took \d+:\d{2}$"))
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.locator("#agent-cards").screenshot(path=str(CARDS_SCREENSHOT))

    # A reload mid-call: the replay restarts the clock from the agent's started event, not from 0:00.
    agent = wait_for_working(page, 1, 3600)
    seen = seconds(elapsed(page, agent))
    page.reload()
    expect(page.locator(f'[data-agent="{agent}"] .agent-elapsed')).to_have_text(ELAPSED)
    shown = elapsed(page, agent)
    assert seconds(shown) >= seen >= 1, f"{agent}: {shown!r} after a reload, {seen}s before"

    # The run ends: every agent that ran says how long it took, and no clock keeps ticking.
    expect(page.locator("#run-status")).to_have_text("completed", timeout=120_000)
    for name in ("cfo", "legal", "reviewer", "reporter"):
        took = elapsed(page, name)
        assert took.startswith("took ") and seconds(took) >= PACE_SECONDS - 1, (name, took)
    assert page.evaluate("window.__activeIntervals()") == 0
    watcher.assert_clean()


def test_a_cancelled_run_stops_the_clocks_without_claiming_completion(
    paced: CatalystServer, watcher: Session
) -> None:
    page = watcher.login(EXECUTIVE)
    api = paced.login(EXECUTIVE)
    run = api.post_json("/api/runs", example_brief("Cancelled Co")).json()
    watcher.goto(f"/runs/{run['id']}")
    page.wait_for_function(
        "() => document.querySelectorAll('.agent-card.agent-working').length >= 2", timeout=60_000
    )
    working = page.eval_on_selector_all(".agent-card.agent-working", "cs => cs.map(c => c.dataset.agent)")
    cancelled = api.post_json(f"/api/runs/{run['id']}/cancel", {})
    assert cancelled.status_code == 200, cancelled.text
    expect(page.locator("#run-status")).to_have_text("cancelled", timeout=60_000)

    # Answers still being written are dropped: those agents stopped, they did not finish.
    for agent in working:
        expect(page.locator(f'[data-agent="{agent}"] .agent-elapsed')).to_have_text(
            re.compile(r"^stopped · \d+:\d{2}$")
        )
    texts = page.eval_on_selector_all(".agent-card .agent-elapsed", "lines => lines.map(l => l.textContent)")
    assert not [text for text in texts if text.startswith("working")], texts
    assert page.evaluate("window.__activeIntervals()") == 0
    watcher.assert_clean()
