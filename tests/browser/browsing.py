"""Driving Debian's Chromium through Playwright: sessions that record CSP violations, console errors
and dialogs on every page they visit, and screenshots at desktop and phone widths."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, expect

from tests.support.server import PASSWORD

# The innermost elements reaching past the viewport's right edge, to name what overflows.
WIDEST_JS = """() => {
  const edge = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > edge + 1 && ![...e.children].some(
      c => c.getBoundingClientRect().right > edge + 1))
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')} `
      + `right ${Math.round(e.getBoundingClientRect().right)}px: ${e.textContent.trim().slice(0, 60)}`);
}"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
SETTLE_POLLS = 300  # of 100 ms: how long charts may take to re-lay out after a resize

# Runs before any page script: every CSP violation lands in window.__cspViolations and, through
# the binding, in the Python-side list (which survives navigations).
RECORD_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const item = {directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample,
                source: event.sourceFile, line: event.lineNumber, page: location.pathname};
  window.__cspViolations.push(item);
  try { window.__reportCsp(item); } catch (error) { /* binding not ready */ }
}, true);
"""


@dataclass
class Session:
    """One browser context (one user) with what went wrong on its pages."""

    context: BrowserContext
    page: Page
    base_url: str
    name: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    expected_statuses: list[int] = field(default_factory=list)
    tolerated: list[re.Pattern[str]] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> Page:
        self.page.goto(self.url(path))
        self.visited.append(path)
        return self.page

    def login(self, email: str, password: str = PASSWORD) -> Page:
        self.goto("/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        return self.page

    def expect_status(self, status: int) -> None:
        """The next document answers `status` on purpose (a form with errors, a refused login):
        Chromium logs that response as a console error once, which is then not a failure."""
        self.expected_statuses.append(status)

    def tolerate(self, pattern: str) -> None:
        """Console errors matching `pattern` are expected (e.g. refused connections while the
        test has stopped the server on purpose)."""
        self.tolerated.append(re.compile(pattern))

    def page_violations(self) -> list[dict[str, Any]]:
        """Violations recorded by the init script in the current document."""
        return self.page.evaluate("window.__cspViolations || []")

    def assert_clean(self) -> None:
        """No CSP violation, console error or dialog on any page of this session so far."""
        current = self.page_violations()
        assert not self.violations and not current, f"{self.name}: CSP violations {self.violations or current}"
        assert not self.console_errors, f"{self.name}: console errors {self.console_errors}"
        assert not self.dialogs, f"{self.name}: dialogs opened {self.dialogs}"

    def no_horizontal_scroll(self) -> None:
        """After a resize, charts re-layout in their own time (later on a loaded machine): the
        page must settle without sideways scroll; what it still overflows by then is the failure."""
        overflow_js = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        # Polled from here: `wait_for_function` compiles its predicate in the page, which the
        # strict CSP (no 'unsafe-eval') refuses whenever the first look does not already pass.
        overflow = self.page.evaluate(overflow_js)
        # Up to 30 s: once, with three test processes on two cores, a Gantt chart had not re-laid
        # out after 10 s (it passed alone, and in every run before).
        for _ in range(SETTLE_POLLS):
            if overflow <= 1:
                break
            self.page.wait_for_timeout(100)
            overflow = self.page.evaluate(overflow_js)
        assert overflow <= 1, (f"{self.name}: page {self.page.url} scrolls sideways by {overflow}px; "
                               f"widest: {self.page.evaluate(WIDEST_JS)}")

    def shoot(self, name: str, *, check_phone_layout: bool = True) -> None:
        """Full-page screenshots at 1280 and 390 px wide; the phone layout must not scroll sideways."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page = self.page
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(250)  # charts and grids re-layout on resize
        if check_phone_layout:
            self.no_horizontal_scroll()
        page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
        page.set_viewport_size(DESKTOP)
        page.wait_for_timeout(250)
        page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


def open_session(browser: Browser, base_url: str, name: str) -> Session:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="en-GB", timezone_id="Europe/Lisbon")
    context.set_default_timeout(15_000)
    page = context.new_page()
    session = Session(context, page, base_url, name)
    context.expose_binding("__reportCsp", lambda _source, item: session.violations.append(item))
    context.add_init_script(RECORD_CSP)

    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        status = re.search(r"Failed to load resource: the server responded with a status of (\d+)", message.text)
        if status and int(status.group(1)) in session.expected_statuses:
            session.expected_statuses.remove(int(status.group(1)))
            return
        if any(pattern.search(message.text) for pattern in session.tolerated):
            return
        session.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def on_dialog(dialog: Dialog) -> None:
        session.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: session.console_errors.append(f"uncaught: {error}"))
    page.on("dialog", on_dialog)
    return session


def run_id_from(url: str) -> str:
    match = re.search(r"/runs/([0-9a-f]{32})", url)
    assert match, f"not a run page: {url}"
    return match.group(1)


__all__ = ["ARTIFACTS", "CHROMIUM", "CHROMIUM_ARGS", "Session", "expect", "open_session", "run_id_from"]


# The $300 bakery with eight objectives: over budget at once, so it pauses for the executive.
BAKERY = {
    "company": "Kettle & Crumb", "industry": "Bakery", "location": "Austin, TX", "budget": "300", "days": "120",
    "objectives": ["Register the company", "Trademark the name", "Launch a website",
                   "Open a second shop in Round Rock", "Start a loyalty programme", "Hire a head baker",
                   "Run Instagram ads", "Sell cakes online"],
}


def start_brief_run(page: Page, brief: dict[str, Any] = BAKERY) -> None:
    """The new-run form, filled as an executive would (one objective field added at a time)."""
    page.fill("#company_name", brief["company"])
    page.fill("#industry", brief["industry"])
    page.fill("#location", brief["location"])
    page.fill("#objective-0", brief["objectives"][0])
    for index, text in enumerate(brief["objectives"][1:], start=1):
        page.click("#objective-add")
        page.fill(f"#objective-{index}", text)
    page.fill("#budget_usd", brief["budget"])
    page.fill("#timeline_days", brief["days"])
    with page.expect_navigation(url=re.compile(r"/runs/[0-9a-f]{32}$")):
        page.click("#start-run")
